/**
 * What each collector endpoint answers once the body is read: `/event` and `/raw` (authenticate, check the channel,
 * validate the whole request, then accept every event or none), `/ack`, `/health`. Reference §1–§6.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AckRegistry } from './acks.ts';
import { authenticate } from './auth.ts';
import type { AuthOutcome } from './auth.ts';
import { channelError } from './channel.ts';
import { parseEventBody } from './envelope.ts';
import type { EventDefaults, HecEvent, ParsedBody } from './event.ts';
import type { ResolvedOptions } from './options.ts';
import type { Answer, Endpoint } from './protocol.ts';
import { answerFor, Code } from './protocol.ts';
import { parseRawBody } from './raw.ts';

/** A request with its body read and decoded. */
export interface EndpointRequest {
  readonly endpoint: Endpoint;
  readonly headers: IncomingHttpHeaders;
  readonly query: URLSearchParams;
  readonly channel: string | undefined;
  readonly body: Buffer;
  readonly nowMs: number;
}

/** What the endpoints share. */
export interface EndpointDeps {
  readonly options: ResolvedOptions;
  readonly acks: AckRegistry;
  /** Records accepted events (with their final `ackId`). */
  readonly accept: (events: readonly HecEvent[]) => void;
}

/** The answer plus what the request log wants to know. */
export interface EndpointResult {
  readonly answer: Answer;
  readonly accepted: number;
  readonly ackId: number | undefined;
  readonly ackQuery: readonly number[] | undefined;
}

function reply(code: number, invalidEventNumber?: number): EndpointResult {
  const answer = answerFor(code, invalidEventNumber === undefined ? {} : { invalidEventNumber });
  return { answer, accepted: 0, ackId: undefined, ackQuery: undefined };
}

const NUMERIC = /^\d+(?:\.\d+)?$/;

/** Query-string metadata over the token's defaults (reference §3); `undefined` if `?time=` is not numeric. */
function defaultsOf(request: EndpointRequest, auth: AuthOutcome & { ok: true }): EventDefaults | undefined {
  const { query, nowMs, channel } = request;
  const time = query.get('time');
  if (time !== null && !NUMERIC.test(time)) return undefined;
  const { config } = auth;
  // `||`, not `??`: an empty `?index=` names no index, so the token's default applies, as for an envelope's "".
  return {
    host: query.get('host') || config.host,
    source: query.get('source') || config.source,
    sourcetype: query.get('sourcetype') || config.sourcetype,
    index: query.get('index') || config.defaultIndex,
    time: time === null ? nowMs / 1000 : Number(time),
    channel,
    token: auth.token,
    allowedIndexes: config.allowedIndexes,
  };
}

/** Authenticated, channel-checked and parsed `/event` or `/raw` request, or the code refusing it early. */
export type PreparedIngest =
  | {
      readonly ok: true;
      readonly parsed: ParsedBody;
      readonly ack: boolean;
      readonly channel: string | undefined;
    }
  | { readonly ok: false; readonly code: number };

/** Every check of an `/event` or `/raw` request up to (not including) accepting its events. */
export function prepareIngest(request: EndpointRequest, options: ResolvedOptions): PreparedIngest {
  const auth = authenticate(request.headers, request.query, options.tokens);
  if (!auth.ok) return auth;
  const required = auth.config.ack || (request.endpoint === 'raw' && options.rawRequiresChannel);
  const channelCode = channelError(request.channel, required);
  if (channelCode !== undefined) return { ok: false, code: channelCode };
  const defaults = defaultsOf(request, auth);
  if (defaults === undefined) return { ok: false, code: Code.invalidDataFormat };
  const text = request.body.toString('utf8');
  const parsed =
    request.endpoint === 'raw'
      ? parseRawBody(text, defaults, options.rawLineBreaker)
      : parseEventBody(text, defaults);
  return { ok: true, parsed, ack: auth.config.ack, channel: request.channel };
}

/**
 * `/event` and `/raw`: the whole request is validated before any event is accepted, so a 400 records nothing.
 * Real Splunk may index the events before `invalid-event-number` (reference §4, unconfirmed): `partialIndexing`
 * records them. With ack on, the request gets the channel's next ack id (reference §6).
 */
function ingest(request: EndpointRequest, deps: EndpointDeps): EndpointResult {
  const prepared = prepareIngest(request, deps.options);
  if (!prepared.ok) return reply(prepared.code);
  const { events, error } = prepared.parsed;
  if (error !== undefined) {
    const partial = deps.options.partialIndexing && error.invalidEventNumber !== undefined;
    if (partial) deps.accept(events);
    return { ...reply(error.code, error.invalidEventNumber), accepted: partial ? events.length : 0 };
  }
  let ackId: number | undefined;
  if (prepared.ack && prepared.channel !== undefined) {
    ackId = deps.acks.issue(prepared.channel, request.nowMs);
    if (ackId === undefined) return reply(Code.serverBusy);
    for (const event of events) event.ackId = ackId;
  }
  deps.accept(events);
  const answer = answerFor(Code.success, ackId === undefined ? {} : { ackId });
  return { answer, accepted: events.length, ackId, ackQuery: undefined };
}

function isAckId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** The ids of an `/ack` body `{"acks":[0,1,2]}`, or the code refusing it (5 empty, 6 malformed). */
function ackIdsOf(body: Buffer): readonly number[] | number {
  const text = body.toString('utf8');
  if (text.trim() === '') return Code.noData;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return Code.invalidDataFormat;
  }
  const acks = (parsed as { acks?: unknown } | null)?.acks;
  if (!Array.isArray(acks) || !acks.every(isAckId)) return Code.invalidDataFormat;
  return acks;
}

/**
 * `/ack`: `{"acks":[ids]}` → `{"acks":{"<id>":bool}}`, string keys; a `true` is reported once (reference §6).
 * Checks in Vector's order: token, channel (required), then 14 if the token has ack off.
 */
function ack(request: EndpointRequest, deps: EndpointDeps): EndpointResult {
  const auth = authenticate(request.headers, request.query, deps.options.tokens);
  if (!auth.ok) return reply(auth.code);
  const channelCode = channelError(request.channel, true);
  if (channelCode !== undefined || request.channel === undefined)
    return reply(channelCode ?? Code.channelMissing);
  if (!auth.config.ack) return reply(Code.ackDisabled);
  const ids = ackIdsOf(request.body);
  if (typeof ids === 'number') return reply(ids);
  const statuses = deps.acks.query(request.channel, ids, request.nowMs);
  return { answer: { status: 200, body: { acks: statuses } }, accepted: 0, ackId: undefined, ackQuery: ids };
}

/** `/health`: 200 code 17. The token is ignored, as Splunk 8.2.4 does (reference §1); faults make it unhealthy. */
function health(): EndpointResult {
  return reply(Code.healthy);
}

/** Answers a request on `request.endpoint`. */
export function answerEndpoint(request: EndpointRequest, deps: EndpointDeps): EndpointResult {
  switch (request.endpoint) {
    case 'event':
    case 'raw':
      return ingest(request, deps);
    case 'ack':
      return ack(request, deps);
    case 'health':
      return health();
  }
}
