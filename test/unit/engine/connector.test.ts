import { describe, expect, it } from 'vitest';
import {
  BridgeError,
  Connector,
  type DeadLetterQueue,
  DROP,
  type Failure,
  type SourceRecord,
} from '../../../src/engine/index.ts';
import { MemorySource, parts, ScriptedSink } from './fakes.ts';
import { record } from './records.ts';

class Refused extends BridgeError {
  readonly code = 'LB_TEST_REFUSED';
  readonly disposition = 'reject';
}
class Busy extends BridgeError {
  readonly code = 'LB_TEST_BUSY';
  readonly disposition = 'retry';
}
class BadToken extends BridgeError {
  readonly code = 'LB_TEST_TOKEN';
  readonly disposition = 'fatal';
}

class MemoryDeadLetters implements DeadLetterQueue {
  readonly written: { record: SourceRecord; failure: Failure }[] = [];
  async write(r: SourceRecord, failure: Failure): Promise<void> {
    this.written.push({ record: r, failure });
    await Promise.resolve();
  }
  async close(): Promise<void> {
    await Promise.resolve();
  }
}

const range = (n: number, partition = 0): SourceRecord[] =>
  Array.from({ length: n }, (_, i) => record('t', partition, i, `line ${i}`));

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('Connector', () => {
  it('delivers every record to every sink and commits the end offset on stop', async () => {
    const source = new MemorySource();
    const hec = new ScriptedSink('hec');
    const mqtt = new ScriptedSink('mqtt');
    const connector = new Connector(parts(source, [hec, mqtt]));
    await connector.start();
    expect(source.offer(range(25))).toBe(25);
    await connector.stop();
    expect(hec.received.map((e) => e.body)).toEqual(range(25).map((r) => r.value?.toString()));
    expect(mqtt.received).toHaveLength(25);
    expect(source.committed(0)).toBe(25n);
    expect(connector.state).toBe('STOPPED');
  });

  it('holds the checkpoint while one sink of a fan-out has not delivered', async () => {
    const source = new MemorySource();
    const fast = new ScriptedSink('fast');
    const slow = new ScriptedSink('slow');
    slow.held = Promise.withResolvers();
    const connector = new Connector(parts(source, [fast, slow]));
    await connector.start();
    source.offer(range(5));
    await until(() => fast.received.length === 5);
    expect(connector.status().partitions[0]?.watermark).toBe(0n);
    slow.held.resolve();
    await until(() => slow.received.length === 5);
    expect(connector.status().partitions[0]?.watermark).toBe(5n);
    await connector.stop();
  });

  it('retries a transient failure until it succeeds, degraded meanwhile, and loses nothing', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    sink.outcomes.push({ kind: 'retry', cause: new Busy('busy') }, new Busy('thrown busy'));
    const connector = new Connector(parts(source, [sink]));
    await connector.start();
    source.offer(range(3));
    await until(() => sink.received.length === 3);
    await connector.stop();
    expect(source.committed(0)).toBe(3n);
  });

  it('dead-letters a refused event with stage and reason, delivers the others', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    const dlq = new MemoryDeadLetters();
    sink.outcomes.push({ kind: 'partial', rejected: [{ index: 1, cause: new Refused('bad event') }] });
    const connector = new Connector(parts(source, [sink], { deadLetters: dlq, tolerance: 'all' }));
    await connector.start();
    source.offer(range(3));
    await connector.stop();
    expect(sink.received).toHaveLength(2);
    expect(dlq.written.map((w) => [w.record.position.offset, w.failure.stage, w.failure.cause.code])).toEqual(
      [[1n, 'TASK_PUT', 'LB_TEST_REFUSED']],
    );
    expect(source.committed(0)).toBe(3n);
  });

  it('fails without a dead-letter topic and never commits past the refused record', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    sink.outcomes.push({ kind: 'partial', rejected: [{ index: 1, cause: new Refused('bad event') }] });
    const connector = new Connector(parts(source, [sink]));
    await connector.start();
    source.offer(range(3));
    await until(() => connector.state === 'FAILED');
    expect(connector.status().trace).toMatch(/errors\.deadletterqueue\.topic\.name/);
    expect(source.committed(0) ?? 0n).toBeLessThanOrEqual(1n);
  });

  it('fails on a fatal sink error with the sink message', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    sink.outcomes.push({ kind: 'fatal', cause: new BadToken('check splunk.hec.token') });
    const connector = new Connector(parts(source, [sink]));
    await connector.start();
    source.offer(range(2));
    await until(() => connector.state === 'FAILED');
    expect(connector.status().trace).toBe('LB_TEST_TOKEN: check splunk.hec.token');
    expect(source.committed(0) ?? 0n).toBe(0n);
    await until(() => source.stopped);
  });

  it('dead-letters undecodable records at VALUE_CONVERTER and counts empty ones as dropped', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    const dlq = new MemoryDeadLetters();
    const connector = new Connector(parts(source, [sink], { deadLetters: dlq, tolerance: 'all' }));
    await connector.start();
    const bad: SourceRecord = { ...record('t', 0, 0), value: Buffer.from([0xc3, 0x28]) };
    const empty: SourceRecord = { ...record('t', 0, 1), value: null };
    source.offer([bad, empty, record('t', 0, 2, 'ok')]);
    await connector.stop();
    expect(dlq.written.map((w) => [w.failure.stage, w.failure.cause.code])).toEqual([
      ['VALUE_CONVERTER', 'LB_INVALID_UTF8'],
    ]);
    expect(sink.received.map((e) => e.body)).toEqual(['ok']);
    expect(source.committed(0)).toBe(3n);
  });

  it('settles dropped and split events: the record settles when all its children do', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    const connector = new Connector(
      parts(source, [sink], {
        transforms: [
          {
            name: 'split-or-drop',
            apply: (e) =>
              e.body === 'drop' ? DROP : [e, { ...e, body: `${typeof e.body === 'string' ? e.body : ''}#2` }],
          },
        ],
      }),
    );
    await connector.start();
    source.offer([record('t', 0, 0, 'a'), record('t', 0, 1, 'drop'), record('t', 0, 2, 'b')]);
    await connector.stop();
    expect(sink.received.map((e) => e.body)).toEqual(['a', 'a#2', 'b', 'b#2']);
    expect(source.committed(0)).toBe(3n);
  });

  it('stops taking records when the budget is full and takes more once it drains', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    sink.held = Promise.withResolvers();
    const connector = new Connector(
      parts(source, [sink], { budget: { maxRecords: 10, maxBytes: 1_000_000 } }),
    );
    await connector.start();
    expect(source.offer(range(50))).toBe(10);
    expect(connector.isFull()).toBe(true);
    const ready = connector.ready();
    sink.held.resolve();
    await ready;
    expect(connector.isFull()).toBe(false);
    await connector.stop();
  });

  it('pauses and resumes on operator request', async () => {
    const source = new MemorySource();
    const connector = new Connector(parts(source, [new ScriptedSink()]));
    await connector.start();
    connector.pause();
    expect(connector.state).toBe('PAUSED');
    expect(source.offer(range(3))).toBe(0);
    connector.resume();
    expect(source.offer(range(3))).toBe(3);
    await connector.stop();
  });
});

