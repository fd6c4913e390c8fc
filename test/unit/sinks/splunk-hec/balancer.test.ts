import { Secret } from '../../../../src/config/index.ts';
import { describe, expect, it } from 'vitest';
import { Balancer } from '../../../../src/sinks/splunk-hec/balancer.ts';
import { HecEndpoint } from '../../../../src/sinks/splunk-hec/client.ts';

const endpoint = (port: number): HecEndpoint =>
  new HecEndpoint(`http://127.0.0.1:${port}`, {
    token: new Secret('t'),
    tls: { verify: true, ca: undefined, caFile: undefined, serverName: undefined },
    connections: 2,
    requestTimeoutMs: 1000,
    cookie: undefined,
  });

function setup(count = 3) {
  let now = 1000;
  const changes: string[] = [];
  const endpoints = Array.from({ length: count }, (_, i) => endpoint(9000 + i));
  const balancer = new Balancer(endpoints, {
    backoffInitialMs: 100,
    backoffMaxMs: 1000,
    connections: 2,
    now: () => now,
    random: () => 1,
    changed: (e, up) => changes.push(`${e.label} ${up ? 'up' : 'down'}`),
  });
  return { balancer, endpoints, changes, advance: (ms: number) => (now += ms) };
}

describe('Balancer', () => {
  it('goes round-robin over the endpoints', () => {
    const { balancer, endpoints } = setup();
    expect([1, 2, 3, 4].map(() => balancer.pick())).toEqual([
      endpoints[0],
      endpoints[1],
      endpoints[2],
      endpoints[0],
    ]);
  });

  it('skips tried and cold endpoints, and returns undefined when none is left', () => {
    const { balancer, endpoints } = setup(2);
    const [a, b] = endpoints as [HecEndpoint, HecEndpoint];
    balancer.failed(a, 'ECONNREFUSED');
    expect(balancer.pick()).toBe(b);
    expect(balancer.pick()).toBe(b);
    expect(balancer.pick(new Set([b]))).toBeUndefined();
  });

  it('prefers an endpoint with a free connection, else the least busy', () => {
    const { balancer, endpoints } = setup(2);
    const [a, b] = endpoints as [HecEndpoint, HecEndpoint];
    const done = [balancer.begin(a), balancer.begin(a)];
    expect(balancer.pick()).toBe(b);
    expect(balancer.pick()).toBe(b);
    balancer.begin(b);
    balancer.begin(b);
    balancer.begin(b);
    expect(balancer.pick()).toBe(a);
    for (const end of done) end();
  });

  it('doubles the back-off per failure up to the maximum, and a success resets it', () => {
    const { balancer, endpoints, advance } = setup(1);
    const [a] = endpoints as [HecEndpoint];
    const backoffs: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      balancer.failed(a, 'down');
      backoffs.push(balancer.msUntilUsable());
    }
    expect(backoffs).toEqual([100, 200, 400, 800, 1000, 1000]);
    balancer.succeeded(a);
    balancer.failed(a, 'down');
    expect(balancer.msUntilUsable()).toBe(100);
    advance(100);
    expect(balancer.dueForProbe()).toEqual([a]);
  });

  it('honours Retry-After when it is longer than the back-off', () => {
    const { balancer, endpoints } = setup(1);
    balancer.failed(endpoints[0] as HecEndpoint, '429', 5000);
    expect(balancer.msUntilUsable()).toBe(5000);
  });

  it('reinstates a cold endpoint when its health probe says healthy, and reports the changes', () => {
    const { balancer, endpoints, changes } = setup(2);
    const [a] = endpoints as [HecEndpoint];
    balancer.failed(a, 'HTTP 503 code 9');
    expect(balancer.view()[0]).toMatchObject({ up: false, reason: 'HTTP 503 code 9', retryInMs: 100 });
    balancer.healthy(a);
    expect(balancer.isUp(a)).toBe(true);
    expect(changes).toEqual(['127.0.0.1:9000 down', '127.0.0.1:9000 up']);
  });

  it('without /health, lets a cold endpoint be tried again once its back-off is over', () => {
    const { balancer, endpoints, advance } = setup(1);
    const [a] = endpoints as [HecEndpoint];
    balancer.healthUnsupported(a);
    balancer.failed(a, 'down');
    expect(balancer.pick()).toBeUndefined();
    expect(balancer.dueForProbe()).toEqual([]);
    advance(100);
    expect(balancer.pick()).toBe(a);
  });
});
