/**
 * The HEC wire vocabulary: endpoints, status codes with their HTTP status and text, and the reply bodies, per
 * `shared/reference/splunk-hec.md` §1 and §5.
 */

/** The collector endpoint a request reached. */
export type Endpoint = 'event' | 'raw' | 'ack' | 'health';

/** The endpoints that take events; a fault rule without `path` applies to these. */
export const DATA_ENDPOINTS: readonly Endpoint[] = ['event', 'raw'];

/** Paths under `/services/collector` (reference §1): no suffix and `/1.0` variants included. */
const ROUTES: ReadonlyMap<string, Endpoint> = new Map<string, Endpoint>([
  ['/services/collector', 'event'],
  ['/services/collector/event', 'event'],
  ['/services/collector/event/1.0', 'event'],
  ['/services/collector/raw', 'raw'],
  ['/services/collector/raw/1.0', 'raw'],
  ['/services/collector/ack', 'ack'],
  ['/services/collector/health', 'health'],
  ['/services/collector/health/1.0', 'health'],
]);

/**
 * Methods each endpoint answers. `/ack` takes GET as well as POST: RESTinput lists GET, real clients POST
 * (reference §1, GET unconfirmed).
 */
export const ALLOWED_METHODS: Readonly<Record<Endpoint, readonly string[]>> = {
  event: ['POST'],
  raw: ['POST'],
  ack: ['POST', 'GET'],
  health: ['GET'],
};

/** The endpoint for an exact request path (no trailing-slash leniency), or `undefined` (→ 404). */
export function routeOf(path: string): Endpoint | undefined {
  return ROUTES.get(path);
}

/** One row of the status table. */
export interface HecStatus {
  /** HTTP status. */
  readonly status: number;
  /** The `text` of the JSON reply. */
  readonly text: string;
}

/**
 * The status table, reference §5. Codes 21–27 are unconfirmed there (statuses 400/400/503/200/200/429/429); their
 * texts here are our reading of the reference's summary and are only ever sent through fault injection.
 */
export const HEC_CODES: ReadonlyMap<number, HecStatus> = new Map<number, HecStatus>([
  [0, { status: 200, text: 'Success' }],
  [1, { status: 403, text: 'Token disabled' }],
  [2, { status: 401, text: 'Token is required' }],
  [3, { status: 401, text: 'Invalid authorization' }],
  [4, { status: 403, text: 'Invalid token' }],
  [5, { status: 400, text: 'No data' }],
  [6, { status: 400, text: 'Invalid data format' }],
  [7, { status: 400, text: 'Incorrect index' }],
  [8, { status: 500, text: 'Internal server error' }],
  [9, { status: 503, text: 'Server is busy' }],
  [10, { status: 400, text: 'Data channel is missing' }],
  [11, { status: 400, text: 'Invalid data channel' }],
  [12, { status: 400, text: 'Event field is required' }],
  [13, { status: 400, text: 'Event field cannot be blank' }],
  [14, { status: 400, text: 'ACK is disabled' }],
  [15, { status: 400, text: 'Error in handling indexed fields' }],
  [16, { status: 400, text: 'Query string authorization is not enabled' }],
  [17, { status: 200, text: 'HEC is healthy' }],
  [18, { status: 503, text: 'HEC is unhealthy, queues are full' }],
  [19, { status: 503, text: 'HEC is unhealthy, ack service unavailable' }],
  [20, { status: 503, text: 'HEC is unhealthy, queues are full, ack service unavailable' }],
  [21, { status: 400, text: 'Invalid token' }],
  [22, { status: 400, text: 'Token disabled' }],
  [23, { status: 503, text: 'Server is shutting down' }],
  [24, { status: 200, text: 'HEC is healthy, queues are near capacity' }],
  [25, { status: 200, text: 'HEC is healthy, ack service is near capacity' }],
  [26, { status: 429, text: 'Queues are at capacity' }],
  [27, { status: 429, text: 'Ack service is at capacity' }],
]);

/** Named codes the server itself emits, so the pipeline reads as the protocol. */
export const Code = {
  success: 0,
  tokenDisabled: 1,
  tokenRequired: 2,
  invalidAuthorization: 3,
  invalidToken: 4,
  noData: 5,
  invalidDataFormat: 6,
  incorrectIndex: 7,
  internalError: 8,
  serverBusy: 9,
  channelMissing: 10,
  invalidChannel: 11,
  eventRequired: 12,
  eventBlank: 13,
  ackDisabled: 14,
  indexedFieldsError: 15,
  queryStringAuthDisabled: 16,
  healthy: 17,
  unhealthyQueuesFull: 18,
} as const;

/** A JSON reply body as HEC sends it. */
export interface HecReply {
  readonly text: string;
  readonly code: number;
  readonly ackId?: number;
  readonly 'invalid-event-number'?: number;
}

/** What the server sends back: HTTP status, headers and a body (a JSON reply, raw text, or nothing). */
export interface Answer {
  readonly status: number;
  readonly body: HecReply | { readonly acks: Record<string, boolean> } | string | undefined;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Status and text for a code; codes outside the table answer 500 with text "Unknown". */
export function statusOf(code: number): HecStatus {
  return HEC_CODES.get(code) ?? { status: 500, text: 'Unknown' };
}

/**
 * The answer for a code. `invalidEventNumber` adds `"invalid-event-number"` (zero-based index of the first bad
 * event, reference §4); `ackId` is added on success when the token has ack on.
 */
export function answerFor(code: number, extra: { invalidEventNumber?: number; ackId?: number } = {}): Answer {
  const { status, text } = statusOf(code);
  const body: { text: string; code: number; ackId?: number; 'invalid-event-number'?: number } = {
    text,
    code,
  };
  if (extra.invalidEventNumber !== undefined) body['invalid-event-number'] = extra.invalidEventNumber;
  if (extra.ackId !== undefined) body.ackId = extra.ackId;
  return { status, body };
}

/** The 404 Splunk sends for a path it does not serve (JSON, code 404; text as splunkd words it). */
export const NOT_FOUND: Answer = {
  status: 404,
  body: { text: 'The requested URL was not found on this server.', code: 404 },
};

/** A channel must be a UUID (reference §2, 400/11 otherwise); any version, any case. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a well-formed channel id. */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}
