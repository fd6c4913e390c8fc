/**
 * Status tells the truth when the source cannot reach its log: degraded, with the source's error, while the
 * connector keeps retrying its start; and the offsets it shows come from the last reading, with its time.
 */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  BridgeError,
  Connector,
  createEngineMetrics,
  type PartitionOffsets,
  type SourceContext,
  type SourceHealth,
} from '../../../src/engine/index.ts';
import { MemorySource, parts, ScriptedSink } from './fakes.ts';
import { record } from './records.ts';

class Unreachable extends BridgeError {
  readonly code = 'LB_TEST_UNREACHABLE';
  readonly disposition = 'retry';
}

/** A source that cannot connect until `reachable` is set, and reports it through health(). */
class FlakySource extends MemorySource {
  reachable = false;
  #lastError: BridgeError | undefined;

  override async start(context: SourceContext): Promise<void> {
    if (!this.reachable) {
      this.#lastError = new Unreachable('connect to 127.0.0.1:1: Connection error: connect ECONNREFUSED');
      throw this.#lastError;
    }
    this.#lastError = undefined;
    await super.start(context);
  }

  health(): SourceHealth {
    return this.#lastError === undefined ? { healthy: true } : { healthy: false, lastError: this.#lastError };
  }

  offsets(): Promise<PartitionOffsets[]> {
    return Promise.resolve([{ topic: 't', partition: 0, committed: 5n, end: 9n, start: 0n }]);
  }
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('connector status', () => {
  it('is degraded with the source error while the source cannot connect, and healthy once it does', async () => {
    const source = new FlakySource();
    const connector = new Connector(parts(source, [new ScriptedSink('hec')]));
    const started = connector.start();
    await until(() => connector.status().source?.healthy === false);
    expect(connector.status()).toMatchObject({
      state: 'UNASSIGNED',
      degraded: true,
      source: {
        id: 'memory',
        healthy: false,
        lastError: {
          code: 'LB_TEST_UNREACHABLE',
          message: expect.stringContaining('ECONNREFUSED') as string,
        },
      },
      offsets: [],
      offsetsReadAtMs: undefined,
    });
    source.reachable = true;
    await started;
    expect(connector.status()).toMatchObject({
      state: 'RUNNING',
      degraded: false,
      source: { healthy: true },
    });
    await connector.stop();
  });

  it('sets the committed, end and lag gauges from one reading, and says when it was read', async () => {
    const registry = new Registry();
    const source = new FlakySource();
    source.reachable = true;
    const connector = new Connector(parts(source, [], { metrics: createEngineMetrics(registry) }));
    await connector.start();
    const before = Date.now();
    await connector.refreshOffsets();
    const status = connector.status();
    expect(status.offsets.map((o) => o.lag)).toEqual([4n]);
    expect(status.offsetsReadAtMs).toBeGreaterThanOrEqual(before);
    const text = await registry.metrics();
    expect(text).toContain('logbridge_committed_offset{connector="test",topic="t",partition="0"} 5');
    expect(text).toContain('logbridge_partition_end_offset{connector="test",topic="t",partition="0"} 9');
    await connector.stop();
  });

  it('counts received records exactly at every reading of the metrics, and the last ones at stop', async () => {
    const registry = new Registry();
    const source = new MemorySource();
    const connector = new Connector(
      parts(source, [new ScriptedSink()], { metrics: createEngineMetrics(registry) }),
    );
    const received = async (): Promise<number | undefined> =>
      (await registry.getSingleMetric('logbridge_records_received_total')?.get())?.values[0]?.value;
    await connector.start();
    source.offer([record('t', 0, 0), record('t', 0, 1), record('t', 0, 2)]);
    expect(await received()).toBe(3);
    source.offer([record('t', 0, 3)]);
    expect(await registry.metrics()).toContain('logbridge_records_received_total{connector="test"} 4');
    source.offer([record('t', 0, 4)]);
    await connector.stop();
    expect(await received()).toBe(5);
  });

  it('shows the source paused while it waits for the budget, until it reads again, also after a wait cut short', async () => {
    const registry = new Registry();
    const source = new MemorySource();
    const sink = new ScriptedSink();
    sink.held = Promise.withResolvers();
    const connector = new Connector(
      parts(source, [sink], {
        metrics: createEngineMetrics(registry),
        budget: { maxRecords: 4, maxBytes: 1_000_000 },
        commit: { intervalMs: 60_000, minGapMs: 0 },
      }),
    );
    const paused = async (): Promise<string | undefined> =>
      (await registry.metrics()).split('\n').find((line) => line.startsWith('logbridge_source_paused{'));
    await connector.start();
    expect(source.offer([0, 1, 2, 3].map((o) => record('t', 0, o)))).toBe(4);
    expect(connector.isFull()).toBe(true);
    // The source's wait ends at its heartbeat, the budget still full: it is still paused.
    await connector.ready(AbortSignal.timeout(20));
    expect(await paused()).toBe('logbridge_source_paused{connector="test"} 1');
    sink.held.resolve();
    await until(() => sink.received.length === 4);
    await until(() => !connector.isFull());
    // It reads on without asking again: no longer paused.
    expect(source.offer([record('t', 0, 4)])).toBe(1);
    expect(await paused()).toBe('logbridge_source_paused{connector="test"} 0');
    await connector.stop();
  });
});
