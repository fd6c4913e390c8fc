/**
 * Who may call the REST API: the bearer scheme in any case, a scrape token good for GET /metrics only, probes open
 * but naming no connector to a stranger, read-only mode refusing every change; and the rule that keeps a
 * non-loopback API from starting without a token.
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ApiServer,
  buildApi,
  checkExposure,
  type ConnectorService,
  isLoopback,
  UnprotectedApiError,
} from '../../../src/api/index.ts';
import { LogLevels } from '../../../src/cli/logger.ts';
import { createEngineMetrics } from '../../../src/engine/index.ts';
import { FakeService } from './fake-service.ts';

let app: ApiServer | undefined;
afterEach(async () => {
  await app?.close();
});

function setup(options: {
  token?: string;
  metricsToken?: string;
  readOnly?: boolean;
  service?: ConnectorService;
}): ApiServer {
  const registry = new Registry();
  app = buildApi({
    service: options.service ?? new FakeService(createEngineMetrics(registry)),
    workerId: 'w1:8083',
    version: '1.2.3',
    registry,
    logger: pino({ level: 'silent' }),
    levels: new LogLevels('silent', 'w1'),
    authToken: options.token,
    metricsToken: options.metricsToken,
    readOnly: options.readOnly,
  });
  return app;
}

const as = (token: string): { authorization: string } => ({ authorization: token });

describe('bearer tokens', () => {
  it('accepts the scheme in any case and refuses other schemes, with WWW-Authenticate', async () => {
    const api = setup({ token: 'admin-t0ken' });
    for (const header of ['Bearer admin-t0ken', 'bearer admin-t0ken', 'BEARER  admin-t0ken ']) {
      expect((await api.inject({ url: '/connectors', headers: as(header) })).statusCode, header).toBe(200);
    }
    for (const header of ['Basic admin-t0ken', 'Bearer admin-t0ke', 'Bearer admin-t0ken2', 'admin-t0ken']) {
      const answer = await api.inject({ url: '/connectors', headers: as(header) });
      expect(answer.statusCode, header).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('takes the scrape token for GET /metrics only', async () => {
    const api = setup({ token: 'admin-t0ken', metricsToken: 'scrape-t0ken' });
    const scrape = as('Bearer scrape-t0ken');
    expect((await api.inject({ url: '/metrics', headers: scrape })).statusCode).toBe(200);
    expect((await api.inject({ url: '/metrics', headers: as('Bearer admin-t0ken') })).statusCode).toBe(200);
    expect((await api.inject({ url: '/metrics' })).statusCode).toBe(401);
    for (const [method, url] of [
      ['GET', '/connectors'],
      ['GET', '/connectors/x/config'],
      ['POST', '/connectors'],
      ['PUT', '/connector-plugins/logbridge/config/validate'],
      ['PUT', '/admin/loggers/root'],
    ] as const) {
      const answer = await api.inject({ method, url, headers: scrape, payload: {} });
      expect(answer.statusCode, `${method} ${url}`).toBe(401);
      expect(answer.json()).toEqual({ error_code: 401, message: 'this token may read /metrics only' });
    }
  });

  it('names waiting connectors in /readyz to an authenticated caller only', async () => {
    const service = {
      mode: 'standalone',
      names: () => ['payments-secret-project'],
      slot: () => ({ name: 'payments-secret-project', target: 'RUNNING', state: 'FAILED' }),
    } as unknown as ConnectorService;
    const api = setup({ token: 'admin-t0ken', service });
    const open = await api.inject('/readyz');
    expect(open.statusCode).toBe(503);
    expect(open.json()).toEqual({ ready: false });
    const authorised = await api.inject({ url: '/readyz', headers: as('Bearer admin-t0ken') });
    expect(authorised.json()).toEqual({ ready: false, waiting: ['payments-secret-project: FAILED'] });
    expect((await api.inject('/healthz')).statusCode).toBe(200);
  });
});

describe('read-only mode', () => {
  it('serves reads and refuses every change with 403, after authentication', async () => {
    const api = setup({ token: 'admin-t0ken', readOnly: true });
    const admin = as('Bearer admin-t0ken');
    expect((await api.inject({ url: '/connectors', headers: admin })).statusCode).toBe(200);
    expect((await api.inject({ url: '/metrics', headers: admin })).statusCode).toBe(200);
    for (const [method, url] of [
      ['POST', '/connectors'],
      ['PUT', '/connectors/x/config'],
      ['PATCH', '/connectors/x/config'],
      ['PUT', '/connectors/x/pause'],
      ['DELETE', '/connectors/x'],
      ['PATCH', '/connectors/x/offsets'],
      ['PUT', '/connector-plugins/logbridge/config/validate'],
      ['PUT', '/admin/loggers/root'],
    ] as const) {
      const answer = await api.inject({ method, url, headers: admin, payload: {} });
      expect(answer.statusCode, `${method} ${url}`).toBe(403);
      expect(answer.json<{ message: string }>().message).toContain('rest.read.only=true');
    }
    expect((await api.inject({ method: 'POST', url: '/connectors', payload: {} })).statusCode).toBe(401);
  });
});

describe('REST bodies that aim at prototypes', () => {
  it('refuses a __proto__ key in a configuration, and keeps connector names out of prototypes', async () => {
    const api = setup({});
    const body = '{"name":"p","config":{"topics":"a","__proto__":{"splunk.hec.uri":"https://attacker"}}}';
    const answer = await api.inject({
      method: 'POST',
      url: '/connectors',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json<{ message: string }>().message).toContain('__proto__');
  });
});

describe('exposure', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['[::1]', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['logbridge.example', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });

  it('refuses a non-loopback API without a token unless rest.auth.required=false, which it reports as open', () => {
    expect(checkExposure({ host: '127.0.0.1', token: '', required: true })).toBe(false);
    expect(checkExposure({ host: '0.0.0.0', token: 't', required: true })).toBe(false);
    expect(() => checkExposure({ host: '0.0.0.0', token: '', required: true })).toThrow(UnprotectedApiError);
    expect(() => checkExposure({ host: '0.0.0.0', token: '', required: true })).toThrow(
      /rest\.auth\.token .*rest\.auth\.required=false/,
    );
    expect(checkExposure({ host: '0.0.0.0', token: '', required: false })).toBe(true);
  });
});
