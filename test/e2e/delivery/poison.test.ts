/**
 * Poison records, for each source: invalid UTF-8, an oversize value (6 MB on Kafka; on Event Hubs, whose Standard tier
 * takes at most 1 MB, 900 KiB over a lowered `record.max.bytes`) and broken JSON (with record.format=json) go to the
 * dead-letter topic or event hub with stage and reason; every other record is delivered; the process never restarts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { HecServer } from '../../support/hec/index.ts';
import { startLogbridge, type RunningLogbridge } from '../../support/logbridge.ts';
import { uniqueName } from '../../support/names.ts';
import { waitFor } from '../../support/wait.ts';
import { countingHec, Deliveries } from './setup.ts';
import { deliverySource, type DeliverySource } from './sources.ts';

const GOOD = 3000;
const KiB = 1024;
let source: DeliverySource | undefined;
let hec: HecServer | undefined;
let running: RunningLogbridge | undefined;

/** Per source: the oversize value, and the limits that make it oversize and cut its dead letter. */
const OVERSIZE = {
  kafka: { bytes: 6 * 1024 * KiB, config: {} },
  eventhubs: {
    bytes: 900 * KiB,
    config: { 'record.max.bytes': String(256 * KiB), 'errors.deadletterqueue.max.bytes': String(128 * KiB) },
  },
} as const;

describe.each(['kafka', 'eventhubs'] as const)('poison records (source.type=%s)', (kind) => {
  afterAll(async () => {
    await running?.kill();
    running = undefined;
    await hec?.close();
    hec = undefined;
    await source?.close();
    source = undefined;
  });

  it('dead-letters bad records with stage and reason, delivers the rest, never restarts', async () => {
    source = await deliverySource(kind);
    const stream = await source.stream(2);
    const dlq = await source.deadLetters();
    const oversize = OVERSIZE[kind];
    expect(oversize.bytes).toBeLessThan(source.maxRecordBytes);
    const poison = [
      { key: 'utf8', value: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xc3, 0x28, 0x7d]), partition: 0 },
      { key: 'huge', value: Buffer.alloc(oversize.bytes, 0x61), partition: 1 },
      { key: 'json', value: Buffer.from('{"seq": 1, "log": broken'), partition: 0 },
    ];
    await stream.produce(
      (function* () {
        for (let seq = 0; seq < GOOD; seq += 1) {
          yield { key: String(seq), value: JSON.stringify({ seq, log: `ok ${seq}` }), partition: seq % 2 };
          if (seq % 1000 === 500) {
            const bad = poison[(seq - 500) / 1000];
            // Named by a header too: an event hub's event has a partition key or an explicit partition, not both.
            if (bad) yield { ...bad, headers: { origin: 'poison-test', poison: bad.key } };
          }
        }
      })(),
      { batchSize: 100 },
    );
    const deliveries = new Deliveries(GOOD);
    hec = await countingHec(deliveries);
    const name = uniqueName('poison');
    const connector = stream.connector(name, hec, {
      'record.format': 'json',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq.topic,
      ...oversize.config,
    });
    running = await startLogbridge({ connectors: [connector], env: stream.env(hec) });
    const pid = running.process.pid;

    const ends = await stream.ends();
    await waitFor(
      async () => {
        const committed = await stream.committed(name);
        return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
      },
      120_000,
      'committed positions to reach the ends',
    );
    expect(deliveries.missing()).toEqual([]);
    expect(deliveries.total).toBe(GOOD);

    const letters = await dlq.read(3);
    const byKey = new Map(letters.map((r) => [r.headers['poison'], r]));
    expect([...byKey.keys()].sort()).toEqual(['huge', 'json', 'utf8']);
    for (const letter of letters) {
      expect(letter.headers['__connect.errors.topic']).toBe(stream.topic);
      expect(letter.headers['__connect.errors.connector.name']).toBe(name);
      expect(letter.headers['__connect.errors.stage']).toBe('VALUE_CONVERTER');
      expect(letter.headers.origin).toBe('poison-test');
    }
    expect(byKey.get('utf8')?.headers['__connect.errors.exception.class.name']).toBe('LB_INVALID_UTF8');
    expect(byKey.get('utf8')?.value).toEqual(poison[0]?.value);
    expect(byKey.get('json')?.headers['__connect.errors.exception.class.name']).toBe('LB_INVALID_JSON');
    expect(byKey.get('huge')?.headers['__connect.errors.exception.class.name']).toBe('LB_OVERSIZE');
    expect(byKey.get('huge')?.headers['__logbridge.errors.truncated']).toBe(String(oversize.bytes));
    expect(byKey.get('huge')?.headers['__connect.errors.exception.message']).toMatch(/record\.max\.bytes/);

    expect(running.process.pid).toBe(pid);
    expect(running.process.exitStatus).toBeUndefined();
    const metrics = await running.metrics();
    expect(metrics).toMatch(
      /logbridge_dead_letters_total\{[^}]*stage="VALUE_CONVERTER"[^}]*reason="LB_OVERSIZE"\} 1/,
    );
    // The cut is a loss of bytes: counted, once, with how many bytes went.
    const kept = byKey.get('huge')?.value?.length ?? -1;
    expect(kept).toBeGreaterThan(0);
    expect(metrics).toMatch(
      new RegExp(`logbridge_dead_letters_truncated_total\\{connector="${name}"\\} 1\\n`),
    );
    expect(metrics).toMatch(
      new RegExp(
        `logbridge_dead_letter_bytes_cut_total\\{connector="${name}"\\} ${String(oversize.bytes - kept)}\\n`,
      ),
    );
    expect((await running.stop()).code).toBe(0);
  });
});
