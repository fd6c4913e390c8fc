/**
 * Poison records: invalid UTF-8, a 6 MB value and broken JSON (with record.format=json) go to the dead-letter topic
 * with stage and reason; every other record is delivered; the process never restarts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { HecServer } from '../../support/hec/index.ts';
import { committedOffsets, consumeAll, createTopic, endOffsets, produce } from '../../support/kafka/index.ts';
import { startLogbridge, type RunningLogbridge } from '../../support/logbridge.ts';
import { uniqueName } from '../../support/names.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { waitFor } from '../../support/wait.ts';
import { countingHec, Deliveries, hecConnector, secretsEnv } from './setup.ts';

const GOOD = 3000;
const kafka = kafkaPeer();
let hec: HecServer | undefined;
let running: RunningLogbridge | undefined;

afterAll(async () => {
  await running?.kill();
  await hec?.close();
});

describe('poison records', () => {
  it('dead-letters bad records with stage and reason, delivers the rest, never restarts', async () => {
    const topic = await createTopic(kafka, { partitions: 2 });
    const dlq = await createTopic(kafka, { partitions: 1 });
    const poison = [
      { key: 'utf8', value: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xc3, 0x28, 0x7d]), partition: 0 },
      { key: 'huge', value: Buffer.alloc(6 * 1024 * 1024, 0x61), partition: 1 },
      { key: 'json', value: Buffer.from('{"seq": 1, "log": broken'), partition: 0 },
    ];
    await produce(
      kafka,
      topic,
      (function* () {
        for (let seq = 0; seq < GOOD; seq += 1) {
          yield { key: String(seq), value: JSON.stringify({ seq, log: `ok ${seq}` }), partition: seq % 2 };
          if (seq % 1000 === 500) {
            const bad = poison[(seq - 500) / 1000];
            if (bad) yield { ...bad, headers: { origin: 'poison-test' } };
          }
        }
      })(),
      { batchSize: 100 },
    );
    const deliveries = new Deliveries(GOOD);
    hec = await countingHec(deliveries);
    const name = uniqueName('poison');
    const connector = hecConnector(name, topic, kafka, hec, {
      'record.format': 'json',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
    });
    running = await startLogbridge({ connectors: [connector], env: secretsEnv(kafka, hec) });
    const pid = running.process.pid;

    const ends = await endOffsets(kafka, topic);
    await waitFor(
      async () => {
        const committed = await committedOffsets(kafka, `logbridge-${name}`, topic);
        return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
      },
      120_000,
      'committed offsets to reach the end offsets',
    );
    expect(deliveries.missing()).toEqual([]);
    expect(deliveries.total).toBe(GOOD);

    const letters = await consumeAll(kafka, dlq, { expected: 3 });
    const byKey = new Map(letters.map((r) => [r.key?.toString(), r]));
    expect([...byKey.keys()].sort()).toEqual(['huge', 'json', 'utf8']);
    for (const letter of letters) {
      expect(letter.headers['__connect.errors.topic']).toBe(topic);
      expect(letter.headers['__connect.errors.connector.name']).toBe(name);
      expect(letter.headers['__connect.errors.stage']).toBe('VALUE_CONVERTER');
      expect(letter.headers.origin).toBe('poison-test');
    }
    expect(byKey.get('utf8')?.headers['__connect.errors.exception.class.name']).toBe('LB_INVALID_UTF8');
    expect(byKey.get('utf8')?.value).toEqual(poison[0]?.value);
    expect(byKey.get('json')?.headers['__connect.errors.exception.class.name']).toBe('LB_INVALID_JSON');
    expect(byKey.get('huge')?.headers['__connect.errors.exception.class.name']).toBe('LB_OVERSIZE');
    expect(byKey.get('huge')?.headers['__logbridge.errors.truncated']).toBe(String(6 * 1024 * 1024));
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
        `logbridge_dead_letter_bytes_cut_total\\{connector="${name}"\\} ${String(6 * 1024 * 1024 - kept)}\\n`,
      ),
    );
    expect((await running.stop()).code).toBe(0);
  });
});
