/**
 * The HTTP pipeline of one request: route (404/405), read and decode the body (413/415/400), injected faults, the
 * endpoint, then the response and its request-log entry.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { readBody } from './body.ts';
import { channelOf } from './channel.ts';
import type { EndpointDeps, EndpointRequest, EndpointResult } from './endpoints.ts';
import { answerEndpoint, prepareIngest } from './endpoints.ts';
import type { FaultAction, FaultSet } from './faults.ts';
import type { Answer, Endpoint } from './protocol.ts';
import { ALLOWED_METHODS, answerFor, Code, NOT_FOUND, routeOf } from './protocol.ts';
import type { HecRequestRecord, Recorder } from './recorder.ts';
import { redactHeaders, redactQuery } from './recorder.ts';

/** What the pipeline needs from the server. */
export interface HandlerDeps extends EndpointDeps {
  readonly faults: FaultSet;
  readonly recorder: Recorder;
  /** Aborted when the server stops: pending fault delays give up. */
  readonly signal: () => AbortSignal;
}

/** The request-log entry being filled in as the request goes through the pipeline. */
type Note = { -readonly [K in keyof HecRequestRecord]: HecRequestRecord[K] };

function resultOf(answer: Answer): EndpointResult {
  return { answer, accepted: 0, ackId: undefined, ackQuery: undefined };
}

function noteOf(
  request: IncomingMessage,
  path: string,
  query: URLSearchParams,
  endpoint: Endpoint | undefined,
): Note {
  return {
    atMs: Date.now(),
    method: request.method ?? 'GET',
    path,
    endpoint,
    query: redactQuery(query),
    headers: redactHeaders(request.headers),
    channel: undefined,
    gzip: false,
    bytes: 0,
    decodedBytes: 0,
    status: 0,
    code: undefined,
    reply: undefined,
    events: 0,
    ackId: undefined,
    ackQuery: undefined,
    fault: false,
  };
}

/** Sends the answer (unless the connection is gone) and logs the request. */
function finish(response: ServerResponse, deps: HandlerDeps, note: Note, result: EndpointResult): void {
  const { status, body, headers } = result.answer;
  if (!response.destroyed && !response.headersSent) {
    const payload = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    const contentType =
      typeof body === 'object' ? 'application/json; charset=UTF-8' : 'text/plain; charset=UTF-8';
    response.writeHead(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(payload),
      ...headers,
    });
    response.end(payload);
    note.status = status;
  }
  note.reply = body;
  note.code = typeof body === 'object' && 'code' in body ? body.code : undefined;
  note.events = result.accepted;
  note.ackId = result.ackId;
  note.ackQuery = result.ackQuery;
  deps.recorder.logRequest(note);
}

async function pause(delayMs: number, deps: HandlerDeps): Promise<void> {
  if (delayMs > 0) await sleep(delayMs, undefined, { signal: deps.signal() });
}

/**
 * A fault's answer. With `partialIndexing` and an `invalidEventNumber`, the valid events before that number are
 * recorded, as for a real 400 (reference §4).
 */
function faultResult(action: FaultAction & { kind: 'answer' }, request: EndpointRequest, deps: HandlerDeps) {
  const cut = action.rule.invalidEventNumber;
  if (!deps.options.partialIndexing || cut === undefined || request.endpoint === 'ack')
    return resultOf(action.answer);
  if (request.endpoint === 'health') return resultOf(action.answer);
  const prepared = prepareIngest(request, deps.options);
  const events = prepared.ok ? prepared.parsed.events.slice(0, cut) : [];
  deps.accept(events);
  return { ...resultOf(action.answer), accepted: events.length };
}

async function applyFault(
  action: FaultAction,
  exchange: { request: IncomingMessage; response: ServerResponse; note: Note },
  endpointRequest: EndpointRequest,
  deps: HandlerDeps,
): Promise<void> {
  const { request, response, note } = exchange;
  note.fault = true;
  switch (action.kind) {
    case 'hang':
      deps.recorder.logRequest(note);
      return;
    case 'drop':
      await pause(action.delayMs, deps);
      request.socket.destroy();
      deps.recorder.logRequest(note);
      return;
    case 'delay':
      await pause(action.delayMs, deps);
      finish(response, deps, note, answerEndpoint({ ...endpointRequest, nowMs: Date.now() }, deps));
      return;
    case 'answer':
      await pause(action.delayMs, deps);
      finish(response, deps, note, faultResult(action, endpointRequest, deps));
  }
}

function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const mark = url.indexOf('?');
  if (mark < 0) return { path: url, query: new URLSearchParams() };
  return { path: url.slice(0, mark), query: new URLSearchParams(url.slice(mark + 1)) };
}

/** The answer for a path or method the server does not serve, if so. */
function unservedAnswer(endpoint: Endpoint | undefined, method: string): Answer | undefined {
  if (endpoint === undefined) return NOT_FOUND;
  const allowed = ALLOWED_METHODS[endpoint];
  if (allowed.includes(method)) return undefined;
  return { status: 405, body: '', headers: { allow: allowed.join(', ') } };
}

async function handle(request: IncomingMessage, response: ServerResponse, deps: HandlerDeps): Promise<void> {
  const { path, query } = splitUrl(request.url ?? '/');
  const endpoint = routeOf(path);
  const note = noteOf(request, path, query, endpoint);
  const unserved = unservedAnswer(endpoint, note.method);
  if (unserved !== undefined || endpoint === undefined) {
    finish(response, deps, note, resultOf(unserved ?? NOT_FOUND));
    return;
  }
  const body = await readBody(request, deps.options);
  note.gzip = body.gzip;
  note.bytes = body.wireBytes;
  if (body.kind === 'refused') {
    finish(response, deps, note, resultOf(body.answer));
    return;
  }
  note.decodedBytes = body.decoded.length;
  note.channel = channelOf(request.headers, query);
  const endpointRequest: EndpointRequest = {
    endpoint,
    headers: request.headers,
    query,
    channel: note.channel,
    body: body.decoded,
    nowMs: Date.now(),
  };
  const faultView = { ...endpointRequest, method: note.method, path };
  const action = deps.faults.take(faultView, endpointRequest.nowMs);
  if (action !== undefined) await applyFault(action, { request, response, note }, endpointRequest, deps);
  else finish(response, deps, note, answerEndpoint(endpointRequest, deps));
}

/** Whether the request failed because the client or the server went away (a consumed request is destroyed too). */
function isConnectionGone(response: ServerResponse, error: unknown): boolean {
  return response.destroyed || (error instanceof Error && error.name === 'AbortError');
}

/** The server's request listener. Unexpected errors answer 500 code 8 and are kept in `recorder.errors`. */
export function createRequestListener(deps: HandlerDeps): RequestListener {
  return (request, response) => {
    handle(request, response, deps).catch((error: unknown) => {
      if (isConnectionGone(response, error)) return;
      deps.recorder.errors.push(error instanceof Error ? error : new Error(String(error)));
      const note = noteOf(request, request.url ?? '/', new URLSearchParams(), undefined);
      finish(response, deps, note, resultOf(answerFor(Code.internalError)));
    });
  };
}
