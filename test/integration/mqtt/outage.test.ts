/**
 * Mosquitto stopped for 20 s mid-stream and restarted: nothing is lost, and while it is down the committed offsets
 * stay behind what the broker acknowledged (PUBACK). The broker persists its sessions (see
 * test/support/mqtt/mosquitto.ts: without persistence a restart itself drops what it had accepted and not yet
 * delivered, which no publisher can prevent), and the subscribers keep persistent sessions, so every event the
 * broker acknowledged reaches them after the restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedOffsets, createTopic, endOffsets, produce } from '../../support/kafka/index.ts';
import { uniqueName } from '../../support/names.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { k8sLine, k8sMessages } from '../../support/mqtt/k8s-records.ts';
import { type ConfiguredMosquitto, startConfiguredMosquitto } from '../../support/mqtt/mosquitto.ts';
import { Subscriber } from '../../support/mqtt/subscriber.ts';
import { type MqttWorker, startMqttWorker } from '../../support/mqtt/worker.ts';
import { waitFor } from '../../support/wait.ts';

const RECORDS = 50_000;
const OUTAGE_MS = 20_000;
const kafka = kafkaPeer();
let broker: ConfiguredMosquitto;
let running: MqttWorker | undefined;
const subscribers: Subscriber[] = [];

beforeAll(async () => {
  broker = await startConfiguredMosquitto({ persistence: true });
});

afterAll(async () => {
  await running?.worker.stop();
  await Promise.all(subscribers.map((s) => s.close()));
  await broker.dispose();
});

/** Starts subscribers on `acme/#` (all) and `acme/+/appz/#`, a topic with the records, and a worker. */
async function streamThrough(
  name: string,
  config: Record<string, string>,
): Promise<{
  audit: Subscriber;
  apps: Subscriber;
  topic: string;
  ends: Readonly<Record<number, bigint>>;
  running: MqttWorker;
}> {
  const [audit, apps] = await Promise.all(
    ['acme/#', 'acme/+/appz/#'].map((filter) =>
      Subscriber.start(broker.url, filter, { clientId: uniqueName('outage-sub'), persistent: true }),
    ),
  );
  if (audit === undefined || apps === undefined) throw new Error('subscribers did not start');
  subscribers.push(audit, apps);
  const topic = await createTopic(kafka, { partitions: 4 });
  expect(await produce(kafka, topic, k8sMessages(RECORDS))).toBe(RECORDS);
  const ends = await endOffsets(kafka, topic);
  running = await startMqttWorker({
    kafka,
    topic,
    name: uniqueName(name),
    mqttUrl: broker.url,
    // Small batches and budget keep the stream going for a while; retries capped so recovery is prompt.
    config: {
      'mqtt.batch.max.messages': '100',
      'mqtt.max.inflight.batches': '2',
      'inflight.max.records': '2000',
      'errors.retry.delay.max.ms': '2000',
      ...config,
    },
  });
  return { audit, apps, topic, ends, running };
}

/** Waits until the group committed the end offsets and the subscribers have every event they match. */
async function expectEverything(stream: Awaited<ReturnType<typeof streamThrough>>): Promise<void> {
  const { audit, apps, topic, ends, running: worker } = stream;
  await waitFor(
    async () => {
      const committed = await committedOffsets(kafka, worker.group, topic);
      return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
    },
    120_000,
    'committed offsets to reach the end offsets',
  );
  const all = Array.from({ length: RECORDS }, (_, seq) => seq);
  const appz = all.filter((seq) => k8sLine(seq).app === 'appz');
  await waitFor(() => audit.seqs().length === RECORDS, 30_000, 'the audit subscriber to have every event');
  await waitFor(() => apps.seqs().length === appz.length, 30_000, 'the appz subscriber to have its events');
  expect(audit.seqs()).toEqual(all);
  expect(apps.seqs()).toEqual(appz);
  for (const r of apps.received) expect(r.topic).toBe(k8sLine(r.seq).topic);
}

const sum = (offsets: Readonly<Record<number, bigint>>): number =>
  Object.values(offsets).reduce((total, offset) => total + Number(offset), 0);

describe('mqtt sink across a Mosquitto outage', () => {
  it('loses nothing and commits only what the broker acknowledged', { timeout: 240_000 }, async () => {
    const stream = await streamThrough('mqtt-outage', {});
    const { audit, topic } = stream;
    const { group, metric, connector } = stream.running;

    await waitFor(() => audit.received.length >= 15_000, 60_000, 'the stream to be under way');
    await broker.stop();
    const stoppedAt = Date.now();
    // Let the last commit of what was acknowledged before the stop land, then compare while the broker is down.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const committedDuring = await committedOffsets(kafka, group, topic);
    const ackedDuring = await metric('logbridge_mqtt_acked_total');
    expect(sum(committedDuring)).toBeLessThanOrEqual(ackedDuring);
    expect(sum(committedDuring)).toBeLessThan(RECORDS);
    expect(connector.status().sinks[0]?.healthy).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - stoppedAt)));
    expect(await committedOffsets(kafka, group, topic)).toEqual(committedDuring);
    await broker.start();

    await expectEverything(stream);
    expect(await metric('logbridge_mqtt_reconnects_total')).toBeGreaterThanOrEqual(1);
    console.log(
      `stop/start: committed ${sum(committedDuring)} of ${RECORDS} during the outage (acked ${ackedDuring}); ` +
        `duplicates after the restart: ${audit.duplicates()}`,
    );
    await stream.running.worker.stop();
  });

  it(
    'resends the PUBLISH packets in flight when the broker froze, and commits none of them before their PUBACK',
    {
      timeout: 240_000,
    },
    async () => {
      // Keep-alive 2 s: the frozen broker is detected after 3 s, the connection dropped and retried.
      const stream = await streamThrough('mqtt-freeze', {
        'mqtt.keepalive.s': '2',
        'mqtt.connect.timeout.ms': '2000',
      });
      const { audit, topic } = stream;
      const { group, metric } = stream.running;

      await waitFor(() => audit.received.length >= 15_000, 60_000, 'the stream to be under way');
      broker.freeze();
      const frozenAt = Date.now();
      await waitFor(
        async () => (await metric('logbridge_mqtt_in_flight_messages')) > 0,
        10_000,
        'messages in flight',
      );
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const inFlight = await metric('logbridge_mqtt_in_flight_messages');
      const committedDuring = await committedOffsets(kafka, group, topic);
      const ackedDuring = await metric('logbridge_mqtt_acked_total');
      expect(inFlight).toBeGreaterThan(0);
      expect(sum(committedDuring)).toBeLessThanOrEqual(ackedDuring);
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - frozenAt)));
      expect(await committedOffsets(kafka, group, topic)).toEqual(committedDuring);
      broker.thaw();

      await expectEverything(stream);
      expect(await metric('logbridge_mqtt_republished_total')).toBeGreaterThan(0);
      console.log(
        `freeze: ${inFlight} PUBLISH packets in flight, committed ${sum(committedDuring)} (acked ${ackedDuring}); ` +
          `resent ${await metric('logbridge_mqtt_republished_total')}, duplicates seen: ${audit.duplicates()}`,
      );
    },
  );
});
