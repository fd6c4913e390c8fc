/**
 * The kafka source against the real broker: the offset reset policy (logged and counted), and refused credentials
 * failing the connector with a message that says what to fix and never shows the key.
 */
import { Kafka } from 'kafkajs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../../src/config/index.ts';
import { Worker } from '../../../src/worker/index.ts';
import { startHecServer, type HecServer } from '../../support/hec/index.ts';
import {
  committedOffsets,
  createTopic,
  plaintextConfig,
  produce,
  requireSasl,
} from '../../support/kafka/index.ts';
import { uniqueName } from '../../support/names.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { waitFor } from '../../support/wait.ts';

const kafka = kafkaPeer();
let hec: HecServer;
const workers: Worker[] = [];

beforeAll(async () => {
  hec = await startHecServer();
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await hec.close();
});

function worker(lines: string[]): Worker {
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  const w = new Worker(loadWorkerConfig(undefined, {}), logger);
  workers.push(w);
  return w;
}

function connector(
  name: string,
  topic: string,
  extra: Record<string, string> = {},
): { name: string; config: Record<string, string> } {
  const sasl = requireSasl(kafka);
  return {
    name,
    config: {
      topics: topic,
      'eventhubs.connection.string': sasl.connectionString,
      ...(kafka.caFile === undefined ? {} : { 'kafka.ssl.ca.location': kafka.caFile }),
      'splunk.hec.uri': hec.url,
      'splunk.hec.token': hec.token,
      'offset.flush.interval.ms': '500',
      ...extra,
    },
  };
}

describe('kafka source', () => {
  it('restarts a partition whose committed offset expired at the reset policy, logged and counted', async () => {
    const topic = await createTopic(kafka, { partitions: 1 });
    const name = uniqueName('reset');
    await produce(
      kafka,
      topic,
      Array.from({ length: 20 }, (_, i) => ({ value: `line ${i}` })),
    );
    const admin = new Kafka(plaintextConfig(kafka)).admin();
    await admin.connect();
    await admin.setOffsets({
      groupId: `logbridge-${name}`,
      topic,
      partitions: [{ partition: 0, offset: '5' }],
    });
    // Retention removed offsets 0..9: the committed offset 5 is out of range.
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '10' }] });
    await admin.disconnect();

    const lines: string[] = [];
    const w = worker(lines);
    const before = hec.count;
    await w.start(connector(name, topic));
    await waitFor(
      async () => (await committedOffsets(kafka, `logbridge-${name}`, topic))[0] === 20n,
      60_000,
      'commit 20',
    );
    const delivered = hec.events.slice(before).map((e) => e.event);
    expect(delivered).toEqual(Array.from({ length: 10 }, (_, i) => `line ${i + 10}`));
    expect(await w.registry.metrics()).toContain(
      `logbridge_offset_anomalies_total{connector="${name}",kind="reset"} 1`,
    );
    expect(
      lines.some((l) => l.includes('committed offset out of range') && l.includes('"policy":"earliest"')),
    ).toBe(true);
  });

  it('fails the connector on refused credentials, saying what to fix, never showing the key', async () => {
    const topic = await createTopic(kafka, { partitions: 1 });
    const sasl = requireSasl(kafka);
    const wrongKey = 'd3Jvbmcta2V5LXRoYXQtbXVzdC1ub3QtbGVhaw==';
    const wrong = sasl.connectionString.replace(/SharedAccessKey=[^;]*/, `SharedAccessKey=${wrongKey}`);
    const lines: string[] = [];
    const w = worker(lines);
    const failed = await w.start(
      connector(uniqueName('auth'), topic, { 'eventhubs.connection.string': wrong }),
    );
    expect(failed.state).toBe('FAILED');
    expect(failed.status().trace).toMatch(
      /^LB_KAFKA_AUTH: .*refused the credentials.*eventhubs\.connection\.string/,
    );
    expect(JSON.stringify(failed.status())).not.toContain(wrongKey);
    expect(lines.join('\n')).not.toContain(wrongKey);
  });

  it('fails the connector when the broker certificate is not trusted, pointing at kafka.ssl.ca.location', async () => {
    const topic = await createTopic(kafka, { partitions: 1 });
    const w = worker([]);
    const base = connector(uniqueName('tls'), topic);
    const { ['kafka.ssl.ca.location']: _ca, ...withoutCa } = base.config;
    const failed = await w.start({ ...base, config: withoutCa });
    expect(failed.state).toBe('FAILED');
    expect(failed.status().trace).toMatch(/^LB_KAFKA_TLS: .*not trusted.*kafka\.ssl\.ca\.location/);
  });
});
