/**
 * A real engine `Connector` around a sink under test: an in-memory source (one partition), dead letters kept in
 * memory (errors.tolerance=all), and the checkpoint read from the connector's status, so tests assert what settled,
 * what was dead-lettered and what the checkpoint became.
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import {
  type BackoffOptions,
  type CommitOffset,
  Connector,
  createDecoder,
  createEngineMetrics,
  type DeadLetterQueue,
  type Failure,
  type Sink,
  type Source,
  type SourceContext,
  type SourceRecord,
} from '../../../../src/engine/index.ts';

/** A source fed by the test. */
export class MemorySource implements Source {
  readonly id = 'memory';
  context: SourceContext | undefined;
  readonly commits: CommitOffset[][] = [];

  async start(context: SourceContext): Promise<void> {
    this.context = context;
    context.assigned([{ topic: 'logs', partition: 0 }]);
    await Promise.resolve();
  }

  offer(records: readonly SourceRecord[]): void {
    for (const r of records) this.context?.accept(r);
  }

  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    this.commits.push([...offsets]);
    await Promise.resolve();
  }

  async stop(): Promise<void> {
    await Promise.resolve();
  }
}

/** Dead letters kept in memory. */
export class MemoryDeadLetters implements DeadLetterQueue {
  readonly written: { record: SourceRecord; failure: Failure }[] = [];

  async write(record: SourceRecord, failure: Failure): Promise<void> {
    this.written.push({ record, failure });
    await Promise.resolve();
  }

  async close(): Promise<void> {
    await Promise.resolve();
  }

  /** Offset and error code of each dead letter. */
  reasons(): { offset: bigint; code: string }[] {
    return this.written.map((w) => ({ offset: w.record.position.offset, code: w.failure.cause.code }));
  }
}

/** A record of the `logs` topic, partition 0, whose value is a JSON object. */
export function jsonRecord(offset: number, body: Record<string, unknown>): SourceRecord {
  const value = Buffer.from(JSON.stringify(body));
  return {
    position: { topic: 'logs', partition: 0, offset: BigInt(offset) },
    key: null,
    value,
    headers: {},
    timestampMs: 1_700_000_000_000,
    sizeBytes: value.length,
  };
}

/** A started connector around `sink`. */
export interface Harness {
  readonly connector: Connector;
  readonly source: MemorySource;
  readonly deadLetters: MemoryDeadLetters;
  /** The checkpoint of partition 0: the next offset to commit (contiguous settled watermark). */
  checkpoint(): bigint | undefined;
}

/** Starts a connector (tolerance all, fast backoff) around the sink. */
export async function startHarness(
  sink: Sink,
  backoff: BackoffOptions = { baseMs: 5, capMs: 20 },
): Promise<Harness> {
  const source = new MemorySource();
  const deadLetters = new MemoryDeadLetters();
  const connector = new Connector({
    name: 'test',
    source,
    decode: createDecoder({ format: 'auto', maxRecordBytes: 1_000_000 }),
    transforms: [],
    sinks: [sink],
    deadLetters,
    tolerance: 'all',
    budget: { maxRecords: 10_000, maxBytes: 100_000_000 },
    commit: { intervalMs: 60_000, minGapMs: 0 },
    drainTimeoutMs: 2000,
    backoff,
    metrics: createEngineMetrics(new Registry()),
    logger: pino({ level: 'silent' }),
  });
  await connector.start();
  return {
    connector,
    source,
    deadLetters,
    checkpoint: () => connector.status().partitions.find((p) => p.partition === 0)?.watermark,
  };
}

/** Polls until `check` holds (no fixed sleeps), failing after `ms`. */
export async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
