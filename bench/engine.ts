/**
 * Engine throughput: records through decode → tracker → a sink that acknowledges at once, with commits, on one
 * core (this process). Prints records/s, MB/s and peak RSS. Not a test: figures only.
 *
 *   node bench/engine.ts [records=500000] [recordBytes=1024]
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import {
  type CommitOffset,
  Connector,
  createDecoder,
  createEngineMetrics,
  type Source,
  type SourceContext,
  type SourceRecord,
} from '../src/engine/index.ts';
import { report, sampleRss } from './report.ts';
import { InstantSink } from './instant-sink.ts';

const total = Number(process.argv[2] ?? 500_000);
const recordBytes = Number(process.argv[3] ?? 1024);
const partitions = 8;

/** Feeds pre-built records as fast as the budget allows, like the kafka source's eachBatch loop. */
class FeedSource implements Source {
  readonly id = 'feed';
  #context: SourceContext | undefined;

  async start(context: SourceContext): Promise<void> {
    this.#context = context;
    context.assigned(Array.from({ length: partitions }, (_, partition) => ({ topic: 'bench', partition })));
    await Promise.resolve();
  }

  async feed(count: number, make: (i: number) => SourceRecord): Promise<void> {
    const context = this.#context;
    if (context === undefined) throw new Error('not started');
    let i = 0;
    while (i < count) {
      if (context.isFull()) {
        await context.ready();
        continue;
      }
      context.accept(make(i));
      i += 1;
      // Yield now and then, as a fetch loop does between batches.
      if (i % 500 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async commit(_offsets: readonly CommitOffset[]): Promise<void> {
    await Promise.resolve();
  }

  async stop(): Promise<void> {
    await Promise.resolve();
  }
}

const filler = 'x'.repeat(Math.max(0, recordBytes - 120));
const nextOffset = new Array<bigint>(partitions).fill(0n);
let bytes = 0;

/** Builds record i on demand, so that RSS shows the engine, not the input. */
function makeRecord(i: number): SourceRecord {
  const partition = i % partitions;
  const offset = nextOffset[partition] ?? 0n;
  nextOffset[partition] = offset + 1n;
  const value = Buffer.from(
    JSON.stringify({ log: `request ${i} served in 12ms ${filler}`, stream: 'stdout', seq: i }),
  );
  bytes += value.length;
  return {
    position: { topic: 'bench', partition, offset },
    key: null,
    value,
    headers: {},
    timestampMs: Date.now(),
    sizeBytes: value.length,
  };
}

const source = new FeedSource();
const sink = new InstantSink();
const connector = new Connector({
  name: 'bench',
  source,
  decode: createDecoder({ format: 'auto', maxRecordBytes: 1_048_576 }),
  transforms: [],
  sinks: [sink],
  deadLetters: undefined,
  tolerance: 'none',
  budget: { maxRecords: 40_000, maxBytes: 16 * 1024 * 1024 },
  commit: { intervalMs: 1000, minGapMs: 250 },
  drainTimeoutMs: 30_000,
  metrics: createEngineMetrics(new Registry()),
  logger: pino({ level: 'silent' }),
});
await connector.start();
const rss = sampleRss();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await source.feed(total, makeRecord);
await connector.stop();
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
if (sink.delivered !== total) throw new Error(`delivered ${sink.delivered} of ${total}`);
report('engine (decode → tracker → instant sink, 1 core)', {
  records: total,
  seconds,
  bytes,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  peakRssBytes: rss.stop(),
});
