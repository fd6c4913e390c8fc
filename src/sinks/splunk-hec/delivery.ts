/**
 * Delivers one request group and applies the status table (reference §5) to each answer:
 * - no response, 5xx, 503, 429: the endpoint is backed off and the same body goes to another endpoint; when none is
 *   left the batch is retried by the engine;
 * - 400 with `invalid-event-number` (codes 6, 12, 13, 15): that event is dead-lettered with HEC's text and the rest
 *   sent again (without a number the group is halved until the bad event is alone);
 * - 413: the group is halved; a single event that is still too large fails the connector;
 * - token, index and channel errors, 404, 415: the connector fails with what to fix;
 * - 200: with indexer acknowledgement, the group counts only once `/ack` says `true`.
 * @module
 */
import { type BridgeError, type Rejection, type SendOutcome, StoppingError } from '../../engine/index.ts';
import type { Balancer } from './balancer.ts';
import type { HecEndpoint, HecResponse } from './client.ts';
import type { HecSinkConfig } from './config.ts';
import type { HecPayload } from './encoder.ts';
import {
  HecAckLostError,
  HecAckTimeoutError,
  type HecInvalidEventError,
  HecRequestTooLargeError,
  HecUnavailableError,
  classifyResponse,
} from './errors.ts';
import type { AckPoller, Slots } from './indexer-acks.ts';
import type { HecMetrics } from './metrics.ts';
import { buildBody, type RequestBody, type RequestGroup } from './request-builder.ts';

/** The end of a send other than success: the engine retries the batch, or the connector fails. */
export type Stop = Extract<SendOutcome, { kind: 'retry' | 'fatal' }>;

/** Where a group's results go; it outlives engine retries of the same batch. */
export interface Progress {
  delivered(indexes: readonly number[]): void;
  rejected(rejection: Rejection): void;
}

/** What a delivery works with. */
export interface DeliveryParts {
  readonly config: HecSinkConfig;
  readonly balancer: Balancer;
  readonly pollers: ReadonlyMap<HecEndpoint, AckPoller>;
  /** Requests awaiting acks (ack on only). */
  readonly slots: Slots | undefined;
  readonly metrics: HecMetrics;
  readonly connector: string;
  /** The token has acknowledgement off although the sink has it on: warn once. */
  readonly ackUnsupported: (endpoint: HecEndpoint) => void;
}

/** One group's request as sent. */
interface Sent {
  readonly payloads: readonly HecPayload[];
  readonly group: RequestGroup;
  readonly signal: AbortSignal;
}

type Attempt =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'stop'; readonly stop: Stop }
  | {
      readonly kind: 'invalid-event';
      readonly index: number | undefined;
      readonly error: HecInvalidEventError;
    }
  | { readonly kind: 'too-large' };

/** HEC took the request (HTTP 200 code 0) on `endpoint`. */
interface Accepted {
  readonly kind: 'accepted';
  readonly endpoint: HecEndpoint;
  readonly ackId: number | undefined;
}

type Posted =
  | Attempt
  | { readonly kind: 'accepted'; readonly ackId: number | undefined }
  | { readonly kind: 'endpoint-failed'; readonly cause: BridgeError; readonly retryAfterMs?: number };

/** Sends groups of a batch. */
export class Delivery {
  readonly #parts: DeliveryParts;
  /**
   * The body of each group that no endpoint took, by its batch's payloads: the engine sends such a batch again
   * whole, and it goes as built rather than being built and compressed again at every retry of an outage. Kept
   * only while the batch waits to be sent again.
   */
  readonly #unsent = new WeakMap<
    readonly HecPayload[],
    { readonly group: RequestGroup; readonly body: RequestBody }
  >();

  constructor(parts: DeliveryParts) {
    this.#parts = parts;
  }

  /** Delivers `group`, recording what was delivered or refused in `progress`; returns why it stopped, if it did. */
  async deliver(sent: Sent, progress: Progress): Promise<Stop | undefined> {
    let pending = sent.group.indexes;
    while (pending.length > 0) {
      const group = { query: sent.group.query, indexes: pending };
      const attempt = await this.#attempt({ ...sent, group });
      if (attempt.kind === 'delivered') {
        progress.delivered(pending);
        return undefined;
      }
      if (attempt.kind === 'stop') return attempt.stop;
      const bad = attempt.kind === 'invalid-event' ? badEvent(pending, attempt.index) : undefined;
      if (attempt.kind === 'invalid-event' && bad !== undefined) {
        progress.rejected({ index: bad, cause: attempt.error });
        pending = pending.filter((i) => i !== bad);
        continue;
      }
      if (pending.length === 1) return { kind: 'fatal', cause: tooLarge() };
      return this.#halves({ ...sent, group }, progress);
    }
    return undefined;
  }

