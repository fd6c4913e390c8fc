/**
 * Fault injection: rules that answer a request instead of the protocol (an HEC code, a bare HTTP status, a dropped
 * connection, a hang, a delay). Rules are tried in the order they were added; the first live one that matches wins.
 * They are checked after routing and reading the body, before authentication.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Answer, Endpoint, HecReply } from './protocol.ts';
import { DATA_ENDPOINTS, statusOf } from './protocol.ts';

/** What a rule's `match` sees of a request. */
export interface FaultRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly endpoint: Endpoint;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly channel: string | undefined;
  /** The decoded (gunzipped) body. */
  readonly body: Buffer;
}

/**
 * A fault rule. Give `code` (HTTP status and text from the table, both overridable), or a bare `status` (body
 * `body`, default empty: what a proxy in front of Splunk sends), or `dropConnection`, or `hang`; `delayMs` waits
 * before the outcome, or alone delays normal processing.
 *
 * @example { code: 9, times: 3 }                           // 503 "Server is busy" three times
 * @example { status: 503, code: 9, forMs: 60_000 }         // busy for a minute from now
 * @example { match: (r) => r.body.includes('poison'), code: 6, invalidEventNumber: 2 }
 * @example { path: 'health', code: 18 }                    // unhealthy
 * @example { dropConnection: true, times: 1 }              // reset the connection, no response
 */
export interface FaultRule {
  /** Endpoints the rule applies to. @default ['event', 'raw'] */
  readonly path?: Endpoint | readonly Endpoint[] | 'all';
  /** Further condition on the request. @default every request on `path` */
  readonly match?: (request: FaultRequest) => boolean;
  /** Apply to this many matching requests, then retire. @default unlimited */
  readonly times?: number;
  /** Apply for this long from `inject()`, then retire. @default unlimited */
  readonly forMs?: number;
  /** HEC code: JSON reply `{"text", "code"}` with the table's status. */
  readonly code?: number;
  /** HTTP status: overrides the table's for `code`; alone, answers with `body`. */
  readonly status?: number;
  /** Reply text, instead of the table's. */
  readonly text?: string;
  /** Adds `"invalid-event-number"`. With `partialIndexing`, the valid events before it are recorded. */
  readonly invalidEventNumber?: number;
  /** Raw response body, instead of the JSON reply. */
  readonly body?: string;
  /** Extra response headers (e.g. `Retry-After`, reference §7: unconfirmed from splunkd). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Destroy the connection without answering. */
  readonly dropConnection?: boolean;
  /** Never answer; the connection stays open until the client gives up or the server stops. */
  readonly hang?: boolean;
  /** Wait this long before the outcome (or before normal processing when the rule has no outcome). */
  readonly delayMs?: number;
}

/** A live rule, as returned by `inject()`. */
export interface FaultHandle {
  /** Requests the rule has answered (or delayed). */
  readonly hits: number;
  /** False once `times` or `forMs` ran out or the rule was removed. */
  readonly active: boolean;
  /** Retires the rule. */
  remove(): void;
}

/** What the server does for a request a rule caught. */
export type FaultAction =
  | { readonly kind: 'answer'; readonly answer: Answer; readonly delayMs: number; readonly rule: FaultRule }
  | { readonly kind: 'drop'; readonly delayMs: number }
  | { readonly kind: 'hang' }
  | { readonly kind: 'delay'; readonly delayMs: number };

class LiveRule implements FaultHandle {
  readonly rule: FaultRule;
  readonly #endpoints: ReadonlySet<Endpoint> | undefined;
  readonly #untilMs: number;
  #remaining: number;
  #removed = false;
  hits = 0;

  constructor(rule: FaultRule, nowMs: number) {
    this.rule = rule;
    const path = rule.path ?? DATA_ENDPOINTS;
    this.#endpoints = path === 'all' ? undefined : new Set(typeof path === 'string' ? [path] : path);
    this.#untilMs = nowMs + (rule.forMs ?? Number.POSITIVE_INFINITY);
    this.#remaining = rule.times ?? Number.POSITIVE_INFINITY;
  }

  get active(): boolean {
    return this.isLive(Date.now());
  }

  isLive(nowMs: number): boolean {
    return !this.#removed && this.#remaining > 0 && nowMs < this.#untilMs;
  }

  remove(): void {
    this.#removed = true;
  }

  matches(request: FaultRequest): boolean {
    if (this.#endpoints?.has(request.endpoint) === false) return false;
    return this.rule.match === undefined || this.rule.match(request);
  }

  hit(): void {
    this.hits++;
    this.#remaining--;
  }
}

function validate(rule: FaultRule): void {
  const outcomes = [rule.code, rule.status, rule.dropConnection, rule.hang, rule.delayMs];
  if (outcomes.every((outcome) => outcome === undefined || outcome === false)) {
    throw new TypeError('HEC fault rule needs code, status, dropConnection, hang or delayMs');
  }
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times > 0)) {
    throw new RangeError(`HEC fault rule: times must be a positive integer, got ${rule.times}`);
  }
  if (rule.forMs !== undefined && !(rule.forMs > 0)) {
    throw new RangeError(`HEC fault rule: forMs must be > 0, got ${rule.forMs}`);
  }
}

function answerOf(rule: FaultRule, code: number | undefined, status: number): Answer {
  const headers = rule.headers ?? {};
  if (code === undefined || rule.body !== undefined) return { status, body: rule.body ?? '', headers };
  const reply: HecReply = {
    text: rule.text ?? statusOf(code).text,
    code,
    ...(rule.invalidEventNumber === undefined ? {} : { 'invalid-event-number': rule.invalidEventNumber }),
  };
  return { status, body: reply, headers };
}

/** The action a rule prescribes. */
function actionOf(rule: FaultRule): FaultAction {
  const delayMs = rule.delayMs ?? 0;
  if (rule.hang === true) return { kind: 'hang' };
  if (rule.dropConnection === true) return { kind: 'drop', delayMs };
  if (rule.code === undefined && rule.status === undefined) return { kind: 'delay', delayMs };
  const status = rule.status ?? statusOf(rule.code ?? 0).status;
  return { kind: 'answer', answer: answerOf(rule, rule.code, status), delayMs, rule };
}

/** The injected rules of one server. */
export class FaultSet {
  #rules: LiveRule[] = [];

  /** Adds a rule. Throws `TypeError`/`RangeError` for a rule without outcome or with bad `times`/`forMs`. */
  add(rule: FaultRule, nowMs: number): FaultHandle {
    validate(rule);
    const live = new LiveRule(rule, nowMs);
    this.#rules.push(live);
    return live;
  }

  /** Retires every rule. */
  clear(): void {
    for (const rule of this.#rules) rule.remove();
    this.#rules = [];
  }

  /** The action of the first live rule matching `request`, counting the hit; `undefined` if none. */
  take(request: FaultRequest, nowMs: number): FaultAction | undefined {
    if (this.#rules.length === 0) return undefined;
    this.#rules = this.#rules.filter((rule) => rule.isLive(nowMs));
    const rule = this.#rules.find((candidate) => candidate.matches(request));
    if (rule === undefined) return undefined;
    rule.hit();
    return actionOf(rule.rule);
  }
}
