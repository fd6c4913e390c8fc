/**
 * Backpressure with CRI lines: HEC acknowledges every request only 6 s later (indexer acknowledgement), the
 * in-flight budget is small, and lines of 20–40 KiB arrive as 16 KiB `P` fragments and an `F` rest from four
 * sources interleaved on two partitions. logbridge keeps pausing with fragments held whose rest already waits in the
 * log, longer than `max.age.ms` (5 s): every line still reaches HEC whole, never cut in two, once each.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN, type HecServer } from '../../support/hec/index.ts';
import { committedOffsets, createTopic, endOffsets, produce } from '../../support/kafka/index.ts';
import { startLogbridge, type RunningLogbridge } from '../../support/logbridge.ts';
import { uniqueName } from '../../support/names.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { waitFor } from '../../support/wait.ts';
import { criLine, type CriLine, LineDeliveries } from './members.ts';
import { countingHec, Deliveries, hecConnector, secretsEnv } from './setup.ts';

const LINES = 120;
const SOURCES = ['api-1', 'api-2', 'worker-1', 'worker-2'];
const kafka = kafkaPeer();
let hec: HecServer | undefined;
let running: RunningLogbridge | undefined;

afterAll(async () => {
  await running?.kill();
  await hec?.close();
});

/** Lines of each source in order; the sources' fragments interleaved at random (seeded), as a partition mixes them. */
function interleaved(seed: number): {
  lines: CriLine[];
  records: { key: string; partition: number; value: string }[];
} {
  let state = seed;
  const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const lines = Array.from({ length: LINES }, (_, i) => {
    const key = SOURCES[i % SOURCES.length] ?? 'api-1';
    return criLine(
      `${key}-${String(i)}`,
      key,
      SOURCES.indexOf(key) % 2,
      20_480 + Math.floor(random() * 20_480),
    );
  });
  const queues = SOURCES.map((key) =>
    lines
      .filter((l) => l.key === key)
      .flatMap((l) => l.records.map((value) => ({ key, partition: l.partition, value }))),
  );
  const records: { key: string; partition: number; value: string }[] = [];
  while (queues.some((q) => q.length > 0)) {
    const ready = queues.filter((q) => q.length > 0);
    const next = ready[Math.floor(random() * ready.length)]?.shift();
    if (next !== undefined) records.push(next);
  }
  return { lines, records };
}

describe('backpressure with CRI lines', () => {
  it('joins every line although HEC acknowledges 6 s late and the budget keeps the source paused', async () => {
    const started = Date.now();
    const seed = Date.now() % 2 ** 31;
    const topic = await createTopic(kafka, { partitions: 2 });
    const name = uniqueName('backpressure-cri');
    const received = new LineDeliveries();
    hec = await countingHec(new Deliveries(0), {
      tokens: { [DEFAULT_TOKEN]: { ack: true } },
      ack: { delayMs: 6000 },
      onEvent: (event) => {
        received.record(event);
      },
    });
    const { lines, records } = interleaved(seed);
    await produce(kafka, topic, records);
    const connector = hecConnector(name, topic, kafka, hec, {
      transforms: 'cri',
      'transforms.cri.type': 'cri',
      'splunk.hec.ack.enabled': 'true',
      'inflight.max.records': '40',
    });
    running = await startLogbridge({ connectors: [connector], env: secretsEnv(kafka, hec) });
    const ends = await endOffsets(kafka, topic);
    await waitFor(
      async () => {
        const committed = await committedOffsets(kafka, `logbridge-${name}`, topic);
        return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
      },
      240_000,
      'committed offsets to reach the end offsets',
    );
    const metrics = await running.metrics();
    const paused = metrics.split('\n').find((l) => l.startsWith('logbridge_source_paused'));
    console.log(
      `backpressure-cri test: seed ${seed}, ${records.length} records, ${received.total} events for ${LINES} lines, ` +
        `${received.partial} partial; ${paused ?? ''}; ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    expect(received.foreign(lines)).toEqual([]);
    expect(received.missing(lines)).toEqual([]);
    expect(received.partial).toBe(0);
    expect(received.total).toBe(LINES);
    expect((await running.stop()).code).toBe(0);
  });
});
