/**
 * `preview --from-topic` and `POST …/preview {"from_topic"}` read the latest records with a throwaway consumer group
 * that commits nothing and is gone afterwards; the connector's own group is never touched.
 */
import { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { committedOffsets, createTopic, plaintextConfig, produce } from '../../support/kafka/index.ts';
import { uniqueName } from '../../support/names.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { previewConnector, sampleFromTopics, validateConnector } from '../../../src/worker/index.ts';

const kafka = kafkaPeer();

describe('preview from the topic', () => {
  it('reads the latest records of every partition, commits nothing and leaves no group behind', async () => {
    const topic = await createTopic(kafka, { partitions: 2 });
    await produce(
      kafka,
      topic,
      Array.from({ length: 40 }, (_, seq) => ({ value: JSON.stringify({ seq }), partition: seq % 2 })),
    );
    const name = uniqueName('preview');
    const { connector, issues } = validateConnector({
      name,
      config: {
        topics: topic,
        'kafka.bootstrap.servers': kafka.bootstrap,
        'splunk.hec.uri': 'http://127.0.0.1:9',
        'splunk.hec.token': 't',
      },
    });
    if (connector === undefined) throw new Error(JSON.stringify(issues));
    const samples = await sampleFromTopics(connector, { count: 6 });
    expect(samples.map((r) => `${r.position.partition}@${r.position.offset}`)).toEqual([
      '0@17',
      '0@18',
      '0@19',
      '1@17',
      '1@18',
      '1@19',
    ]);
    const report = await previewConnector(connector, samples);
    expect(report.summary.events).toEqual({ 'splunk-hec': 6 });
    expect(report.records[0]?.outputs[0]?.sinks[0]).toMatchObject({ envelope: { event: { seq: 34 } } });

    expect(await committedOffsets(kafka, `logbridge-${name}`, topic)).toEqual({});
    const admin = new Kafka(plaintextConfig(kafka)).admin();
    await admin.connect();
    try {
      const { groups } = await admin.listGroups();
      expect(groups.filter((g) => g.groupId.startsWith(`logbridge-preview-${name}`))).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });
});
