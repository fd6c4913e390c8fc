/**
 * Order through broker restarts: Mosquitto is restarted three times, down 1 s each, while a stream of records from
 * four partitions is published; a subscriber to every topic must see, per topic and partition, the offsets in
 * increasing order (a duplicate of an offset seen before aside), and every record. The broker persists its sessions
 * and the subscriber keeps a persistent one, so nothing the broker acknowledged is lost across its restarts (see
 * test/support/mqtt/mosquitto.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedOffsets, createTopic, endOffsets, produce } from '../../support/kafka/index.ts';
import { k8sMessages } from '../../support/mqtt/k8s-records.ts';
import { type ConfiguredMosquitto, startConfiguredMosquitto } from '../../support/mqtt/mosquitto.ts';
import { type Received, Subscriber } from '../../support/mqtt/subscriber.ts';
import { type MqttWorker, startMqttWorker } from '../../support/mqtt/worker.ts';
import { uniqueName } from '../../support/names.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { waitFor } from '../../support/wait.ts';

const RECORDS = 40_000;
const RESTARTS = 3;
const kafka = kafkaPeer();
let broker: ConfiguredMosquitto;
let running: MqttWorker | undefined;
let subscriber: Subscriber | undefined;

beforeAll(async () => {
  broker = await startConfiguredMosquitto({ persistence: true, maxInflightMessages: 1000 });
});

afterAll(async () => {
  await running?.worker.stop();
  await subscriber?.close();
  await broker.dispose();
});

/** Offsets that arrived before a smaller offset of the same topic and partition had arrived once. */
function outOfOrder(received: readonly Received[]): string[] {
  const last = new Map<string, number>();
  const seen = new Set<string>();
  const late: string[] = [];
  for (const r of received) {
    const offset = Number(r.kOffset);
    const id = `${r.kPartition ?? ''}@${r.kOffset ?? ''}`;
    if (seen.has(id)) continue; // a duplicate of one seen before
    seen.add(id);
    const lane = `${r.topic} ${r.kPartition ?? ''}`;
    const previous = last.get(lane) ?? -1;
    if (offset < previous) late.push(`${lane}: ${offset} after ${previous}`);
    last.set(lane, Math.max(previous, offset));
  }
  return late;
}

describe('mqtt sink across broker restarts', () => {
  it('keeps each partition in offset order per topic, and hands each message over once', async () => {
    subscriber = await Subscriber.start(broker.url, 'acme/#', {
      clientId: uniqueName('order-sub'),
      persistent: true,
    });
    const topic = await createTopic(kafka, { partitions: 4 });
    expect(await produce(kafka, topic, k8sMessages(RECORDS))).toBe(RECORDS);
    const ends = await endOffsets(kafka, topic);
    running = await startMqttWorker({
      kafka,
      topic,
      name: uniqueName('mqtt-order'),
      mqttUrl: broker.url,
      // Many small batches in flight, so that batches are still being handed over while the broker is down.
      config: {
        'mqtt.batch.max.messages': '100',
        'mqtt.max.inflight.batches': '32',
        'mqtt.reconnect.period.ms': '200',
        'errors.retry.delay.max.ms': '2000',
      },
    });
    const { group, metric } = running;
    const sub = subscriber;

    for (let restart = 1; restart <= RESTARTS; restart += 1) {
      const mark = (RECORDS * restart) / (RESTARTS + 1);
      await waitFor(() => sub.received.length >= mark, 60_000, `${mark} events before restart ${restart}`);
      await broker.stop();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await broker.start();
    }
    await waitFor(
      async () => {
        const committed = await committedOffsets(kafka, group, topic);
        return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
      },
      120_000,
      'committed offsets to reach the end offsets',
    );
    await waitFor(() => sub.seqs().length === RECORDS, 30_000, 'the subscriber to have every event');

    expect(sub.seqs()).toEqual(Array.from({ length: RECORDS }, (_, seq) => seq));
    expect(outOfOrder(sub.received)).toEqual([]);
    // logbridge handed every message to MQTT.js once; only MQTT.js resent the unacknowledged ones.
    expect(await metric('logbridge_mqtt_published_total')).toBe(RECORDS);
    expect(await metric('logbridge_mqtt_reconnects_total')).toBeGreaterThanOrEqual(RESTARTS);
    console.log(
      `${RESTARTS} restarts: ${sub.received.length} messages received for ${RECORDS} records ` +
        `(${sub.duplicates()} duplicates), resent by MQTT.js ${await metric('logbridge_mqtt_republished_total')}`,
    );
  });
});
