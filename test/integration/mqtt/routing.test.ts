/**
 * The seed idea end to end: 50,000 container log records on a 4-partition topic of the real Kafka broker,
 * logbridge in-process publishing each to `acme/<cluster>/<app>/<container id>` on a real Mosquitto at QoS 1, and
 * subscribers on `acme/clusterx/#`, `acme/+/appz/#` and one container's topic receiving exactly the matching events
 * and no others, with the Kafka coordinates as MQTT 5 user properties.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedOffsets, createTopic, endOffsets, produce } from '../../support/kafka/index.ts';
import { uniqueName } from '../../support/names.ts';
import {
  dedicatedMosquitto,
  type DedicatedPeer,
  kafkaPeer,
  type MosquittoPeer,
} from '../../support/peers.ts';
import { k8sLine, k8sMessages, type K8sLine } from '../../support/mqtt/k8s-records.ts';
import { Subscriber } from '../../support/mqtt/subscriber.ts';
import { type MqttWorker, startMqttWorker } from '../../support/mqtt/worker.ts';
import { waitFor } from '../../support/wait.ts';

const RECORDS = 50_000;
const kafka = kafkaPeer();
let broker: MosquittoPeer & DedicatedPeer;
let running: MqttWorker | undefined;
const subscribers: Subscriber[] = [];

beforeAll(async () => {
  broker = await dedicatedMosquitto();
});

afterAll(async () => {
  await running?.worker.stop();
  await Promise.all(subscribers.map((s) => s.close()));
  await broker.dispose();
});

const lines: K8sLine[] = Array.from({ length: RECORDS }, (_, seq) => k8sLine(seq));
const seqsWhere = (match: (line: K8sLine) => boolean): number[] => lines.filter(match).map((l) => l.seq);

describe('mqtt sink routing by the seed hierarchy', () => {
  it('delivers to each subscriber exactly the events its filter matches', async () => {
    const container = k8sLine(4).topic; // clustery / appy / one container
    const filters = {
      clusterx: { filter: 'acme/clusterx/#', expected: seqsWhere((l) => l.cluster === 'clusterx') },
      appz: { filter: 'acme/+/appz/#', expected: seqsWhere((l) => l.app === 'appz') },
      container: { filter: container, expected: seqsWhere((l) => l.topic === container) },
    };
    for (const { filter } of Object.values(filters)) {
      subscribers.push(await Subscriber.start(broker.url, filter, { clientId: uniqueName('sub') }));
    }
    const [clusterx, appz, one] = subscribers;
    const topic = await createTopic(kafka, { partitions: 4 });
    expect(await produce(kafka, topic, k8sMessages(RECORDS))).toBe(RECORDS);
    const ends = await endOffsets(kafka, topic);

    running = await startMqttWorker({ kafka, topic, name: uniqueName('mqtt-routing'), mqttUrl: broker.url });
    const group = running.group;
    await waitFor(
      async () => {
        const committed = await committedOffsets(kafka, group, topic);
        return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
      },
      100_000,
      'committed offsets to reach the end offsets',
    );
    await waitFor(
      () => subscribers.every((s, i) => s.seqs().length >= (Object.values(filters)[i]?.expected.length ?? 0)),
      20_000,
      'every subscriber to receive its events',
    );

    expect(clusterx?.seqs()).toEqual(filters.clusterx.expected);
    expect(appz?.seqs()).toEqual(filters.appz.expected);
    expect(one?.seqs()).toEqual(filters.container.expected);
    expect(filters.container.expected.length).toBeGreaterThan(1000);
    for (const s of subscribers) {
      for (const r of s.received) expect(r.topic).toBe(k8sLine(r.seq).topic);
      expect(s.duplicates()).toBe(0);
    }
    const sample = one?.received[0];
    expect(sample?.kTopic).toBe(topic);
    expect(Number(sample?.kPartition)).toBeGreaterThanOrEqual(0);
    expect(sample?.kOffset).toMatch(/^\d+$/);
    expect(running.connector.status().state).toBe('RUNNING');
    expect(await running.metric('logbridge_mqtt_acked_total')).toBe(RECORDS);
  });
});
