/**
 * The HEC test server: lifecycle (start, stop to refuse connections, start again on the same port, close) and the
 * controls tests use (faults, ack behaviour, recorded events and requests).
 */
import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { AckRegistry } from './acks.ts';
import type { HecEvent } from './event.ts';
import type { FaultHandle, FaultRule } from './faults.ts';
import { FaultSet } from './faults.ts';
import { createRequestListener } from './handler.ts';
import type { AckSettings, HecServerOptions, ResolvedOptions } from './options.ts';
import { resolveOptions } from './options.ts';
import { Code } from './protocol.ts';
import type { HecRequestRecord } from './recorder.ts';
import { Recorder } from './recorder.ts';

/** A running HEC test server. */
export interface HecServer {
  /** Base URL, e.g. `http://127.0.0.1:38123` (`https://` with `tls`); the same across `stop()`/`start()`. */
  readonly url: string;
  readonly port: number;
  /** The first configured token (`DEFAULT_TOKEN` unless `tokens` was given). */
  readonly token: string;
  /** Whether it accepts connections (false after `stop()` or `close()`). */
  readonly listening: boolean;
  /** Accepted events in arrival order (empty with `record: 'count'`). */
  readonly events: readonly HecEvent[];
  /** Number of accepted events. */
  readonly count: number;
  /** The request log, oldest first (see `maxRequestLog`). */
  readonly requests: readonly HecRequestRecord[];
  /** Unexpected errors inside the server (each also answered 500 code 8); a healthy run leaves this empty. */
  readonly errors: readonly Error[];
  /** Adds a fault rule; see {@link FaultRule}. Throws `TypeError`/`RangeError` for an invalid rule. */
  inject(rule: FaultRule): FaultHandle;
  /**
   * Busy as splunkd is when it cannot enqueue (reference §7): data endpoints answer 503 code 9 with
   * `invalid-event-number` 0 and `/health` 503 code 18, for `forMs` or until the handle is removed.
   */
  injectBusy(forMs?: number): FaultHandle;
  /** Removes every fault rule. */
  clearFaults(): void;
  /** Changes ack delay and/or loss for ack ids issued from now on. Throws `RangeError` on out-of-range values. */
  setAck(settings: AckSettings): void;
  /** Makes every delayed (not lost) pending ack report `true` from now on. */
  releaseAcks(): void;
  /** Forgets every ack channel, as idle cleanup or a restart would: pending acks are lost, ids restart at 0. */
  forgetChannels(): void;
  /** Pending ack ids on one channel, or on all. */
  pendingAcks(channel?: string): number;
  /** Forgets recorded events, the count and the request log. */
  clear(): void;
  /** Resolves once `count` events were accepted in total. Rejects after `timeoutMs` (default 10 000). */
  waitForEvents(count: number, timeoutMs?: number): Promise<void>;
  /** Stops listening and destroys open connections: clients get ECONNREFUSED. State is kept. */
  stop(): Promise<void>;
  /** Listens again on the same port (after `stop()`); a no-op while listening. */
  start(): Promise<void>;
  /** Stops and flushes the `out` file. The server cannot be started again. */
  close(): Promise<void>;
}

function combine(handles: readonly FaultHandle[]): FaultHandle {
  return {
    get hits() {
      return handles.reduce((sum, handle) => sum + handle.hits, 0);
    },
    get active() {
      return handles.some((handle) => handle.active);
    },
    remove() {
      for (const handle of handles) handle.remove();
    },
  };
}

class HecTestServer implements HecServer {
  readonly token: string;
  readonly #options: ResolvedOptions;
  readonly #server: Server;
  readonly #recorder: Recorder;
  readonly #acks: AckRegistry;
  readonly #faults = new FaultSet();
  #lifetime = new AbortController();
  #port: number;
  #closed = false;

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.token = options.tokens.keys().next().value ?? '';
    this.#port = options.port;
    this.#recorder = new Recorder(options);
    this.#acks = new AckRegistry(options.ack, options.ackLimits, options.random);
    const listener = createRequestListener({
      options,
      acks: this.#acks,
      accept: (events) => {
        this.#recorder.accept(events);
      },
      faults: this.#faults,
      recorder: this.#recorder,
      signal: () => this.#lifetime.signal,
    });
    this.#server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
  }

  get url(): string {
    const scheme = this.#options.tls ? 'https' : 'http';
    const host = this.#options.host.includes(':') ? `[${this.#options.host}]` : this.#options.host;
    return `${scheme}://${host}:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  get listening(): boolean {
    return this.#server.listening;
  }

  get events(): readonly HecEvent[] {
    return this.#recorder.events;
  }

  get count(): number {
    return this.#recorder.count;
  }

  get requests(): readonly HecRequestRecord[] {
    return this.#recorder.requests;
  }

  get errors(): readonly Error[] {
    return this.#recorder.errors;
  }

  inject(rule: FaultRule): FaultHandle {
    return this.#faults.add(rule, Date.now());
  }

  injectBusy(forMs?: number): FaultHandle {
    const duration = forMs === undefined ? {} : { forMs };
    return combine([
      this.inject({ code: Code.serverBusy, invalidEventNumber: 0, ...duration }),
      this.inject({ path: 'health', code: Code.unhealthyQueuesFull, ...duration }),
    ]);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  setAck(settings: AckSettings): void {
    this.#acks.configure(settings);
  }

  releaseAcks(): void {
    this.#acks.release(Date.now());
  }

  forgetChannels(): void {
    this.#acks.forget();
  }

  pendingAcks(channel?: string): number {
    return this.#acks.pendingCount(channel);
  }

  clear(): void {
    this.#recorder.clear();
  }

  waitForEvents(count: number, timeoutMs = 10_000): Promise<void> {
    return this.#recorder.waitForEvents(count, timeoutMs);
  }

  async start(): Promise<void> {
    if (this.#closed) throw new Error('HEC test server: closed, cannot start again');
    if (this.#server.listening) return;
    this.#lifetime = new AbortController();
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#port, this.#options.host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    if (!this.#server.listening) return;
    this.#lifetime.abort();
    const closed = new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
    this.#server.closeAllConnections();
    await closed;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#faults.clear();
    await this.stop();
    await this.#recorder.close();
  }
}

/**
 * Starts an HEC test server per `shared/reference/splunk-hec.md` and resolves once it listens. Throws
 * `RangeError` for invalid options; rejects if the port cannot be bound or `out` cannot be opened.
 */
export async function startHecServer(options: HecServerOptions = {}): Promise<HecServer> {
  const server = new HecTestServer(resolveOptions(options));
  await server.start();
  return server;
}
