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
  containerLimits,
  memoryPerProcess,
  type FromMember,
  MemberProcesses,
  MemoryConfigStore,
  MirroredStore,
  PrimaryStore,
  type StoreChange,
  type ToMember,
  workerProcesses,
} from '../../../src/worker/index.ts';
import { Registry } from 'prom-client';
import { createEngineMetrics } from '../../../src/engine/index.ts';
import { mergedMetrics, withMembers } from '../../../src/worker/members.ts';

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
  it('gives a number as it is, and auto as one per CPU that the memory holds at 384 MiB each, at least one', () => {
    const GiB = 1024 ** 3;
    expect(workerProcesses(3, { cpus: 1, memoryBytes: GiB })).toBe(3);
    expect(workerProcesses('4', { cpus: 1, memoryBytes: GiB })).toBe(4);
    // The heap limit of the `logbridge` command's flags (128 MiB old space, 16 MiB semi-spaces).
    const perProcess = memoryPerProcess(176 * 1024 ** 2);
    expect(perProcess).toBe(384 * 1024 ** 2);
    const auto = (cpus: number, memoryBytes: number): number =>
      workerProcesses('auto', { cpus, memoryBytes }, perProcess);
    expect([0.5, 1, 1.5, 2, 2.6, 8].map((cpus) => auto(cpus, 64 * GiB))).toEqual([1, 1, 1, 2, 2, 8]);
    // 512 MiB holds one; 1 GiB two.
    expect([0.25 * GiB, 0.5 * GiB, GiB, 4 * GiB].map((memory) => auto(8, memory))).toEqual([1, 1, 2, 8]);
    // A larger heap (the chart's quarter of the memory limit: 512 MiB of 2 GiB) counts twice.
    expect(memoryPerProcess(560 * 1024 ** 2)).toBe(1120 * 1024 ** 2);
    expect(
      workerProcesses('auto', { cpus: 8, memoryBytes: 2 * GiB }, memoryPerProcess(560 * 1024 ** 2)),
    ).toBe(1);
  });

  it('reads the cgroup limits (v2, then v1) and never goes above what the machine has', () => {
    const files = (entries: Record<string, string>) => (path: string) => entries[path];
    const machine = { cpus: 8, memoryBytes: 16 * 1024 ** 3 };
    const limits = (entries: Record<string, string>, on = machine) => containerLimits(files(entries), on);
    expect(
      limits({ '/sys/fs/cgroup/cpu.max': '150000 100000\n', '/sys/fs/cgroup/memory.max': '536870912\n' }),
    ).toEqual({
      cpus: 1.5,
      memoryBytes: 536870912,
    });
    expect(
      limits({ '/sys/fs/cgroup/cpu.max': 'max 100000\n', '/sys/fs/cgroup/memory.max': 'max\n' }),
    ).toEqual(machine);
    expect(limits({ '/sys/fs/cgroup/cpu.max': '800000 100000' }, { cpus: 2, memoryBytes: 1 }).cpus).toBe(2);
    const v1 = {
      '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '300000',
      '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000',
      '/sys/fs/cgroup/memory/memory.limit_in_bytes': '1073741824',
    };
    expect(limits(v1)).toEqual({ cpus: 3, memoryBytes: 1073741824 });
    const unlimited = {
      ...v1,
      '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1',
      '/sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712',
    };
    expect(limits(unlimited)).toEqual(machine);
    expect(limits({})).toEqual(machine);
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
  it('waits for its members to start, and gives one started again the connectors as they now stand', async () => {
    const children: FakeChild[] = [];
    const members = new MemberProcesses(
      1,
      () => {
        const child = new FakeChild();
        children.push(child);
        queueMicrotask(() => {
          child.answer({ type: 'ready' });
        });
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
    expect(children[0]?.sent).toEqual([
      { type: 'connectors', connectors: [{ name: 'a', config: { topics: 't' }, target: 'RUNNING' }] },
    ]);
    await store.putTarget('b', 'PAUSED');
    expect(children[0]?.sent.at(-1)).toEqual({
      type: 'change',
      change: { kind: 'target', name: 'b', target: 'PAUSED' },
    });
    children[0]?.exit(137);
    await store.putConfig('b', { topics: 'u' });
    await store.putTarget('a', 'STOPPED');
    // Started again after a second's backoff: the connectors with every change since.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const child = children[1];
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
    expect(children).toHaveLength(2);
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

describe('metrics of several processes', () => {
  it('add counters and histograms up and merge each gauge its own way', async () => {
    const primary = new Registry();
    const member = new Registry();
    const [a, b] = [createEngineMetrics(primary), createEngineMetrics(member)];
    a.recordsReceived.inc({ connector: 'c' }, 100);
    b.recordsReceived.inc({ connector: 'c' }, 50);
    a.inFlightRecords.set({ connector: 'c' }, 10);
    b.inFlightRecords.set({ connector: 'c' }, 5);
    a.connectorState.set({ connector: 'c', state: 'RUNNING' }, 1);
    b.connectorState.set({ connector: 'c', state: 'RUNNING' }, 1);
    a.sinkHealthy.set({ connector: 'c', sink: 'splunk-hec' }, 1);
    b.sinkHealthy.set({ connector: 'c', sink: 'splunk-hec' }, 0);
    a.sourcePaused.set({ connector: 'c' }, 0);
    b.sourcePaused.set({ connector: 'c' }, 1);
    a.partitionLag.set({ connector: 'c', topic: 't', partition: '0' }, 7);
    b.partitionLag.set({ connector: 'c', topic: 't', partition: '0' }, 9);
    a.endToEndLatency.observe({ connector: 'c' }, 0.2);
    b.endToEndLatency.observe({ connector: 'c' }, 0.2);
    const members = { metrics: async () => [await member.getMetricsAsJSON()] } as unknown as MemberProcesses;
    const text = await (await mergedMetrics(primary, members)).metrics();
    const value = (line: string): number | undefined => {
      const found = text.split('\n').find((l) => l.startsWith(`${line} `));
      return found === undefined ? undefined : Number(found.slice(line.length + 1));
    };
    expect(value('logbridge_records_received_total{connector="c"}')).toBe(150);
    expect(value('logbridge_in_flight_records{connector="c"}')).toBe(15);
    expect(value('logbridge_connector_state{connector="c",state="RUNNING"}')).toBe(1);
    expect(value('logbridge_sink_healthy{connector="c",sink="splunk-hec"}')).toBe(0);
    expect(value('logbridge_source_paused{connector="c"}')).toBe(1);
    expect(value('logbridge_partition_lag{connector="c",topic="t",partition="0"}')).toBe(7);
    expect(value('logbridge_end_to_end_latency_seconds_count{connector="c"}')).toBe(2);
  });
});
