/**
 * Endpoint health checks with `GET /services/collector/health` (reference §1: 200 code 17 healthy, 503 code 18
 * queues full). Healthy endpoints are checked every `intervalMs` (SCK `splunk.hec.lb.poll.interval`); cold ones are
 * probed when their back-off ends and reinstated once healthy. An endpoint without `/health` (404/405, e.g. a
 * proxy that forwards only `/event`) is left to the balancer's probation.
 * @module
 */
import type { Balancer } from './balancer.ts';
import type { HecEndpoint, HecResponse } from './client.ts';
import { describeReply } from './errors.ts';
import type { HecMetrics } from './metrics.ts';

/** Settings and collaborators of the checker. */
export interface HealthCheckerOptions {
  /** Period of checks of healthy endpoints, ms; 0: only cold endpoints are probed. */
  readonly intervalMs: number;
  /** How often the checker wakes to probe cold endpoints whose back-off ended, ms. */
  readonly tickMs: number;
  readonly requestTimeoutMs: number;
  readonly balancer: Balancer;
  readonly endpoints: readonly HecEndpoint[];
  readonly metrics: HecMetrics;
  readonly connector: string;
}

/** What one health answer means. */
type Health =
  | { readonly kind: 'healthy' }
  | { readonly kind: 'unhealthy'; readonly reason: string }
  | { readonly kind: 'unsupported' };

/** Checks endpoint health on a timer. */
export class HealthChecker {
  readonly #options: HealthCheckerOptions;
  readonly #lastCheckMs = new Map<HecEndpoint, number>();
  readonly #probing = new Set<HecEndpoint>();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: HealthCheckerOptions) {
    this.#options = options;
  }

  /** Checks every endpoint now (without waiting), then keeps checking on the timer. */
  start(): void {
    if (this.#timer !== undefined) return;
    for (const endpoint of this.#options.endpoints) void this.check(endpoint);
    this.#timer = setInterval(() => {
      this.#tick();
    }, this.#options.tickMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#abort.abort();
  }

  /** Asks one endpoint for its health and tells the balancer. Never throws. */
  async check(endpoint: HecEndpoint): Promise<void> {
    if (this.#probing.has(endpoint)) return;
    this.#probing.add(endpoint);
    this.#lastCheckMs.set(endpoint, Date.now());
    try {
      const health = await this.#ask(endpoint);
      const { balancer } = this.#options;
      if (health.kind === 'healthy') balancer.healthy(endpoint);
      else if (health.kind === 'unsupported') balancer.healthUnsupported(endpoint);
      else if (balancer.isUp(endpoint) || balancer.dueForProbe().includes(endpoint)) {
        balancer.failed(endpoint, `health check: ${health.reason}`);
      }
    } finally {
      this.#probing.delete(endpoint);
    }
  }

  #tick(): void {
    const { balancer, endpoints, intervalMs } = this.#options;
    for (const endpoint of balancer.dueForProbe()) void this.check(endpoint);
    if (intervalMs === 0) return;
    const now = Date.now();
    for (const endpoint of endpoints) {
      if (balancer.isUp(endpoint) && now - (this.#lastCheckMs.get(endpoint) ?? 0) >= intervalMs)
        void this.check(endpoint);
    }
  }

  async #ask(endpoint: HecEndpoint): Promise<Health> {
    const { metrics, connector, requestTimeoutMs } = this.#options;
    const labels = { connector, endpoint: endpoint.label, path: 'health' };
    metrics.requests.inc(labels);
    const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(requestTimeoutMs)]);
    let response: HecResponse;
    try {
      response = await endpoint.health(signal);
    } catch (error) {
      metrics.responses.inc({ ...labels, status: 'network', code: '' });
      return { kind: 'unhealthy', reason: error instanceof Error ? error.message : String(error) };
    }
    metrics.responses.inc({
      ...labels,
      status: String(response.status),
      code: String(response.reply?.code ?? ''),
    });
    return healthOf(response);
  }
}

/** 200 is healthy (codes 17, 24, 25); 404/405 means no `/health`; 4xx about the token says nothing of health. */
function healthOf(response: HecResponse): Health {
  const { status, reply } = response;
  if (status === 200) return { kind: 'healthy' };
  if (status === 404 || status === 405) return { kind: 'unsupported' };
  if (status >= 400 && status < 500 && status !== 429 && status !== 408) return { kind: 'healthy' };
  return { kind: 'unhealthy', reason: describeReply(status, reply) };
}