  /** Sends each half on its own, to isolate an event HEC refused without naming it, or to get under 413. */
  async #halves(sent: Sent, progress: Progress): Promise<Stop | undefined> {
    const { indexes, query } = sent.group;
    const middle = Math.ceil(indexes.length / 2);
    for (const half of [indexes.slice(0, middle), indexes.slice(middle)]) {
      const stop = await this.deliver({ ...sent, group: { query, indexes: half } }, progress);
      if (stop !== undefined) return stop;
    }
    return undefined;
  }

  /** One request for the group, then (acks on) the wait for its ack, holding a pending-ack slot throughout. */
  async #attempt(sent: Sent): Promise<Attempt> {
    let release: () => void = () => undefined;
    try {
      // With acks on, a slot is held from the request until its ack: the bound on pending acks.
      if (this.#parts.slots !== undefined) release = await this.#parts.slots.acquire(sent.signal);
    } catch {
      return { kind: 'stop', stop: stopping() };
    }
    try {
      const posted = await this.#postAnywhere(sent);
      return posted.kind === 'accepted' ? await this.#awaitAck(posted.endpoint, posted.ackId) : posted;
    } finally {
      release();
    }
  }

  /**
   * One body, tried on each usable endpoint in turn until one answers for it. The body is not kept for the ack,
   * only (`#unsent`) when no endpoint took it.
   */
  async #postAnywhere(sent: Sent): Promise<Attempt | Accepted> {
    const { metrics, connector, balancer } = this.#parts;
    const body = await this.#bodyOf(sent);
    this.#unsent.delete(sent.payloads);
    metrics.batchEvents.observe({ connector }, sent.group.indexes.length);
    metrics.batchBytes.observe({ connector }, body.rawBytes);
    const tried = new Set<HecEndpoint>();
    let last: Stop | undefined;
    for (let endpoint = balancer.pick(tried); endpoint !== undefined; endpoint = balancer.pick(tried)) {
      tried.add(endpoint);
      const posted = await this.#post(endpoint, body, sent);
      if (posted.kind === 'accepted') return { ...posted, endpoint };
      if (posted.kind !== 'endpoint-failed') return posted;
      if (sent.signal.aborted) return { kind: 'stop', stop: stopping() };
      balancer.failed(endpoint, `${posted.cause.code}: ${posted.cause.message}`, posted.retryAfterMs);
      metrics.failovers.inc({ connector, endpoint: endpoint.label });
      last = { kind: 'retry', cause: posted.cause, ...withRetryAfter(posted.retryAfterMs) };
    }
    this.#unsent.set(sent.payloads, { group: sent.group, body });
    return { kind: 'stop', stop: this.#unavailable(last) };
  }

  /** The group's body: as built for its last attempt if no endpoint took it, else built now. */
  async #bodyOf(sent: Sent): Promise<RequestBody> {
    const unsent = this.#unsent.get(sent.payloads);
    if (unsent !== undefined && sameGroup(unsent.group, sent.group)) return unsent.body;
    const { config } = this.#parts;
    return buildBody(sent.payloads, sent.group, config.gzip ? config.gzipLevel : undefined);
  }

  async #post(endpoint: HecEndpoint, body: RequestBody, sent: Sent): Promise<Posted> {
    const { config, metrics, connector, balancer } = this.#parts;
    const path = config.raw ? 'raw' : 'event';
    const labels = { connector, endpoint: endpoint.label, path };
    metrics.requests.inc(labels);
    metrics.requestBytes.inc({ connector, endpoint: endpoint.label }, body.bytes.length);
    const end = balancer.begin(endpoint);
    const timer = metrics.requestSeconds.startTimer(labels);
    let response: HecResponse;
    try {
      response = await endpoint.postData(path, body, sent.signal);
    } catch (error) {
      metrics.responses.inc({ ...labels, status: 'network', code: '' });
      return { kind: 'endpoint-failed', cause: error as BridgeError };
    } finally {
      end();
      timer();
    }
    const { status, reply, retryAfter } = response;
    metrics.responses.inc({ ...labels, status: String(status), code: String(reply?.code ?? '') });
    const verdict = classifyResponse(status, reply, retryAfter, (n) => indexNamed(sent, n, config.raw));
    if (verdict.kind === 'error' && verdict.error.disposition === 'retry') {
      return { kind: 'endpoint-failed', cause: verdict.error, ...withRetryAfter(verdict.retryAfterMs) };
    }
    balancer.succeeded(endpoint);
    if (verdict.kind === 'success') return { kind: 'accepted', ackId: verdict.ackId };
    if (verdict.kind === 'error') return { kind: 'stop', stop: { kind: 'fatal', cause: verdict.error } };
    return verdict;
  }

  async #awaitAck(endpoint: HecEndpoint, ackId: number | undefined): Promise<Attempt> {
    const { config, pollers, ackUnsupported } = this.#parts;
    if (!config.ack.enabled) return { kind: 'delivered' };
    const poller = pollers.get(endpoint);
    if (ackId === undefined || poller === undefined) {
      // Reference §6.7: the token has ack off, so no id will ever come; HTTP 200 is the best there is.
      ackUnsupported(endpoint);
      return { kind: 'delivered' };
    }
    const outcome = await poller.wait(ackId);
    switch (outcome) {
      case 'acked':
        return { kind: 'delivered' };
      case 'unsupported':
        ackUnsupported(endpoint);
        return { kind: 'delivered' };
      case 'closed':
        return { kind: 'stop', stop: stopping() };
      case 'timeout': {
        const cause = new HecAckTimeoutError(
          `${endpoint.label} did not report ack id ${ackId} (channel ${endpoint.channel}) indexed within ` +
            `${config.ack.timeoutMs / 1000} s (splunk.hec.event.timeout): sending the batch again, duplicates possible`,
        );
        return { kind: 'stop', stop: { kind: 'retry', cause } };
      }
      case 'lost': {
        const cause = new HecAckLostError(
          `${endpoint.label} forgot ack channel ${endpoint.channel} before reporting ack id ${ackId} (indexer ` +
            'restart, idle cleanup or a new load-balancer session): sending the batch again, duplicates possible',
        );
        return { kind: 'stop', stop: { kind: 'retry', cause } };
      }
    }
  }

  #unavailable(last: Stop | undefined): Stop {
    const { balancer } = this.#parts;
    const waitMs = Math.min(balancer.msUntilUsable(), this.#parts.config.health.backoffMaxMs);
    if (last !== undefined)
      return last.kind === 'retry'
        ? { ...last, retryAfterMs: Math.max(last.retryAfterMs ?? 0, waitMs) }
        : last;
    const cold = balancer
      .view()
      .map((view) => `${view.endpoint.label}: ${view.reason ?? 'up'}`)
      .join('; ');
    return {
      kind: 'retry',
      cause: new HecUnavailableError(`every HEC endpoint is backed off (${cold})`),
      retryAfterMs: waitMs,
    };
  }
}

