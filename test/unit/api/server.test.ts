/**
 * The REST API against an in-memory connector service, with requests taken from Kafka Connect's documentation;
 * status codes and JSON shapes are Connect's (reference/kafka-connect.md).
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiServer, buildApi } from '../../../src/api/index.ts';
import { LogLevels } from '../../../src/cli/logger.ts';
import { createEngineMetrics } from '../../../src/engine/index.ts';
import { FakeService } from './fake-service.ts';

let app: ApiServer | undefined;
let service: FakeService | undefined;
afterEach(async () => {
  for (const name of service?.names() ?? []) await service?.delete(name);
  await app?.close();
});

function setup(authToken?: string): { app: ApiServer; service: FakeService; levels: LogLevels } {
  const registry = new Registry();
  service = new FakeService(createEngineMetrics(registry));
  const levels = new LogLevels('silent', 'w1');
  app = buildApi({
    service,
    workerId: 'w1:8083',
    version: '1.2.3',
    registry,
    logger: pino({ level: 'silent' }),
    levels,
    authToken,
  });
  return { app, service, levels };
}

const config = { 'connector.class': 'logbridge', topics: 'logs', 'splunk.hec.token': 's3cr3t-token' };

describe('REST API (Kafka Connect shapes)', () => {
  it('creates a connector: 201, Location, ConnectorInfo with secrets hidden; 409 on a second create', async () => {
    const { app } = setup();
    const created = await app.inject({
      method: 'POST',
      url: '/connectors',
      payload: { name: 'hec-sink', config },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe('/connectors/hec-sink');
    expect(created.json()).toEqual({
      name: 'hec-sink',
      config: {
        'connector.class': 'logbridge',
        topics: 'logs',
        'splunk.hec.token': '[hidden]',
        name: 'hec-sink',
      },
      // Kafka Connect 4.1.2 answers the task it will run, not [] (measured call by call).
      tasks: [{ connector: 'hec-sink', task: 0 }],
      type: 'sink',
    });
    expect(created.body).not.toContain('s3cr3t-token');
    const again = await app.inject({
      method: 'POST',
      url: '/connectors',
      payload: { name: 'hec-sink', config },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ error_code: 409, message: 'Connector hec-sink already exists' });
  });

  it('answers 400 with the problems for an invalid config, 404 for an unknown connector', async () => {
    const { app } = setup();
    const bad = await app.inject({ method: 'POST', url: '/connectors', payload: { name: 'x', config: {} } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toContain('config.topics: is required');
    const missing = await app.inject('/connectors/nope/status');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });

  it('lists connectors, with ?expand=status&expand=info', async () => {
    const { app } = setup();
    await app.inject({ method: 'POST', url: '/connectors', payload: { name: 'a', config } });
    expect((await app.inject('/connectors')).json()).toEqual(['a']);
    const expanded = (await app.inject('/connectors?expand=status&expand=info')).json<
      Record<string, Record<string, unknown>>
    >();
    expect(Object.keys(expanded.a ?? {})).toEqual(['status', 'info']);
    expect(expanded.a?.status).toMatchObject({
      name: 'a',
      connector: { state: 'RUNNING', worker_id: 'w1:8083', version: '1.2.3' },
      tasks: [{ id: 0, state: 'RUNNING', worker_id: 'w1:8083', version: '1.2.3' }],
      type: 'sink',
    });
    expect((await app.inject('/connectors/a/tasks/0/status')).json()).toEqual({
      id: 0,
      state: 'RUNNING',
      worker_id: 'w1:8083',
      version: '1.2.3',
    });
  });

  it('answers status from the kept state, never waiting for a reading of the offsets', async () => {
    const { app, service } = setup();
    await app.inject({ method: 'POST', url: '/connectors', payload: { name: 'k', config } });
    const instance = service.entries.get('k')?.instance;
    expect(instance).toBeDefined();
    let reads = 0;
    if (instance !== undefined) {
      instance.refreshOffsets = () => {
        reads += 1;
        return new Promise(() => undefined);
      };
    }
    const status = await app.inject('/connectors/k/status');
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ logbridge: { offsets_read_at: null, partitions: [] } });
    expect(reads).toBe(1);
  });

  it('answers a connector created STOPPED with no task', async () => {
    const { app } = setup();
    const created = await app.inject({
      method: 'POST',
      url: '/connectors',
      payload: { name: 's', config, initial_state: 'STOPPED' },
    });
    expect(created.json()).toMatchObject({ tasks: [] });
  });

  it('reads and replaces the config (PUT 201 then 200), patches it with null removing a key', async () => {
    const { app } = setup();
    const put = await app.inject({ method: 'PUT', url: '/connectors/c/config', payload: config });
    expect(put.statusCode).toBe(201);
    expect(
      (await app.inject({ method: 'PUT', url: '/connectors/c/config', payload: { ...config, 'x.y': '1' } }))
        .statusCode,
    ).toBe(200);
    const patched = await app.inject({
      method: 'PATCH',
      url: '/connectors/c/config',
      payload: { 'x.y': null, 'tasks.max': '2' },
    });
    expect(patched.statusCode).toBe(200);
    expect((await app.inject('/connectors/c/config')).json()).toEqual({
      'connector.class': 'logbridge',
      topics: 'logs',
      'splunk.hec.token': '[hidden]',
      'tasks.max': '2',
      name: 'c',
    });
    const mismatch = await app.inject({
      method: 'PUT',
      url: '/connectors/c/config',
      payload: { ...config, name: 'd' },
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json<{ message: string }>().message).toBe(
      "Connector name configuration (d) doesn't match connector name in the URL (c)",
    );
  });

  it('pauses (202), resumes (202) and stops (204) like Connect; a stopped connector has no tasks', async () => {
    const { app } = setup();
    await app.inject({ method: 'POST', url: '/connectors', payload: { name: 'p', config } });
    expect((await app.inject({ method: 'PUT', url: '/connectors/p/pause' })).statusCode).toBe(202);
    expect((await app.inject('/connectors/p/status')).json()).toMatchObject({
      connector: { state: 'PAUSED' },
      tasks: [{ state: 'PAUSED' }],
    });
    expect((await app.inject({ method: 'PUT', url: '/connectors/p/resume' })).statusCode).toBe(202);
    expect((await app.inject('/connectors/p/status')).json()).toMatchObject({
      connector: { state: 'RUNNING' },
    });
    expect((await app.inject({ method: 'PUT', url: '/connectors/p/stop' })).statusCode).toBe(204);
    expect((await app.inject('/connectors/p/status')).json()).toMatchObject({
      connector: { state: 'STOPPED' },
      tasks: [],
    });
    expect((await app.inject('/connectors/p')).json()).toMatchObject({ tasks: [] });
  });

  it('restarts per KIP-745: 204 without options, 202 with RESTARTING states with includeTasks', async () => {
    const { app } = setup();
    await app.inject({ method: 'POST', url: '/connectors', payload: { name: 'r', config } });
    expect((await app.inject({ method: 'POST', url: '/connectors/r/restart' })).statusCode).toBe(204);
    const full = await app.inject({ method: 'POST', url: '/connectors/r/restart?includeTasks=true' });
    expect(full.statusCode).toBe(202);
    expect(full.json()).toMatchObject({
      connector: { state: 'RESTARTING' },
      tasks: [{ id: 0, state: 'RESTARTING' }],
    });
    const onlyFailed = await app.inject({
      method: 'POST',
      url: '/connectors/r/restart?includeTasks=true&onlyFailed=true',
    });
    expect(onlyFailed.statusCode).toBe(202);
    expect(onlyFailed.json()).toMatchObject({ connector: { state: 'RUNNING' } });
  });

  it('serves KIP-875 offsets: 400 unless STOPPED, then alter and reset with Connect messages', async () => {
    const { app } = setup();
    await app.inject({ method: 'POST', url: '/connectors', payload: { name: 'o', config } });
    const body = {
      offsets: [{ partition: { kafka_topic: 'logs', kafka_partition: 0 }, offset: { kafka_offset: 4000 } }],
    };
    const running = await app.inject({ method: 'PATCH', url: '/connectors/o/offsets', payload: body });
    expect(running.statusCode).toBe(400);
    await app.inject({ method: 'PUT', url: '/connectors/o/stop' });
    const altered = await app.inject({ method: 'PATCH', url: '/connectors/o/offsets', payload: body });
    expect(altered.json()).toEqual({
      message: 'The offsets for this connector have been altered successfully',
    });
    expect((await app.inject('/connectors/o/offsets')).json()).toEqual(body);
    expect(
      (await app.inject({ method: 'PATCH', url: '/connectors/o/offsets', payload: { offsets: [] } }))
        .statusCode,
    ).toBe(400);
    const reset = await app.inject({ method: 'DELETE', url: '/connectors/o/offsets' });
    expect(reset.json()).toEqual({ message: 'The offsets for this connector have been reset successfully' });
  });

  it('deletes (204), lists plugins, validates configs as ConfigInfos with secrets hidden', async () => {
    const { app } = setup();
    await app.inject({ method: 'POST', url: '/connectors', payload: { name: 'd', config } });
    expect((await app.inject({ method: 'DELETE', url: '/connectors/d' })).statusCode).toBe(204);
    expect((await app.inject('/connectors')).json()).toEqual([]);
    expect((await app.inject('/connector-plugins')).json()).toEqual([
      { class: 'logbridge', type: 'sink', version: '1.2.3' },
    ]);
    const validated = await app.inject({
      method: 'PUT',
      url: '/connector-plugins/logbridge/config/validate',
      payload: { 'splunk.hec.token': 'abc' },
    });
    expect(validated.json()).toMatchObject({
      name: 'logbridge',
      error_count: 1,
      groups: ['Source', 'splunk-hec'],
      configs: [
        { definition: { name: 'topics', required: true }, value: { errors: ['is required: topics'] } },
        {
          definition: { name: 'splunk.hec.token', type: 'PASSWORD' },
          value: { value: '[hidden]', errors: [] },
        },
      ],
    });
  });

  it('reads and changes log levels like Kafka Connect: upper-case levels, last_modified, PUT creates', async () => {
    const { app, levels } = setup();
    levels.root.child({ component: 'kafka' });
    expect((await app.inject('/admin/loggers')).json()).toEqual({
      kafka: { level: 'OFF', last_modified: null },
      root: { level: 'OFF', last_modified: null },
    });
    const before = Date.now();
    const put = await app.inject({ method: 'PUT', url: '/admin/loggers/kafka', payload: { level: 'debug' } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual(['kafka']);
    const kafka = (await app.inject('/admin/loggers/kafka')).json<{ level: string; last_modified: number }>();
    expect(kafka.level).toBe('DEBUG');
    expect(kafka.last_modified).toBeGreaterThanOrEqual(before);
    expect(levels.root.child({ component: 'kafka' }).level).toBe('debug');
  });

  it('creates a logger that does not exist yet, applied to loggers of that name created later', async () => {
    const { app, levels } = setup();
    expect((await app.inject('/admin/loggers/splunk-hec')).statusCode).toBe(404);
    const put = await app.inject({
      method: 'PUT',
      url: '/admin/loggers/splunk-hec',
      payload: { level: 'TRACE' },
    });
    expect(put.json()).toEqual(['splunk-hec']);
    expect((await app.inject('/admin/loggers/splunk-hec')).json()).toMatchObject({ level: 'TRACE' });
    expect(levels.root.child({ component: 'splunk-hec' }).level).toBe('trace');
  });

  it('refuses an unknown level with 400 naming the levels', async () => {
    const { app } = setup();
    const put = await app.inject({ method: 'PUT', url: '/admin/loggers/root', payload: { level: 'loud' } });
    expect(put.statusCode).toBe(400);
    expect(put.json<{ message: string }>().message).toMatch(/Invalid log level 'loud'.*INFO/);
  });

  it('is ready only when every connector not STOPPED runs; healthz never depends on connectors', async () => {
    const { app, service } = setup();
    await service.create({ name: 'h', config });
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    expect((await app.inject('/healthz')).statusCode).toBe(200);
  });

  it('requires the bearer token when configured, except for health probes', async () => {
    const { app } = setup('s3cret');
    expect((await app.inject('/connectors')).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/connectors', headers: { authorization: 'Bearer wrong!' } })).statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ url: '/connectors', headers: { authorization: 'Bearer s3cret' } })).statusCode,
    ).toBe(200);
    expect((await app.inject('/healthz')).statusCode).toBe(200);
  });
});

describe('REST API request bodies', () => {
  it('accepts PUT pause with a JSON content type and no body, and rejects broken JSON with 400', async () => {
    const { app } = setup();
    await app.inject({ method: 'POST', url: '/connectors', payload: { name: 'b', config } });
    const pause = await app.inject({
      method: 'PUT',
      url: '/connectors/b/pause',
      headers: { 'content-type': 'application/json' },
    });
    expect(pause.statusCode).toBe(202);
    const broken = await app.inject({
      method: 'POST',
      url: '/connectors',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json<{ message: string }>().message).toMatch(/not valid JSON/);
  });
});
