/**
 * workers > 1, in one process: the number of processes `workers` asks for, a connector's status with its members'
 * merged in, the primary's store as members see it, and a member's filter of what it runs. The processes
 * themselves are tested in test/e2e/workers.test.ts.
 */
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../../src/config/index.ts';
import type { ConnectorStatus } from '../../../src/engine/index.ts';
import {
  cpuLimit,
  type FromMember,
  MemberProcesses,
  MemoryConfigStore,
  MirroredStore,
  PrimaryStore,
  type StoreChange,
  type ToMember,
  workerProcesses,
} from '../../../src/worker/index.ts';
import { withMembers } from '../../../src/worker/members.ts';

const quiet = pino({ level: 'silent' });

function status(overrides: Partial<ConnectorStatus> = {}): ConnectorStatus {
  return {
    name: 'c',
    state: 'RUNNING',
    degraded: false,
    source: { id: 'kafka', healthy: true },
    inFlight: { records: 10, unsettled: 4, bytes: 1000, full: false },
    partitions: [{ topic: 't', partition: 0, watermark: 5n, committed: 3n, pending: 2 }],
    offsets: [],
    sinks: [{ id: 'splunk-hec', healthy: true, retrying: 0 }],
    ...overrides,
  };
}

describe('workers setting', () => {
  it('gives a number as it is and auto from the CPU limit, one process per 1.3 cores, at least one', () => {
    expect(workerProcesses(3, 1)).toBe(3);
    expect(workerProcesses('4', 1)).toBe(4);
    expect([1, 2, 2.6, 3, 4, 8].map((cpus) => workerProcesses('auto', cpus))).toEqual([1, 1, 2, 2, 3, 6]);
  });

  it('reads the cgroup quota (v2, then v1) and never goes above the CPUs it may run on', () => {
    const files = (entries: Record<string, string>) => (path: string) => entries[path];
    expect(cpuLimit(files({ '/sys/fs/cgroup/cpu.max': '150000 100000\n' }), 8)).toBe(1.5);
    expect(cpuLimit(files({ '/sys/fs/cgroup/cpu.max': 'max 100000\n' }), 8)).toBe(8);
    expect(cpuLimit(files({ '/sys/fs/cgroup/cpu.max': '800000 100000' }), 2)).toBe(2);
    const v1 = {
      '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '300000',
      '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000',
    };
    expect(cpuLimit(files(v1), 8)).toBe(3);
    expect(cpuLimit(files({ ...v1, '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1' }), 8)).toBe(8);
    expect(cpuLimit(files({}), 4)).toBe(4);
  });

  it('refuses what is neither auto nor a whole number from 1 to 64, saying so', () => {
    expect(loadWorkerConfig(undefined, {}).workers).toBe('auto');
    expect(loadWorkerConfig(undefined, { LOGBRIDGE_WORKERS: '2' }).workers).toBe('2');
    for (const bad of ['0', '65', '1.5', 'two', '']) {
      expect(() => loadWorkerConfig(undefined, { LOGBRIDGE_WORKERS: bad }), bad).toThrow(
        /workers: must be auto or a whole number from 1 to 64/,
      );
    }
  });
});

describe('a status with its members', () => {
  it('lists each member as a task and merges partitions, in-flight figures and health', () => {
    const member = status({
      degraded: true,
      source: { id: 'kafka', healthy: false, lastError: { code: 'X', message: 'down' } },
      inFlight: { records: 5, unsettled: 5, bytes: 500, full: true },
      partitions: [{ topic: 't', partition: 1, watermark: 9n, committed: 9n, pending: 0 }],
      sinks: [{ id: 'splunk-hec', healthy: false, retrying: 2, detail: 'backing off' }],
    });
    const merged = withMembers(status(), [
      { id: 1, status: member },
      { id: 2, status: undefined },
    ]);
    expect(merged.state).toBe('RUNNING');
    expect(merged.members).toEqual([
      { id: 1, state: 'RUNNING' },
      { id: 2, state: 'UNASSIGNED' },
    ]);
    expect(merged.partitions.map((p) => p.partition)).toEqual([0, 1]);
    expect(merged.inFlight).toEqual({ records: 15, unsettled: 9, bytes: 1500, full: true });
    expect(merged.degraded).toBe(true);
    expect(merged.source?.healthy).toBe(false);
    expect(merged.sinks).toEqual([{ id: 'splunk-hec', healthy: false, retrying: 2, detail: 'backing off' }]);
  });

  it('shows a failed member with its trace, and is the local status without members', () => {
    const merged = withMembers(status(), [
      { id: 1, status: status({ state: 'FAILED', trace: 'E: fix it' }) },
    ]);
    expect(merged.members).toEqual([{ id: 1, state: 'FAILED', trace: 'E: fix it' }]);
    const local = status();
    expect(withMembers(local, [])).toBe(local);
  });
});

