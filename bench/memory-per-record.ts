/**
 * Live heap per in-flight record: records go through decode → a sink that never answers, until the budget is full;
 * then a forced GC and heapUsed per record. Run with --expose-gc:
 *
 *   node --expose-gc bench/memory-per-record.ts [records=20000] [valueBytes=200]
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import {
  Connector,
  createDecoder,
  createEngineMetrics,
  type LogEvent,
  type SourceContext,
  type SourceRecord,
} from '../src/engine/index.ts';

const count = Number(process.argv[2] ?? 20_000);
const valueBytes = Number(process.argv[3] ?? 200);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

let context: SourceContext | undefined;
const never = new Promise<never>(() => undefined);
const connector = new Connector({
  name: 'mem',
  source: {
    id: 'mem',
    start: async (c: SourceContext) => {
      context = c;
      await Promise.resolve();
    },
    commit: async () => {
      await Promise.resolve();
    },
    stop: async () => {
      await Promise.resolve();
    },
  },
  decode: createDecoder({ format: 'auto', maxRecordBytes: 1 << 20 }),
  transforms: [],
  sinks: [
    {
      id: 'black-hole',
      batch: { maxEvents: 500, maxBytes: 1 << 20, lingerMs: 10 },
      maxInFlight: 4,
      connect: async () => {
        await Promise.resolve();
      },
      encode: (event: LogEvent) => {
        const payload =
          JSON.stringify({
            time: event.timeMs / 1000,
            event: event.body,
            fields: { o: String(event.record.position.offset) },
          }) + '\n';
        return { payload, bytes: payload.length };
      },
      send: () => never,
      close: async () => {
        await Promise.resolve();
      },
    },
  ],
  deadLetters: undefined,
  tolerance: 'none',
  budget: { maxRecords: count * 2, maxBytes: 1 << 30 },
  commit: { intervalMs: 60_000, minGapMs: 250 },
  drainTimeoutMs: 0,
  metrics: createEngineMetrics(new Registry()),
  logger: pino({ level: 'silent' }),
});
await connector.start();
gc();
const before = process.memoryUsage().heapUsed;
const pad = 'y'.repeat(Math.max(0, valueBytes - 60));
for (let i = 0; i < count; i += 1) {
  const value = Buffer.from(JSON.stringify({ seq: i, log: `line ${i} ${pad}` }));
  const record: SourceRecord = {
    position: { topic: 'mem', partition: i % 4, offset: BigInt(i >> 2) },
    key: Buffer.from(String(i)),
    value,
    headers: {},
    timestampMs: Date.now(),
    sizeBytes: value.length,
  };
  context?.accept(record);
}
await new Promise((resolve) => setTimeout(resolve, 100));
gc();
const after = process.memoryUsage();
console.log(
  `in-flight records ${connector.status().inFlight.unsettled}, value ${valueBytes} B: ` +
    `heap ${((after.heapUsed - before) / count).toFixed(0)} B/record, external ${(after.external / count).toFixed(0)} B/record`,
);
process.exit(0);
