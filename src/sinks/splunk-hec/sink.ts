/**
 * The Splunk HEC sink: `/services/collector/event` with gzip, round-robin over endpoints, and the status table
 * applied per batch: a refused event is cut out and the rest resent; a 413 halves the batch.
 * @module
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type {
  BatchPolicy,
  BridgeError,
  Encoded,
  LogEvent,
  Rejection,
  SendOutcome,
  Sink,
  SinkBatch,
} from '../../engine/index.ts';
import { HecEndpoint } from './client.ts';
import type { HecSinkConfig } from './config.ts';
import { createEncoder, type Envelope } from './encoder.ts';
import { classifyResponse, HecRequestTooLargeError } from './errors.ts';

const gzipAsync = promisify(gzip);
const EVENT_PATH = '/services/collector/event';

/** What happened to a slice of a batch: index-aligned rejections, or a stop (retry/fatal) for the whole batch. */
type SliceResult = { readonly rejected: Rejection[] } | { readonly stop: SendOutcome };

/** Delivers events to one or more HEC endpoints. */
export class HecSink implements Sink<Envelope> {
  readonly id: string;
  readonly batch: BatchPolicy;
  readonly maxInFlight: number;
  readonly encode: (event: LogEvent) => Encoded<Envelope>;
  readonly #config: HecSinkConfig;
  readonly #endpoints: readonly HecEndpoint[];
  #next = 0;

  constructor(config: HecSinkConfig, id = 'splunk-hec') {
    this.id = id;
    this.#config = config;
    this.batch = {
      maxEvents: config.maxBatchEvents,
      maxBytes: config.maxBatchBytes,
      lingerMs: config.lingerMs,
    };
    this.maxInFlight = config.maxInFlight;
    this.encode = createEncoder(config);
    this.#endpoints = config.uris.map((uri) => new HecEndpoint(uri, config));
  }

  async connect(): Promise<void> {
    // Endpoints connect lazily; a down endpoint must not block the others.
  }

  async send(batch: SinkBatch<Envelope>, signal: AbortSignal): Promise<SendOutcome> {
    const result = await this.#sendSlice(
      batch.payloads.map((_, i) => i),
      batch.payloads,
      signal,
    );
    if ('stop' in result) return result.stop;
    return result.rejected.length === 0
      ? { kind: 'delivered' }
      : { kind: 'partial', rejected: result.rejected };
  }

  async close(): Promise<void> {
    await Promise.all(this.#endpoints.map((endpoint) => endpoint.close()));
  }

  /**
   * Sends the payloads at `indexes`. An invalid event is cut out and the others resent (they were not indexed, or
   * were: a resend may duplicate events before it, which their Kafka coordinates let Splunk searches find).
   */
  async #sendSlice(
    indexes: number[],
    payloads: readonly Envelope[],
    signal: AbortSignal,
  ): Promise<SliceResult> {
    const rejected: Rejection[] = [];
    let pending = indexes;
    while (pending.length > 0) {
      const endpoint = this.#pick();
      let response;
      try {
        response = await endpoint.post({
          path: EVENT_PATH,
          ...(await this.#body(pending, payloads)),
          signal,
        });
      } catch (error) {
        return { stop: { kind: 'retry', cause: error as BridgeError } };
      }
      const verdict = classifyResponse(response.status, response.reply, response.retryAfter);
      switch (verdict.kind) {
        case 'success':
          return { rejected };
        case 'invalid-event': {
          const bad = pending[verdict.index] ?? pending[0];
          if (bad === undefined) return { rejected };
          rejected.push({ index: bad, cause: verdict.error });
          pending = pending.filter((i) => i !== bad);
          break;
        }
        case 'too-large':
          return this.#halve(pending, payloads, signal, rejected);
        case 'error':
          return verdict.error.disposition === 'fatal'
            ? { stop: { kind: 'fatal', cause: verdict.error } }
            : { stop: { kind: 'retry', cause: verdict.error, ...retryAfter(verdict.retryAfterMs) } };
      }
    }
    return { rejected };
  }

  async #halve(
    pending: number[],
    payloads: readonly Envelope[],
    signal: AbortSignal,
    rejected: Rejection[],
  ): Promise<SliceResult> {
    if (pending.length === 1) {
      const cause = new HecRequestTooLargeError(
        "HEC answered 413 to a request holding one event: raise the server's max_content_length " +
          'or lower splunk.hec.max.event.bytes so such events are dead-lettered',
      );
      return { stop: { kind: 'fatal', cause } };
    }
    const middle = Math.ceil(pending.length / 2);
    for (const half of [pending.slice(0, middle), pending.slice(middle)]) {
      const result = await this.#sendSlice(half, payloads, signal);
      if ('stop' in result) return result;
      rejected.push(...result.rejected);
    }
    return { rejected };
  }

  async #body(
    indexes: readonly number[],
    payloads: readonly Envelope[],
  ): Promise<{ body: Buffer; gzip: boolean }> {
    const raw = Buffer.from(indexes.map((i) => payloads[i] ?? '').join(''), 'utf8');
    if (!this.#config.gzip) return { body: raw, gzip: false };
    return { body: await gzipAsync(raw, { level: this.#config.gzipLevel }), gzip: true };
  }

  #pick(): HecEndpoint {
    const endpoint = this.#endpoints[this.#next % this.#endpoints.length];
    this.#next += 1;
    if (endpoint === undefined) throw new RangeError('HEC sink has no endpoint');
    return endpoint;
  }
}

function retryAfter(ms: number | undefined): { retryAfterMs?: number } {
  return ms === undefined ? {} : { retryAfterMs: ms };
}
