/**
 * Endpoint selection: round-robin over the endpoints that are up, preferring one with a free connection. An
 * endpoint that fails (no response, 5xx, 503, 429) or reports itself unhealthy goes cold for its own back-off,
 * which doubles per failure (with jitter) until a request succeeds; while cold it is skipped, so one indexer down
 * never stalls delivery (SCK marks an endpoint cold for 60 s). A cold endpoint comes back when a health probe at the
 * end of its back-off says it is healthy, or, when it has no usable `/health`, on probation at the end of it.
 * @module
 */
import type { HecEndpoint } from './client.ts';

/** Back-off settings. */
export interface BalancerOptions {
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  /** Connections per endpoint: an endpoint with this many requests in flight is picked only if all are busy. */
  readonly connections: number;
  /** Told when an endpoint goes cold or comes back. */
  readonly changed?: (endpoint: HecEndpoint, up: boolean, reason: string | undefined) => void;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** An endpoint as status shows it. */
export interface EndpointView {
  readonly endpoint: HecEndpoint;
  readonly up: boolean;
  readonly reason?: string;
  /** Time until the next probe, ms (cold only). */
  readonly retryInMs?: number;
}

interface State {
  readonly endpoint: HecEndpoint;
  inFlight: number;
  /** Failures since the last successful request: the back-off exponent. */
  failures: number;
  cold: { untilMs: number; reason: string } | undefined;
  /** `/health` is not served (404/405): a cold endpoint is tried again at the end of its back-off. */
  noHealth: boolean;
}

/** Picks endpoints and tracks their health. */
export class Balancer {
  readonly #states: State[];
  readonly #options: BalancerOptions;
  readonly #now: () => number;
  readonly #random: () => number;
  #next = 0;

  constructor(endpoints: readonly HecEndpoint[], options: BalancerOptions) {
    this.#states = endpoints.map((endpoint) => ({
      endpoint,
      inFlight: 0,
      failures: 0,
      cold: undefined,
      noHealth: false,
    }));
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
  }

  /** The next endpoint to use, skipping `tried` and cold ones; `undefined` when none is left. */
  pick(tried: ReadonlySet<HecEndpoint> = new Set()): HecEndpoint | undefined {
    const count = this.#states.length;
    let busiest: State | undefined;
    for (let step = 0; step < count; step += 1) {
      const state = this.#states[(this.#next + step) % count];
      if (state === undefined || tried.has(state.endpoint) || !this.#usable(state)) continue;
      if (state.inFlight < this.#options.connections) {
        this.#next = (this.#next + step + 1) % count;
        return state.endpoint;
      }
      if (busiest === undefined || state.inFlight < busiest.inFlight) busiest = state;
    }
    if (busiest !== undefined) this.#next = (this.#states.indexOf(busiest) + 1) % count;
    return busiest?.endpoint;
  }

  /** Counts a request starting on `endpoint`; call the returned function when it ends. */
  begin(endpoint: HecEndpoint): () => void {
    const state = this.#state(endpoint);
    state.inFlight += 1;
    return () => {
      state.inFlight -= 1;
    };
  }

  /** A request failed in a way that says the endpoint is in trouble: back it off (at least `retryAfterMs`). */
  failed(endpoint: HecEndpoint, reason: string, retryAfterMs = 0): void {
    const state = this.#state(endpoint);
    const ceiling = Math.min(
      this.#options.backoffMaxMs,
      this.#options.backoffInitialMs * 2 ** Math.min(state.failures, 30),
    );
    state.failures += 1;
    // Equal jitter: replicas spread their probes, yet an endpoint is never retried at once.
    const backoffMs = Math.max(retryAfterMs, ceiling / 2 + (this.#random() * ceiling) / 2);
    const wasUp = state.cold === undefined;
    state.cold = { untilMs: this.#now() + backoffMs, reason };
    if (wasUp) this.#options.changed?.(endpoint, false, reason);
  }

  /** A request succeeded: the endpoint is up and its back-off starts over. */
  succeeded(endpoint: HecEndpoint): void {
    const state = this.#state(endpoint);
    state.failures = 0;
    this.#reinstate(state);
  }

  /** A health probe said the endpoint is healthy: it is up again, keeping its back-off until a request succeeds. */
  healthy(endpoint: HecEndpoint): void {
    const state = this.#state(endpoint);
    state.noHealth = false;
    this.#reinstate(state);
  }

  /** The endpoint serves no `/health`: cold periods end by themselves. */
  healthUnsupported(endpoint: HecEndpoint): void {
    this.#state(endpoint).noHealth = true;
  }

  /** Cold endpoints whose back-off is over and that have a `/health` to probe. */
  dueForProbe(): HecEndpoint[] {
    const now = this.#now();
    return this.#states
      .filter((state) => state.cold !== undefined && state.cold.untilMs <= now && !state.noHealth)
      .map((state) => state.endpoint);
  }

  isUp(endpoint: HecEndpoint): boolean {
    return this.#state(endpoint).cold === undefined;
  }

  /** Time until some endpoint may be used again, ms (0 when one is usable now). */
  msUntilUsable(): number {
    const now = this.#now();
    let soonest = Number.POSITIVE_INFINITY;
    for (const state of this.#states)
      soonest = Math.min(soonest, state.cold === undefined ? 0 : Math.max(0, state.cold.untilMs - now));
    return soonest;
  }

  /** Every endpoint's state. */
  view(): EndpointView[] {
    const now = this.#now();
    return this.#states.map(({ endpoint, cold }) =>
      cold === undefined
        ? { endpoint, up: true }
        : { endpoint, up: false, reason: cold.reason, retryInMs: Math.max(0, cold.untilMs - now) },
    );
  }

  #usable(state: State): boolean {
    return state.cold === undefined || (state.noHealth && state.cold.untilMs <= this.#now());
  }

  #reinstate(state: State): void {
    if (state.cold === undefined) return;
    state.cold = undefined;
    this.#options.changed?.(state.endpoint, true, undefined);
  }

  #state(endpoint: HecEndpoint): State {
    const state = this.#states.find((candidate) => candidate.endpoint === endpoint);
    if (state === undefined) throw new RangeError(`unknown HEC endpoint ${endpoint.url}`);
    return state;
  }
}
