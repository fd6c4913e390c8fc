import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApi, type ApiServer } from '../../../src/api/index.ts';
import { Connector, createEngineMetrics } from '../../../src/engine/index.ts';
import { MemorySource, parts, ScriptedSink } from '../engine/fakes.ts';

let app: ApiServer | undefined;
afterEach(async () => app?.close());

function setup(authToken?: string) {
  const registry = new Registry();
  const source = new MemorySource();
  const connector = new Connector(
    parts(source, [new ScriptedSink('hec')], { name: 'lab', metrics: createEngineMetrics(registry) }),
  );
  const connectors = new Map([['lab', connector]]);
  app = buildApi({
    connectors: () => connectors,
    workerId: 'w1:8083',
    version: '1.2.3',
    registry,
    logger: pino({ level: 'silent' }),
    authToken,
  });
  return { app, connector, source };
}

describe('REST API', () => {
  it('answers GET / and GET /connectors like Kafka Connect', async () => {
    const { app } = setup();
    expect((await app.inject('/')).json()).toMatchObject({ version: '1.2.3' });
    expect((await app.inject('/connectors')).json()).toEqual(['lab']);
  });

  it('reports status with Connect fields and ours, and 404 in Connect shape for unknown connectors', async () => {
    const { app, connector } = setup();
    await connector.start();
    const status = (await app.inject('/connectors/lab/status')).json<Record<string, unknown>>();
    expect(status).toMatchObject({
      name: 'lab',
      connector: { state: 'RUNNING', worker_id: 'w1:8083' },
      tasks: [{ id: 0, state: 'RUNNING', worker_id: 'w1:8083' }],
      type: 'sink',
      logbridge: {
        degraded: false,
        in_flight: { records: 0, bytes: 0, full: false },
        sinks: [{ id: 'hec', healthy: true }],
      },
    });
    const missing = await app.inject('/connectors/nope/status');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error_code: 404, message: 'Connector nope not found' });
    await connector.stop();
  });

  it('is ready only when every connector runs; healthz never depends on connectors', async () => {
    const { app, connector } = setup();
    expect((await app.inject('/readyz')).statusCode).toBe(503);
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    await connector.start();
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    await connector.stop();
  });

  it('exposes prom-client metrics including in-flight gauges', async () => {
    const { app, connector, source } = setup();
    await connector.start();
    source.offer([]);
    const text = (await app.inject('/metrics')).body;
    expect(text).toContain('logbridge_in_flight_records{connector="lab"} 0');
    await connector.stop();
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
