import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../../src/config/index.ts';
import { HecEndpoint } from '../../../../src/sinks/splunk-hec/client.ts';

const seen: IncomingHttpHeaders[] = [];
let session = 'lb=one';
const server = createServer((request, response) => {
  seen.push(request.headers);
  request.resume();
  request.on('end', () => {
    response.writeHead(200, {
      'content-type': 'application/json',
      'set-cookie': [`${session}; Path=/`, 'other=x'],
    });
    response.end('{"text":"Success","code":0,"ackId":0}');
  });
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('HecEndpoint', () => {
  it('sends the token, a stable channel, and keeps the load-balancer cookie; a new cookie is a new session', async () => {
    let changes = 0;
    const endpoint = new HecEndpoint(`${url}/`, {
      token: new Secret('secret-token'),
      tls: { verify: true, ca: undefined, caFile: undefined, serverName: undefined },
      connections: 1,
      requestTimeoutMs: 1000,
      cookie: 'lb',
      onSessionChange: () => (changes += 1),
    });
    const signal = new AbortController().signal;
    const body = { bytes: Buffer.from('{"event":1}'), gzip: false, query: '' };
    expect(await endpoint.postData('event', body, signal)).toMatchObject({
      status: 200,
      reply: { ackId: 0 },
    });
    await endpoint.postAck([0], signal);
    session = 'lb=two';
    await endpoint.postData('event', body, signal);
    await endpoint.postData('event', body, signal);
    expect(seen.map((h) => h.cookie)).toEqual([undefined, 'lb=one', 'lb=one', 'lb=two']);
    expect(changes).toBe(1);
    expect(new Set(seen.map((h) => h['x-splunk-request-channel']))).toEqual(new Set([endpoint.channel]));
    expect(seen[0]?.authorization).toBe('Splunk secret-token');
    expect(endpoint.label).toBe(url.replace('http://', ''));
    await endpoint.close();
  });

  it('turns a refused connection into a retryable LB_HEC_NETWORK error', async () => {
    const endpoint = new HecEndpoint('http://127.0.0.1:1', {
      token: new Secret('t'),
      tls: { verify: true, ca: undefined, caFile: undefined, serverName: undefined },
      connections: 1,
      requestTimeoutMs: 1000,
      cookie: undefined,
    });
    const error: unknown = await endpoint.health(new AbortController().signal).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LB_HEC_NETWORK', disposition: 'retry' });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    await endpoint.close();
  });
});
