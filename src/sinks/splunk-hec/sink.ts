/**
 * The Splunk HEC sink: encodes events, groups a batch into requests, delivers each group (failover, splitting,
 * acks: `delivery.ts`) and settles the batch only once every event is durable or refused for good. What a batch
 * achieved survives the engine's retries of it, so a retry resends only what is not yet durable.
 * @module
 */
import type { Logger } from 'pino';
import {
  type BatchPolicy,
  type Encoded,
  type LogEvent,
  type Rejection,
  type SendOutcome,
  type Sink,
  type SinkBatch,
  type SinkHealth,
  sleep,
} from '../../engine/index.ts';
import { Balancer } from './balancer.ts';
import { HecEndpoint } from './client.ts';
import type { HecSinkConfig } from './config.ts';
import { Delivery, type Stop } from './delivery.ts';
import { createEncoder, type HecPayload } from './encoder.ts';
import { HealthChecker } from './health.ts';
import { ackAnswerOf, AckPoller, Slots } from './indexer-acks.ts';
import type { HecMetrics } from './metrics.ts';
import { groupRequests } from './request-builder.ts';

/** Services the sink is built with. */
export interface HecSinkDeps {
  readonly logger: Logger;
  readonly metrics: HecMetrics;
  /** Connector name, the `connector` metrics label. */
  readonly connector: string;
}

/** What one batch has achieved so far: durable or refused events. */
interface BatchProgress {
  readonly done: Set<number>;
  readonly rejected: Rejection[];
}

/** Delivers events to one or more HEC endpoints. */
export class HecSink implements Sink<HecPayload> {
  readonly id: string;
  readonly batch: BatchPolicy;
  readonly maxInFlight: number;
  readonly encode: (event: LogEvent) => Encoded<HecPayload>;
  readonly #config: HecSinkConfig;
  readonly #deps: HecSinkDeps;
  readonly #endpoints: readonly HecEndpoint[];
  readonly #balancer: Balancer;
  readonly #pollers = new Map<HecEndpoint, AckPoller>();
  readonly #health: HealthChecker;
  readonly #delivery: Delivery;
  readonly #progress = new WeakMap<SinkBatch<HecPayload>, BatchProgress>();
  readonly #abort = new AbortController();
  readonly #ackOffWarned = new Set<HecEndpoint>();
  readonly #sending = new Set<Promise<SendOutcome>>();

