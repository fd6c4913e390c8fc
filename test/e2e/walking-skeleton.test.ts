/**
 * The foundation's acceptance: 10,000 records on a 4-partition topic, logbridge as a child process reaching the
 * broker over the Event Hubs-like SASL_SSL listener with only a connection string, every event at the HEC server
 * exactly once, and the group's committed offsets equal to the end offsets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHecServer, type HecServer } from '../support/hec/index.ts';
import { committedOffsets, createTopic, endOffsets, produce, requireSasl } from '../support/kafka/index.ts';
import { startLogbridge, type RunningLogbridge } from '../support/logbridge.ts';
import { uniqueName } from '../support/names.ts';
import { kafkaPeer } from '../support/peers.ts';
import { waitFor } from '../support/wait.ts';

const RECORDS = 10_000;
const kafka = kafkaPeer();
let hec: HecServer;
let logbridge: RunningLogbridge | undefined;

beforeAll(async () => {
  hec = await startHecServer();
});
afterAll(async () => {
  await logbridge?.kill();
  await hec.close();
});

describe('walking skeleton over SASL_SSL', () => {
  it('delivers 10,000 records exactly once and commits the end offsets', async () => {
    const sasl = requireSasl(kafka);
    console.log(
      `e2e: logbridge reaches Kafka ${kafka.version ?? ''} over SASL_SSL ${sasl.saslBootstrap} (Event Hubs preset)`,
    );
    const topic = await createTopic(kafka, { partitions: 4 });
    const name = uniqueName('skeleton');
    const produced = await produce(
      kafka,
      topic,
      (function* () {
        for (let i = 0; i < RECORDS; i += 1) {
          const value =
            i % 3 === 0 ? `plain text line ${i}` : JSON.stringify({ seq: i, log: `json line ${i}` });
          yield { key: `k${i}`, value };
        }
      })(),
    );
    expect(produced).toBe(RECORDS);
    const ends = await endOffsets(kafka, topic);

    logbridge = await startLogbridge({
      connectors: [
        {
          name,
          config: {
            topics: topic,
            'eventhubs.connection.string': '${env:EVENTHUBS_CONNECTION_STRING}',
            ...(kafka.caFile === undefined ? {} : { 'kafka.ssl.ca.location': kafka.caFile }),
            'splunk.hec.uri': hec.url,
            'splunk.hec.token': '${env:HEC_TOKEN}',
            'offset.flush.interval.ms': '1000',
          },
        },
      ],
      env: { EVENTHUBS_CONNECTION_STRING: sasl.connectionString, HEC_TOKEN: hec.token },
    });

    await waitFor(
      async () => {
        const committed = await committedOffsets(kafka, `logbridge-${name}`, topic);
        return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
      },
      120_000,
      'committed offsets to reach the end offsets',
    );

    const seen = hec.events.map((e) => {
      const body = e.event as string | { seq: number };
      return typeof body === 'string' ? Number(body.split(' ').at(-1)) : body.seq;
    });
    expect(seen).toHaveLength(RECORDS);
    expect(new Set(seen).size).toBe(RECORDS);
    expect(Math.min(...seen)).toBe(0);
    expect(Math.max(...seen)).toBe(RECORDS - 1);
    for (const e of hec.events) expect(e.fields).toMatchObject({ kafka_topic: topic });

    const exit = await logbridge.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(await committedOffsets(kafka, `logbridge-${name}`, topic)).toEqual(ends);
  });
});
