/**
 * The console's endpoints and files on the REST server: its files load without the token (they hold no data), every
 * endpoint needs it, a path that only looks like a console file never slips past it, and the charts' history turns
 * the engine's counters and histogram into rates and quantiles.
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiServer, buildApi } from '../../../src/api/index.ts';
import { History, quantile } from '../../../src/api/ui/history.ts';
import type { ConsoleService, ResetRequest } from '../../../src/api/ui/port.ts';
import { LogLevels } from '../../../src/cli/logger.ts';
import { createEngineMetrics } from '../../../src/engine/index.ts';
import { FakeService } from './fake-service.ts';

const TOKEN = 'ui-test-token';
let app: ApiServer | undefined;
afterEach(async () => {
  await app?.close();
});

class FakeConsole implements ConsoleService {
  readonly plans: ResetRequest[] = [];
  partitions() {
    return Promise.resolve([
      {
        topic: 'logs',
        partition: 0,
        committed: 5,
        end: 9,
        lag: 4,
        lag_seconds: 2.5,
        assigned_here: true,
        in_flight: 4,
        paused: false,
      },
    ]);
  }
  deadLetters(_name: string, limit: number) {
    return Promise.resolve({
      by_stage_reason: [{ stage: 'TASK_PUT', reason: 'LB_X', count: limit }],
      latest: [],
    });
  }
  planReset(_name: string, request: ResetRequest) {
    this.plans.push(request);
    return Promise.resolve({ description: 'to the earliest offset (log start)', rows: [] });
  }
  preview(name: string, body: unknown) {
    return Promise.resolve({ name, body });
  }
}

async function setup(
  options: { readOnly?: boolean; metricsToken?: string } = {},
): Promise<{ app: ApiServer; ui: FakeConsole; registry: Registry }> {
  const registry = new Registry();
  const service = new FakeService(createEngineMetrics(registry));
  await service.create({ name: 'aks', config: { topics: 'logs' } });
  const ui = new FakeConsole();
  app = buildApi({
    service,
    workerId: 'w1',
    version: '1',
    registry,
    logger: pino({ level: 'silent' }),
    levels: new LogLevels('silent', 'w1'),
    authToken: TOKEN,
    console: ui,
    ...options,
  });
  return { app, ui, registry };
}

const auth = { authorization: `Bearer ${TOKEN}` };

describe('console files', () => {
  it('serves the page, its modules and uPlot without the token, with a strict CSP', async () => {
    const { app } = await setup();
    expect((await app.inject('/ui')).headers.location).toBe('/ui/');
    const page = await app.inject('/ui/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('<script type="module" src="app.js">');
    expect(page.body).not.toMatch(/https?:\/\//);
    for (const file of ['app.js', 'api.js', 'charts.js', 'panels.js', 'render.js', 'console.css']) {
      expect((await app.inject(`/ui/${file}`)).statusCode, file).toBe(200);
    }
    const uplot = await app.inject('/ui/vendor/uPlot.esm.js');
    expect(uplot.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(uplot.body).toContain('export');
    expect((await app.inject('/ui/nothing.js')).statusCode).toBe(404);
  });

  it('lets nothing else past the token', async () => {
    const { app } = await setup();
    for (const url of [
      '/ui/../connectors',
      '/ui/%2e%2e/connectors',
      '/ui/..%2fconnectors',
      '/uix',
      '/connectors',
    ]) {
      const answer = await app.inject(url);
      expect(answer.body, url).not.toContain('aks');
      expect([401, 404], url).toContain(answer.statusCode);
    }
    expect((await app.inject('/connectors/aks/partitions')).statusCode).toBe(401);
  });

  it('gives the metrics token no console data, and a read-only API no console action', async () => {
    const { app } = await setup({ readOnly: true, metricsToken: 'scrape-only' });
    const scrape = { authorization: 'Bearer scrape-only' };
    expect((await app.inject({ url: '/ui/', headers: scrape })).statusCode).toBe(200);
    for (const url of [
      '/connectors/aks/partitions',
      '/connectors/aks/dead-letters',
      '/connectors/aks/throughput',
    ]) {
      expect((await app.inject({ url, headers: scrape })).statusCode, url).toBe(401);
    }
    expect((await app.inject({ url: '/connectors/aks/partitions', headers: auth })).statusCode).toBe(200);
    const pause = await app.inject({ method: 'PUT', url: '/connectors/aks/pause', headers: auth });
    expect(pause.statusCode).toBe(403);
    const reset = await app.inject({
      method: 'PATCH',
      url: '/connectors/aks/offsets',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ offsets: [] }),
    });
    expect(reset.statusCode).toBe(403);
  });

  it('serves the preview and the reset plan read-only (they change nothing), but no other POST', async () => {
    const { app, ui } = await setup({ readOnly: true, metricsToken: 'scrape-only' });
    const post = (url: string, headers: Record<string, string>, payload: object) =>
      app.inject({
        method: 'POST',
        url,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
    const preview = await post('/connectors/aks/preview', auth, { records: ['x'] });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toEqual({ name: 'aks', body: { records: ['x'] } });
    const plan = await post('/connectors/aks/offsets/plan?dry=1', auth, { to: 'earliest' });
    expect(plan.statusCode).toBe(200);
    expect(ui.plans).toEqual([{ to: 'earliest' }]);
    for (const url of ['/connectors/aks/preview', '/connectors/aks/offsets/plan']) {
      expect((await post(url, { authorization: 'Bearer scrape-only' }, {})).statusCode, url).toBe(401);
      expect((await post(url, {}, {})).statusCode, url).toBe(401);
    }
    for (const [method, url] of [
      ['POST', '/connectors/aks/restart'],
      ['POST', '/connectors/aks/preview/x'],
      ['POST', '/connectors/aks/offsets'],
      ['POST', '/connectors'],
      ['PUT', '/connectors/aks/preview'],
      ['PATCH', '/connectors/aks/offsets/plan'],
    ] as const) {
      const answer = await app.inject({ method, url, headers: auth, payload: {} });
      expect(answer.statusCode, `${method} ${url}`).toBe(403);
    }
  });
});

describe('console endpoints', () => {
  it('answers partitions, dead letters, plans and previews in Kafka Connect style', async () => {
    const { app, ui } = await setup();
    const partitions = await app.inject({ url: '/connectors/aks/partitions', headers: auth });
    expect(partitions.json()).toEqual({
      partitions: [expect.objectContaining({ lag: 4, lag_seconds: 2.5 })],
    });
    const letters = await app.inject({ url: '/connectors/aks/dead-letters?limit=500', headers: auth });
    expect(letters.json<{ by_stage_reason: { count: number }[] }>().by_stage_reason[0]?.count).toBe(50);
    const plan = await app.inject({
      method: 'POST',
      url: '/connectors/aks/offsets/plan',
      headers: auth,
      payload: { to: 'datetime', at: '2026-11-24T08:00:00Z' },
    });
    expect(plan.statusCode).toBe(200);
    expect(ui.plans).toEqual([{ to: 'datetime', at: new Date('2026-11-24T08:00:00Z') }]);
    const noZone = await app.inject({
      method: 'POST',
      url: '/connectors/aks/offsets/plan',
      headers: auth,
      payload: { to: 'datetime', at: '2026-11-24T08:00:00' },
    });
    expect(noZone.statusCode).toBe(400);
    expect(noZone.json<{ error_code: number; message: string }>().message).toContain('with its zone');
    const preview = await app.inject({
      method: 'POST',
      url: '/connectors/aks/preview',
      headers: auth,
      payload: { records: ['x'] },
    });
    expect(preview.json()).toEqual({ name: 'aks', body: { records: ['x'] } });
    const missing = await app.inject({ url: '/connectors/nope/partitions', headers: auth });
    expect(missing.statusCode).toBe(404);
  });
});

describe('history', () => {
  it('keeps rates per interval and latency quantiles from bucket deltas', async () => {
    const registry = new Registry();
    const metrics = createEngineMetrics(registry);
    const history = new History(registry);
    metrics.recordsReceived.inc({ connector: 'aks' }, 10);
    metrics.endToEndLatency.observe({ connector: 'aks' }, 0.2);
    await history.sample(1_000_000);
    metrics.recordsReceived.inc({ connector: 'aks' }, 50);
    metrics.eventsSent.inc({ connector: 'aks', sink: 'splunk-hec', outcome: 'delivered' }, 40);
    metrics.eventsSent.inc({ connector: 'aks', sink: 'splunk-hec', outcome: 'rejected' }, 7);
    for (let i = 0; i < 99; i += 1) metrics.endToEndLatency.observe({ connector: 'aks' }, 0.07);
    metrics.endToEndLatency.observe({ connector: 'aks' }, 20);
    await history.sample(1_010_000);
    const [point, ...rest] = history.points('aks');
    expect(rest).toEqual([]);
    expect(point).toMatchObject({ time: 1010, in_per_s: 5, out_per_s: { 'splunk-hec': 4 } });
    // 99 of 100 in the 0.05–0.1 s bucket: p50 interpolates inside it; p99 is its upper bound.
    expect(point?.latency_p50_s).toBeCloseTo(0.05 + 0.05 * (50 / 99), 6);
    expect(point?.latency_p99_s).toBeCloseTo(0.1, 6);
    expect(history.points('other')).toEqual([]);
  });

  it("starts a connector's first interval at the sample before it appeared", async () => {
    const registry = new Registry();
    const metrics = createEngineMetrics(registry);
    const history = new History(registry);
    await history.sample(1_000_000);
    metrics.recordsReceived.inc({ connector: 'new' }, 30);
    metrics.eventsSent.inc({ connector: 'new', sink: 'splunk-hec', outcome: 'delivered' }, 20);
    await history.sample(1_010_000);
    expect(history.points('new')).toMatchObject([
      { time: 1010, in_per_s: 3, out_per_s: { 'splunk-hec': 2 } },
    ]);
  });

  it('estimates quantiles like histogram_quantile', () => {
    const buckets = [
      { le: 1, count: 0 },
      { le: 2, count: 10 },
      { le: Infinity, count: 20 },
    ];
    expect(quantile(buckets, 0.25)).toBeCloseTo(1.5);
    expect(quantile(buckets, 0.9)).toBe(2);
    expect(quantile([{ le: Infinity, count: 0 }], 0.5)).toBeNull();
  });
});