  constructor(config: HecSinkConfig, deps: HecSinkDeps, id = 'splunk-hec') {
    this.id = id;
    this.#config = config;
    this.#deps = deps;
    this.batch = {
      maxEvents: config.maxBatchEvents,
      maxBytes: config.maxBatchBytes,
      lingerMs: config.lingerMs,
    };
    const requests = config.uris.length * config.requestsPerEndpoint;
    // With acks on, a send lasts until /ack says true: room for every pending ack besides the requests on the wire.
    this.maxInFlight = requests + (config.ack.enabled ? config.ack.maxPending : 0);
    this.encode = createEncoder(config);
    this.#endpoints = config.uris.map((uri) => this.#endpoint(uri));
    this.#balancer = new Balancer(this.#endpoints, {
      backoffInitialMs: config.health.backoffInitialMs,
      backoffMaxMs: config.health.backoffMaxMs,
      connections: config.requestsPerEndpoint,
      changed: (endpoint, up, reason) => {
        this.#endpointChanged(endpoint, up, reason);
      },
    });
    if (config.ack.enabled)
      for (const endpoint of this.#endpoints) this.#pollers.set(endpoint, this.#poller(endpoint));
    this.#health = this.#healthChecker();
    this.#delivery = this.#newDelivery();
  }

  /** Starts health checks; never waits for an endpoint, so a down one does not hold the others back. */
  async connect(_signal: AbortSignal): Promise<void> {
    for (const endpoint of this.#endpoints) {
      this.#deps.metrics.endpointUp.set({ connector: this.#deps.connector, endpoint: endpoint.label }, 1);
    }
    this.#health.start();
    await Promise.resolve();
  }

  send(batch: SinkBatch<HecPayload>, signal: AbortSignal): Promise<SendOutcome> {
    const sending = this.#send(batch, signal);
    this.#sending.add(sending);
    void sending.finally(() => this.#sending.delete(sending));
    return sending;
  }

  async #send(batch: SinkBatch<HecPayload>, signal: AbortSignal): Promise<SendOutcome> {
    let progress = this.#progress.get(batch);
    if (progress === undefined) this.#progress.set(batch, (progress = { done: new Set(), rejected: [] }));
    const state = progress;
    const todo = batch.payloads.map((_, index) => index).filter((index) => !state.done.has(index));
    const sendSignal = AbortSignal.any([signal, this.#abort.signal]);
    const recorder = {
      delivered: (indexes: readonly number[]) => {
        for (const index of indexes) state.done.add(index);
      },
      rejected: (rejection: Rejection) => {
        state.done.add(rejection.index);
        state.rejected.push(rejection);
      },
    };
    const stops = await Promise.all(
      groupRequests(batch.payloads, todo).map((group) =>
        this.#delivery.deliver({ payloads: batch.payloads, group, signal: sendSignal }, recorder),
      ),
    );
    const stop = worst(stops);
    if (stop !== undefined) return stop;
    this.#progress.delete(batch);
    return state.rejected.length === 0
      ? { kind: 'delivered' }
      : { kind: 'partial', rejected: state.rejected };
  }

  /**
   * Gives sends in flight up to `drainDeadlineMs` to finish, then stops health checks and ack polling (waits still
   * pending end as retries) and closes connections.
   */
  async close(drainDeadlineMs: number): Promise<void> {
    if (drainDeadlineMs > 0 && this.#sending.size > 0) {
      await Promise.race([Promise.allSettled(this.#sending), sleep(drainDeadlineMs)]);
    }
    this.#health.stop();
    this.#abort.abort();
    for (const poller of this.#pollers.values()) poller.close();
    await Promise.all(this.#endpoints.map((endpoint) => endpoint.close()));
  }

  /** Healthy while some endpoint is usable; the detail names each backed-off endpoint and why. */
  health(): SinkHealth {
    const views = this.#balancer.view();
    const cold = views.filter((view) => !view.up);
    const notes = cold.map(
      (view) =>
        `${view.endpoint.label} backed off (${view.reason ?? ''}), next check in ${Math.ceil((view.retryInMs ?? 0) / 1000)} s`,
    );
    if (this.#ackOffWarned.size > 0)
      notes.push('indexer acknowledgement is off on the token: settling on HTTP 200');
    return {
      healthy: cold.length < views.length,
      ...(notes.length === 0 ? {} : { detail: notes.join('; ') }),
    };
  }

  #healthChecker(): HealthChecker {
    const config = this.#config;
    return new HealthChecker({
      intervalMs: config.health.intervalMs,
      tickMs: Math.min(1000, config.health.backoffInitialMs),
      requestTimeoutMs: config.requestTimeoutMs,
      balancer: this.#balancer,
      endpoints: this.#endpoints,
      metrics: this.#deps.metrics,
      connector: this.#deps.connector,
    });
  }

  #newDelivery(): Delivery {
    const config = this.#config;
    return new Delivery({
      config,
      balancer: this.#balancer,
      pollers: this.#pollers,
      slots: config.ack.enabled ? new Slots(config.ack.maxPending) : undefined,
      metrics: this.#deps.metrics,
      connector: this.#deps.connector,
      ackUnsupported: (endpoint) => {
        this.#warnAckOff(endpoint);
      },
    });
  }

  #endpoint(uri: string): HecEndpoint {
    const config = this.#config;
    const endpoint: HecEndpoint = new HecEndpoint(uri, {
      token: config.token,
      tls: config.tls,
      connections: config.requestsPerEndpoint,
      requestTimeoutMs: config.requestTimeoutMs,
      cookie: config.ack.cookie,
      onSessionChange: () => {
        this.#deps.logger.warn(
          { endpoint: endpoint.label },
          'HEC load-balancer session changed: resending batches awaiting acks',
        );
        this.#pollers.get(endpoint)?.loseAll();
      },
    });
    return endpoint;
  }

  #poller(endpoint: HecEndpoint): AckPoller {
    const { metrics, connector } = this.#deps;
    const labels = { connector, endpoint: endpoint.label };
    return new AckPoller({
      pollIntervalMs: this.#config.ack.pollIntervalMs,
      timeoutMs: this.#config.ack.timeoutMs,
      concurrency: this.#config.requestsPerEndpoint,
      query: async (ids) => {
        metrics.requests.inc({ ...labels, path: 'ack' });
        const timer = metrics.requestSeconds.startTimer({ ...labels, path: 'ack' });
        const signal = AbortSignal.any([
          this.#abort.signal,
          AbortSignal.timeout(this.#config.requestTimeoutMs),
        ]);
        const response = await endpoint.postAck(ids, signal).catch(() => undefined);
        timer();
        const status = response === undefined ? 'network' : String(response.status);
        metrics.responses.inc({ ...labels, path: 'ack', status, code: String(response?.reply?.code ?? '') });
        return ackAnswerOf(response);
      },
      settled: (outcome, waitedMs) => {
        metrics.acks.inc({ ...labels, outcome });
        if (outcome === 'acked') metrics.ackSeconds.observe(labels, waitedMs / 1000);
      },
      pendingChanged: (pending) => {
        metrics.pendingAcks.set(labels, pending);
      },
    });
  }

  #endpointChanged(endpoint: HecEndpoint, up: boolean, reason: string | undefined): void {
    const { logger, metrics, connector } = this.#deps;
    metrics.endpointUp.set({ connector, endpoint: endpoint.label }, up ? 1 : 0);
    if (up) logger.info({ endpoint: endpoint.label }, 'HEC endpoint back in use');
    else logger.warn({ endpoint: endpoint.label, reason }, 'HEC endpoint backed off; using the others');
  }

  #warnAckOff(endpoint: HecEndpoint): void {
    if (this.#ackOffWarned.has(endpoint)) return;
    this.#ackOffWarned.add(endpoint);
    this.#deps.logger.warn(
      { endpoint: endpoint.label },
      'splunk.hec.ack.enabled=true but the HEC token has indexer acknowledgement off: batches settle on HTTP 200. ' +
        'Turn useACK on for the token, or set splunk.hec.ack.enabled=false',
    );
  }
}

/** `fatal` over `retry` over nothing. */
function worst(stops: readonly (Stop | undefined)[]): Stop | undefined {
  return stops.find((stop) => stop?.kind === 'fatal') ?? stops.find((stop) => stop !== undefined);
}