/** The batch index of the event HEC refused: the one it named, or the only one; `undefined`: halve to find it. */
function badEvent(pending: readonly number[], eventNumber: number | undefined): number | undefined {
  if (eventNumber !== undefined) return pending[eventNumber];
  return pending.length === 1 ? pending[0] : undefined;
}

function tooLarge(): HecRequestTooLargeError {
  return new HecRequestTooLargeError(
    "HEC answered 413 to a request holding one event: raise the server's max_content_length " +
      'or lower splunk.hec.max.event.bytes so that such events are dead-lettered',
  );
}

function stopping(): Stop {
  return { kind: 'retry', cause: new StoppingError('the HEC sink is stopping') };
}

function withRetryAfter(ms: number | undefined): { retryAfterMs?: number } {
  return ms === undefined ? {} : { retryAfterMs: ms };
}

/** The index named by event `n` of a request, to say which one HEC refused (code 7). */
function indexNamed(sent: Sent, n: number, raw: boolean): string | undefined {
  const payload = sent.payloads[sent.group.indexes[n] ?? -1];
  if (payload === undefined) return undefined;
  if (raw) return new URLSearchParams(payload.query).get('index') ?? undefined;
  try {
    const index = (JSON.parse(payload.text) as { index?: unknown }).index;
    return typeof index === 'string' ? index : undefined;
  } catch {
    return undefined;
  }
}

function sameGroup(a: RequestGroup, b: RequestGroup): boolean {
  return (
    a.query === b.query &&
    a.indexes.length === b.indexes.length &&
    a.indexes.every((i, n) => i === b.indexes[n])
  );
}
