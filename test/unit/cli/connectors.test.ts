import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { statusLine } from '../../../src/cli/connectors.ts';
import { callApi } from '../../../src/cli/rest-client.ts';

let server: Server | undefined;
afterEach(() => {
  server?.close();
});

describe('CLI REST client', () => {
  it('sends the bearer token and a JSON body, and parses the answer', async () => {
    const seen: { auth?: string | undefined; body: string; url?: string | undefined } = { body: '' };
    server = createServer((req, res) => {
      seen.auth = req.headers.authorization;
      seen.url = req.url;
      req.on('data', (chunk: Buffer) => (seen.body += chunk.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' }).end('{"name":"a"}');
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const answer = await callApi({ url: `http://127.0.0.1:${port}`, token: 't0k' }, 'POST', '/connectors', {
      name: 'a',
    });
    expect(answer).toEqual({ status: 201, body: { name: 'a' } });
    expect(seen).toEqual({ auth: 'Bearer t0k', body: '{"name":"a"}', url: '/connectors' });
  });

  it('says which URL it could not reach', async () => {
    await expect(callApi({ url: 'http://127.0.0.1:1', token: undefined }, 'GET', '/')).rejects.toThrow(
      /cannot reach the logbridge REST API at http:\/\/127\.0\.0\.1:1/,
    );
  });

  it('summarises a status in one line', () => {
    expect(
      statusLine('aks', {
        name: 'aks',
        connector: { state: 'RUNNING' },
        logbridge: {
          degraded: true,
          in_flight: { records: 40000, full: true },
          offsets_read_at: '2026-11-24T10:00:00.000Z',
          partitions: [{ lag: 10 }, { lag: 5 }],
          sinks: [{ id: 'splunk-hec', healthy: false, last_error: { code: 'LB_HEC_BUSY' } }],
        },
      }),
    ).toBe(
      'aks  RUNNING (degraded, paused: budget full)  lag 15  in flight 40000  splunk-hec unhealthy (LB_HEC_BUSY)',
    );
  });

  it('says how many processes run it (workers > 1) and names a task that is not in its state', () => {
    const body = {
      name: 'aks',
      connector: { state: 'RUNNING' },
      logbridge: { degraded: false, in_flight: { records: 7, full: false }, partitions: [], sinks: [] },
    };
    const running = { id: 0, state: 'RUNNING' };
    expect(statusLine('aks', { ...body, tasks: [running] })).toBe('aks  RUNNING  lag ?  in flight 7');
    expect(statusLine('aks', { ...body, tasks: [running, { id: 1, state: 'RUNNING' }] })).toBe(
      'aks  RUNNING  2 processes  lag ?  in flight 7',
    );
    expect(
      statusLine('aks', { ...body, tasks: [running, { id: 1, state: 'FAILED', trace: 'LB_X: fix it' }] }),
    ).toBe('aks  RUNNING  2 processes (task 1 FAILED: LB_X: fix it)  lag ?  in flight 7');
  });

  it('shows the source error while Kafka is unreachable, and no lag it does not know', () => {
    expect(
      statusLine('aks', {
        name: 'aks',
        connector: { state: 'UNASSIGNED' },
        logbridge: {
          degraded: true,
          source: {
            id: 'kafka',
            healthy: false,
            last_error: { code: 'LB_KAFKA_TRANSIENT', message: 'connect to 127.0.0.1:1: Connection error' },
          },
          in_flight: { records: 0, full: false },
          offsets_read_at: null,
          partitions: [],
          sinks: [{ id: 'splunk-hec', healthy: true }],
        },
      }),
    ).toBe(
      'aks  UNASSIGNED (degraded)  lag ?  in flight 0  ' +
        'kafka unhealthy (LB_KAFKA_TRANSIENT: connect to 127.0.0.1:1: Connection error), splunk-hec ok',
    );
  });

  it('marks the last known lag of a stopped connector', () => {
    expect(
      statusLine('aks', {
        name: 'aks',
        connector: { state: 'STOPPED' },
        logbridge: {
          degraded: false,
          in_flight: { records: 0, full: false },
          offsets_read_at: '2026-11-24T10:00:00.000Z',
          offsets_last_known: true,
          partitions: [{ lag: 7 }],
          sinks: [],
        },
      }),
    ).toBe('aks  STOPPED  lag 7 (last known, read 2026-11-24T10:00:00.000Z)  in flight 0');
  });
});
