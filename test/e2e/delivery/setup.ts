/**
 * Shared pieces of the delivery-contract e2e tests: a connector from Kafka (over the Event Hubs-like SASL_SSL
 * listener) to a HEC test server, numbered records, and a per-number delivery count kept by the HEC server.
 */
import type { Message } from 'kafkajs';
import {
  startHecServer,
  type HecEvent,
  type HecServer,
  type HecServerOptions,
} from '../../support/hec/index.ts';
import { requireSasl, type KafkaCoordinates } from '../../support/kafka/index.ts';
import type { ConnectorFile } from '../../support/logbridge.ts';

/** A connector reading `topic` into `hec`, with test-friendly timings; `extra` overrides any key. */
export function hecConnector(
  name: string,
  topic: string,
  kafka: KafkaCoordinates,
  hec: HecServer,
  extra: Readonly<Record<string, string>> = {},
): ConnectorFile {
  return {
    name,
    config: {
      topics: topic,
      'eventhubs.connection.string': '${env:EVENTHUBS_CONNECTION_STRING}',
      ...(kafka.caFile === undefined ? {} : { 'kafka.ssl.ca.location': kafka.caFile }),
      'kafka.session.timeout.ms': '6000',
      'kafka.heartbeat.interval.ms': '1000',
      'splunk.hec.uri': hec.url,
      'splunk.hec.token': '${env:HEC_TOKEN}',
      'offset.flush.interval.ms': '1000',
      ...extra,
    },
  };
}

/** The environment carrying the secrets `hecConnector` refers to. */
export function secretsEnv(kafka: KafkaCoordinates, hec: HecServer): Record<string, string> {
  return { EVENTHUBS_CONNECTION_STRING: requireSasl(kafka).connectionString, HEC_TOKEN: hec.token };
}

/** Numbered records: value `{"seq": n, "log": "…"}`, key `n`. */
export function* numbered(from: number, to: number, padBytes = 80): Generator<Message> {
  const pad = 'x'.repeat(padBytes);
  for (let seq = from; seq < to; seq += 1) {
    yield { key: String(seq), value: JSON.stringify({ seq, log: `request ${seq} served ${pad}` }) };
  }
}

/**
 * Produces `total` numbered records in slices of `slice` through `send` (a topic's or event hub's producer), pausing
 * `pauseMs` between slices (a steady stream).
 */
export async function produceStream(
  send: (messages: Iterable<Message>) => Promise<unknown>,
  total: number,
  options: { slice: number; pauseMs: number; stop?: AbortSignal },
): Promise<number> {
  let produced = 0;
  while (produced < total && options.stop?.aborted !== true) {
    const next = Math.min(total, produced + options.slice);
    await send(numbered(produced, next));
    produced = next;
    await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
  }
  return produced;
}

/**
 * Which process run ("epoch") last delivered each Kafka position, to tell how many deliveries of the current run a
 * crash leaves uncommitted (what the next run delivers again).
 */
export class RunLedger {
  /** Per partition, per offset: 1 + the epoch that last delivered it (0 = never). */
  readonly #lastEpoch = new Map<number, Uint16Array>();
  epoch = 0;

  /** Starts a new epoch (call when a new process starts). */
  nextEpoch(): void {
    this.epoch += 1;
  }

  /** This position was delivered in the current epoch. */
  mark(partition: number, offset: number): void {
    let epochs = this.#lastEpoch.get(partition);
    if (epochs === undefined || offset >= epochs.length) {
      const grown = new Uint16Array(Math.max(offset + 1, (epochs?.length ?? 0) * 2, 1024));
      if (epochs !== undefined) grown.set(epochs);
      epochs = grown;
      this.#lastEpoch.set(partition, epochs);
    }
    epochs[offset] = this.epoch + 1;
  }

  /** Deliveries of the current epoch at or past `committed` (per partition): what a crash now would repeat. */
  uncommittedThisEpoch(committed: Readonly<Record<number, bigint>>): number {
    let n = 0;
    for (const [partition, epochs] of this.#lastEpoch) {
      const from = Number(committed[partition] ?? 0n);
      for (let offset = from; offset < epochs.length; offset += 1)
        if (epochs[offset] === this.epoch + 1) n += 1;
    }
    return n;
  }
}

/** Counts deliveries per sequence number, with the {@link RunLedger} of their Kafka positions. */
export class Deliveries extends RunLedger {
  readonly counts: Uint32Array;
  total = 0;

  constructor(size: number) {
    super();
    this.counts = new Uint32Array(size);
  }

  record(event: HecEvent): void {
    const seq = (event.event as { seq?: unknown }).seq;
    if (typeof seq !== 'number' || seq < 0 || seq >= this.counts.length) {
      throw new Error(`unexpected event at HEC: ${JSON.stringify(event.event).slice(0, 200)}`);
    }
    this.counts[seq] = (this.counts[seq] ?? 0) + 1;
    this.total += 1;
    const fields = event.fields as { kafka_partition?: string; kafka_offset?: string } | undefined;
    this.mark(Number(fields?.kafka_partition), Number(fields?.kafka_offset));
  }

  /** Sequence numbers below `upTo` never delivered. */
  missing(upTo = this.counts.length): number[] {
    const missing: number[] = [];
    for (let seq = 0; seq < upTo; seq += 1) if (this.counts[seq] === 0) missing.push(seq);
    return missing;
  }

  /** Distinct numbers delivered. */
  get distinct(): number {
    let n = 0;
    for (const count of this.counts) if (count > 0) n += 1;
    return n;
  }
}

/** A HEC test server that only counts, feeding `deliveries`. */
export function countingHec(deliveries: Deliveries, options: HecServerOptions = {}): Promise<HecServer> {
  return startHecServer({
    record: 'count',
    onEvent: (event) => {
      deliveries.record(event);
    },
    ...options,
  });
}
