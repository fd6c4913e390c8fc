/**
 * The REST API over real HTTP, with a real worker, broker and HEC server: Kafka Connect's calls from its
 * documentation, the KIP-875 offsets rules (400 while running, success once STOPPED), and a resume that consumes
 * exactly from the altered offsets.
 */
import { dirname } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, buildApi } from '../../../src/api/index.ts';
import { LogLevels } from '../../../src/cli/logger.ts';
import { loadWorkerConfig } from '../../../src/config/index.ts';
import { Worker } from '../../../src/worker/index.ts';
import { startHecServer, type HecServer } from '../../support/hec/index.ts';
import { committedOffsets, createTopic, produce, requireSasl } from '../../support/kafka/index.ts';
import { uniqueName } from '../../support/names.ts';
import { kafkaPeer } from '../../support/peers.ts';
import { waitFor } from '../../support/wait.ts';

const kafka = kafkaPeer();
let hec: HecServer;
let worker: Worker;
let api: ApiServer;
let base: string;

beforeAll(async () => {
  hec = await startHecServer();
  const levels = new LogLevels('warn', 'test');
  // What the operator lets API callers reach: the connector below is created over REST.
  const callers = {
    LOGBRIDGE_REST_CONNECTORS_ALLOWED_HOSTS: '127.0.0.1,localhost',
    ...(kafka.caFile === undefined
      ? {}
      : { LOGBRIDGE_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS: dirname(kafka.caFile) }),
  };
  worker = new Worker(loadWorkerConfig(undefined, callers), levels.root);
  api = buildApi({
    service: worker,
    workerId: 'test:8083',
    version: '0.0.0',
    registry: worker.registry,
    logger: levels.root,
    levels,
  });
  base = await api.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await worker.stop();
  await api.close();
  await hec.close();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await request(base + path, {
    method: method as 'GET',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

describe('REST API against a real worker', () => {
  it('manages a connector like Kafka Connect and moves its offsets only while STOPPED', async () => {
    const topic = await createTopic(kafka, { partitions: 1 });
    await produce(
      kafka,
      topic,
      Array.from({ length: 10 }, (_, i) => ({ value: `line ${i}` })),
    );
    const name = uniqueName('rest');
    const config = {
      topics: topic,
      'eventhubs.connection.string': requireSasl(kafka).connectionString,
      ...(kafka.caFile === undefined ? {} : { 'kafka.ssl.ca.location': kafka.caFile }),
      'splunk.hec.uri': hec.url,
      'splunk.hec.token': hec.token,
      'offset.flush.interval.ms': '500',
    };
    const created = await call('POST', '/connectors', { name, config });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.json)).not.toContain(hec.token);
    await waitFor(
      async () => (await committedOffsets(kafka, `logbridge-${name}`, topic))[0] === 10n,
      60_000,
      'commit 10',
    );
    expect(await call('GET', `/connectors/${name}/offsets`)).toEqual({
      status: 200,
      json: {
        offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 10 } }],
      },
    });

    const rewind = {
      offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 4 } }],
    };
    const whileRunning = await call('PATCH', `/connectors/${name}/offsets`, rewind);
    expect(whileRunning.status).toBe(400);
    expect((whileRunning.json as { message: string }).message).toMatch(
      /^Connectors must be in the STOPPED state before their offsets can be modified/,
    );
    expect((await call('PUT', `/connectors/${name}/stop`)).status).toBe(204);
    await waitFor(
      async () =>
        ((await call('GET', `/connectors/${name}/status`)).json as { connector: { state: string } }).connector
          .state === 'STOPPED',
      30_000,
      'STOPPED',
    );
    expect(await call('PATCH', `/connectors/${name}/offsets`, rewind)).toEqual({
      status: 200,
      json: { message: 'The offsets for this connector have been altered successfully' },
    });
    expect((await committedOffsets(kafka, `logbridge-${name}`, topic))[0]).toBe(4n);

    const before = hec.count;
    expect((await call('PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await waitFor(() => hec.count === before + 6, 60_000, 'the 6 records from offset 4');
    expect(hec.events.slice(before).map((e) => e.event)).toEqual([
      'line 4',
      'line 5',
      'line 6',
      'line 7',
      'line 8',
      'line 9',
    ]);

    expect((await call('PUT', `/connectors/${name}/stop`)).status).toBe(204);
    await waitFor(() => worker.slot(name).instance === undefined, 30_000, 'the instance to stop');
    expect(await call('DELETE', `/connectors/${name}/offsets`)).toEqual({
      status: 200,
      json: { message: 'The offsets for this connector have been reset successfully' },
    });
    expect(await committedOffsets(kafka, `logbridge-${name}`, topic)).toEqual({});
    expect((await call('DELETE', `/connectors/${name}`)).status).toBe(204);
    expect((await call('GET', `/connectors/${name}`)).status).toBe(404);
  });
});