describe('Connector stop', () => {
  it('cuts leaving the group short after the stop grace when the source never stops, and every caller waits for it', async () => {
    const source = new MemorySource();
    // A broker that never answers the leave-group request.
    source.stop = () => new Promise<void>(() => undefined);
    const connector = new Connector(parts(source, [new ScriptedSink()]));
    await connector.start();
    source.offer(range(3));
    const [first, second] = await Promise.all([connector.stop(), connector.stop()]);
    expect(first).toEqual({
      started: true,
      drained: true,
      undelivered: 0,
      drainTimeoutMs: expect.any(Number) as number,
      cutShort: ['leaving the group (source stop)'],
    });
    expect(second).toBe(first);
    expect(source.committed(0)).toBe(3n);
    expect(connector.state).toBe('STOPPED');
  });

  it('reports what a drain cut short left undelivered, and that a connector stopped before it started never did', async () => {
    const source = new MemorySource();
    const stuck = new ScriptedSink();
    stuck.send = () => new Promise(() => undefined);
    const connector = new Connector({ ...parts(source, [stuck]), drainTimeoutMs: 50 });
    await connector.start();
    source.offer(range(5));
    const report = await connector.stop();
    expect(report).toMatchObject({ started: true, drained: false, undelivered: 5, drainTimeoutMs: 50 });
    // Nothing past the first undelivered record.
    expect(source.committed(0) ?? 0n).toBe(0n);

    const never = new Connector(parts(new MemorySource(), [new ScriptedSink()]));
    expect(await never.stop()).toMatchObject({ started: false, drained: true, undelivered: 0 });
  });
});