/** A fake child process: what the primary sends, and a way to answer as the member. */
class FakeChild extends EventEmitter {
  readonly sent: ToMember[] = [];
  connected = true;
  exitCode: number | null = null;
  signalCode: string | null = null;
  pid = 1234;
  send(message: ToMember): void {
    this.sent.push(message);
    if (message.type === 'stop') this.exit(0);
  }
  kill(): void {
    this.exit(null);
  }
  answer(message: FromMember): void {
    this.emit('message', message);
  }
  exit(code: number | null): void {
    this.exitCode = code;
    this.connected = false;
    this.emit('exit', code, null);
  }
}

describe('the primary and its members', () => {
  it('gives a member that is ready the connectors as they now stand, then every change', async () => {
    const children: FakeChild[] = [];
    const members = new MemberProcesses(
      1,
      () => {
        const child = new FakeChild();
        children.push(child);
        return child as never;
      },
      quiet,
    );
    const store = new MirroredStore(
      new MemoryConfigStore([{ name: 'a', config: { topics: 't' }, target: 'RUNNING' }]),
      members,
    );
    const seen: StoreChange[] = [];
    await store.start((change) => seen.push(change));
    await store.putTarget('b', 'PAUSED');
    await store.putConfig('b', { topics: 'u' });
    await store.putTarget('a', 'STOPPED');
    const [child] = children;
    expect(child?.sent).toEqual([]);
    child?.answer({ type: 'ready' });
    expect(child?.sent).toEqual([
      {
        type: 'connectors',
        connectors: [
          { name: 'a', config: { topics: 't' }, target: 'STOPPED' },
          { name: 'b', config: { topics: 'u' }, target: 'PAUSED' },
        ],
      },
    ]);
    await store.remove('b');
    expect(child?.sent.at(-1)).toEqual({ type: 'change', change: { kind: 'deleted', name: 'b' } });
    expect(seen).toHaveLength(4);

    child?.answer({ type: 'status', statuses: [status({ name: 'a', state: 'STOPPED' })] });
    expect(members.tasks('a', true)).toEqual([{ id: 1, status: status({ name: 'a', state: 'STOPPED' }) }]);
    expect(members.tasks('a', false)).toEqual([]);

    const scrape = members.metrics();
    const request = child?.sent.at(-1);
    expect(request?.type).toBe('metrics');
    child?.answer({ type: 'metrics', id: (request as { id: number }).id, metrics: [] });
    expect(await scrape).toEqual([[]]);

    await members.stop();
    expect(child?.sent.at(-1)).toEqual({ type: 'stop' });
    expect(children).toHaveLength(1);
  });
});

class FakePrimary extends EventEmitter {
  readonly sent: FromMember[] = [];
  send(message: FromMember): void {
    this.sent.push(message);
  }
  deliver(message: ToMember): void {
    this.emit('message', message);
  }
}

describe("a member's store", () => {
  it('runs only Kafka-source connectors and deletes one whose source moves to Event Hubs AMQP', async () => {
    const primary = new FakePrimary();
    const store = new PrimaryStore(primary);
    const changes: StoreChange[] = [];
    const started = store.start((change) => changes.push(change));
    expect(primary.sent).toEqual([{ type: 'ready' }]);
    primary.deliver({
      type: 'connectors',
      connectors: [
        { name: 'k', config: { topics: 't' }, target: 'RUNNING' },
        { name: 'e', config: { 'source.type': 'eventhubs' }, target: 'RUNNING' },
      ],
    });
    expect((await started).map((c) => c.name)).toEqual(['k']);
    primary.deliver({
      type: 'change',
      change: { kind: 'config', name: 'e', config: { 'source.type': 'eventhubs' } },
    });
    primary.deliver({
      type: 'change',
      change: { kind: 'config', name: 'k', config: { 'source.type': 'eventhubs' } },
    });
    primary.deliver({ type: 'change', change: { kind: 'target', name: 'k', target: 'PAUSED' } });
    expect(changes).toEqual([
      { kind: 'deleted', name: 'k' },
      { kind: 'target', name: 'k', target: 'PAUSED' },
    ]);
    await expect(store.putConfig()).rejects.toThrow(/only through the primary/);
    await store.stop();
    primary.deliver({ type: 'change', change: { kind: 'deleted', name: 'x' } });
    expect(changes).toHaveLength(2);
  });
});
