/**
 * Distributed mode: two logbridge processes share a config topic. A connector created through one runs on both
 * (they share its partitions), a pause sent to the other pauses both, and the definitions survive a restart.
 */
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HecServer } from '../support/hec/index.ts';
import {
  committedOffsets,
  createTopic,
  endOffsets,
  groupMembers,
  produce,
  requireSasl,
} from '../support/kafka/index.ts';
import { startLogbridge, type RunningLogbridge } from '../support/logbridge.ts';
import { uniqueName } from '../support/names.ts';
import { kafkaPeer } from '../support/peers.ts';
import { waitFor } from '../support/wait.ts';
import { countingHec, Deliveries, hecConnector, numbered } from './delivery/setup.ts';

const kafka = kafkaPeer();
const processes: RunningLogbridge[] = [];
let hec: HecServer | undefined;

afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill()));
  await hec?.close();
});

interface Status {
  connector: { state: string };
  tasks: { state: string }[];
}

async function rest(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const { request } = await import('undici');
  const response = await request(base + path, {
    method: method as 'GET',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

async function metricsOf(base: string): Promise<string> {
  const { request } = await import('undici');
  return (await request(`${base}/metrics`)).body.text();
}

describe('distributed mode', () => {
  it('applies a create and a pause sent to either replica on both', async () => {
    const sasl = requireSasl(kafka);
    const configTopic = await createTopic(kafka, { partitions: 1, config: { 'cleanup.policy': 'compact' } });
    const topic = await createTopic(kafka, { partitions: 4 });
    const deliveries = new Deliveries(4000);
    hec = await countingHec(deliveries);
    const env = {
      LOGBRIDGE_MODE: 'distributed',
      LOGBRIDGE_CONFIG_TOPIC: configTopic,
      LOGBRIDGE_EVENTHUBS_CONNECTION_STRING: sasl.connectionString,
      ...(kafka.caFile === undefined ? {} : { LOGBRIDGE_SSL_CA_LOCATION: kafka.caFile }),
      EVENTHUBS_CONNECTION_STRING: sasl.connectionString,
      HEC_TOKEN: hec.token,
      // What the operator lets API callers use: the connector below is created over REST.
      LOGBRIDGE_CONFIG_PROVIDERS_ENV_ALLOWED_NAMES: 'EVENTHUBS_CONNECTION_STRING,HEC_TOKEN',
      LOGBRIDGE_REST_CONNECTORS_ALLOWED_HOSTS: '127.0.0.1,localhost',
      ...(kafka.caFile === undefined
        ? {}
        : { LOGBRIDGE_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS: dirname(kafka.caFile) }),
    };
    const a = await startLogbridge({ connectors: [], env });
    const b = await startLogbridge({ connectors: [], env });
    processes.push(a, b);

    const name = uniqueName('dist');
    const connector = hecConnector(name, topic, kafka, hec);
    const created = await rest(a.restUrl, 'POST', '/connectors', connector);
    expect(created.status).toBe(201);
    await waitFor(
      async () => (await groupMembers(kafka, `logbridge-${name}`)).members.length === 2,
      60_000,
      'both replicas in the group',
    );
    await produce(kafka, topic, numbered(0, 2000));
    await waitFor(() => deliveries.total >= 2000, 60_000, 'the first 2000 records');

    expect((await rest(b.restUrl, 'PUT', `/connectors/${name}/pause`)).status).toBe(202);
    for (const p of [a, b]) {
      await waitFor(
        async () =>
          ((await rest(p.restUrl, 'GET', `/connectors/${name}/status`)).json as Status).connector.state ===
          'PAUSED',
        30_000,
        `PAUSED on ${p.restUrl}`,
      );
    }
    await produce(kafka, topic, numbered(2000, 4000));
    // Paused: each replica fetches some of the new records and holds them back (its source reports paused), and
    // nothing more is delivered.
    for (const p of [a, b]) {
      await waitFor(
        async () => (await metricsOf(p.restUrl)).includes(`logbridge_source_paused{connector="${name}"} 1`),
        30_000,
        `the source paused on ${p.restUrl}`,
      );
    }
    expect(deliveries.total).toBe(2000);

    expect((await rest(a.restUrl, 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    const ends = await endOffsets(kafka, topic);
    await waitFor(
      async () => {
        const committed = await committedOffsets(kafka, `logbridge-${name}`, topic);
        return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
      },
      60_000,
      'everything committed after resume',
    );
    expect(deliveries.missing()).toEqual([]);

    // A replica started later learns the connector from the config topic.
    expect((await b.stop()).code).toBe(0);
    const c = await startLogbridge({ connectors: [], env });
    processes.push(c);
    await waitFor(
      async () => ((await rest(c.restUrl, 'GET', '/connectors')).json as string[]).includes(name),
      30_000,
      'the new replica to read the config topic',
    );
    const config = (await rest(c.restUrl, 'GET', `/connectors/${name}/config`)).json as Record<
      string,
      string
    >;
    expect(config['splunk.hec.uri']).toBe(hec.url);
    expect(JSON.stringify(config)).not.toContain(sasl.connectionString);
  });
});
