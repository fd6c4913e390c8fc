/**
 * The delivery contract with indexer acknowledgement, end to end through a real Kafka broker: a connector runs
 * in-process, HEC accepts the events at once but `/ack` holds them, and the committed offset waits until `/ack`
 * reports them indexed, then catches up.
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connector, createEngineMetrics } from '../../../src/engine/index.ts';
import { buildConnector, validateConnector } from '../../../src/worker/index.ts';
import { type HecServer, startHecServer } from '../../support/hec/index.ts';
import { committedOffsets, createTopic, produce, uniqueName } from '../../support/kafka/index.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { eventually } from './sink-harness.ts';

const TOKEN = '88888888-8888-4888-8888-888888888888';
const kafka = kafkaPeer();

let hec: HecServer;

beforeAll(async () => {
  hec = await startHecServer({ tokens: { [TOKEN]: { ack: true } } });
});

afterAll(async () => {
  await hec.close();
});

async function committed(group: string, topic: string): Promise<bigint> {
  return (await committedOffsets(kafka, group, topic))[0] ?? 0n;
}

describe('committed offsets with indexer acknowledgement', () => {
  it('lag behind what HEC accepted until /ack says true, then catch up', async () => {
    const topic = await createTopic(kafka);
    const group = uniqueName('hec-ack');
    const { connector: valid, issues } = validateConnector({
      name: 'hec-ack',
      config: {
        topics: topic,
        'kafka.bootstrap.servers': kafka.bootstrap,
        'kafka.group.id': group,
        'offset.flush.interval.ms': '250',
        'splunk.hec.uri': hec.url,
        'splunk.hec.token': TOKEN,
        'splunk.hec.ack.enabled': 'true',
        'splunk.hec.ack.poll.interval.ms': '50',
        'splunk.hec.linger.ms': '20',
      },
    });
    expect(issues).toEqual([]);
    if (valid === undefined) return;
    const registry = new Registry();
    const connector = new Connector(
      buildConnector(valid, {
        logger: pino({ level: 'silent' }),
        registry,
        metrics: createEngineMetrics(registry),
      }),
    );
    await connector.start();
    try {
      await produce(
        kafka,
        topic,
        Array.from({ length: 40 }, (_, i) => ({ value: `{"n":${i}}`, partition: 0 })),
      );
      await hec.waitForEvents(40, 30_000);
      await eventually(() => hec.pendingAcks() === 0, 10_000);
      await waitForCommit(group, topic, 40n);

      hec.setAck({ delayMs: Infinity });
      await produce(
        kafka,
        topic,
        Array.from({ length: 25 }, (_, i) => ({ value: `{"n":${40 + i}}`, partition: 0 })),
      );
      await hec.waitForEvents(65, 30_000);
      // Several commit periods pass while HEC holds the acks: the offset must not move past the first 40.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await committed(group, topic)).toBe(40n);
      expect(hec.pendingAcks()).toBeGreaterThan(0);

      hec.releaseAcks();
      await waitForCommit(group, topic, 65n);
      expect(hec.events.map((e) => (e.event as { n: number }).n).slice(0, 65)).toEqual(
        Array.from({ length: 65 }, (_, i) => i),
      );
      expect(hec.events[64]?.fields).toMatchObject({
        kafka_topic: topic,
        kafka_partition: '0',
        kafka_offset: '64',
      });
    } finally {
      hec.setAck({ delayMs: 0 });
      hec.releaseAcks();
      await connector.stop();
    }
  });
});

async function waitForCommit(group: string, topic: string, offset: bigint): Promise<void> {
  const until = Date.now() + 30_000;
  let last = await committed(group, topic);
  while (last !== offset) {
    if (Date.now() > until) throw new Error(`committed offset is ${last}, expected ${offset}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = await committed(group, topic);
  }
}
