/**
 * The world of the delivery model test: a log of partitions with committed offsets, sinks and a dead-letter queue
 * that remember what they durably hold, and a source that drives the engine through the `Source` / `SourceContext`
 * interface alone — the calls a Kafka source makes (generations: `assigned`, `revoking`) and those a source with
 * per-partition ownership makes (`revoked`, reading a claimed partition from its checkpoint), with commit failures,
 * a full budget and crashes. Every commit the engine asks for is checked against what the world holds.
 */
import {
  BridgeError,
  type CommitOffset,
  type DeadLetterQueue,
  DROP,
  type Encoded,
  type LogEvent,
  type NamedTransform,
  type SendOutcome,
  type Sink,
  type SinkBatch,
  type Source,
  type SourceContext,
  type SourceRecord,
  TransformError,
} from '../../../src/engine/index.ts';

export class Busy extends BridgeError {
  readonly code = 'LB_TEST_BUSY';
  readonly disposition = 'retry';
}
class Refused extends BridgeError {
  readonly code = 'LB_TEST_REFUSED';
  readonly disposition = 'reject';
}

/** A small deterministic random source. */
export class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0 || 1;
  }
  next(): number {
    this.#state = (Math.imul(this.#state, 1103515245) + 12345) >>> 0;
    return this.#state / 2 ** 32;
  }
}

/** One piece of content in a record: a CRI line (or plain text), marked to be dropped or refused by the chain. */
export interface PieceSpec {
  readonly cri: boolean;
  readonly stream: 'stdout' | 'stderr';
  readonly partial: boolean;
  readonly marker: '' | 'DROP' | 'BOOM';
  readonly padBytes: number;
}

/** A record to produce: its pieces, its source (the CRI `source` key) and its shape. */
export interface RecordSpec {
  readonly pieces: readonly PieceSpec[];
  readonly key: 'a' | 'b';
  /** An Azure `{"records": […]}` body (else the first piece as text). */
  readonly json: boolean;
}

const TOKEN = /@\d+\.\d+\.\d+@/g;

/** The content tokens in a text. */
export function tokensIn(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

const textOf = (event: LogEvent): string =>
  typeof event.body === 'string' ? event.body : JSON.stringify(event.body);

/** The log, its committed offsets, and what the sinks and the dead-letter queue durably hold. */
export class World {
  readonly log: SourceRecord[][];
  readonly committed: bigint[];
  readonly delivered = new Map<string, Set<string>>();
  readonly deadLettered = new Set<string>();
  readonly dropped = new Set<string>();
  readonly violations: string[] = [];
  readonly #tokens = new Map<string, string[]>();
  readonly sinkIds: readonly string[];

  constructor(partitions: number, sinkIds: readonly string[]) {
    this.sinkIds = sinkIds;
    this.log = Array.from({ length: partitions }, () => []);
    this.committed = Array.from({ length: partitions }, () => 0n);
    for (const id of sinkIds) this.delivered.set(id, new Set());
  }

  produce(partition: number, spec: RecordSpec): void {
    const records = this.log[partition] ?? [];
    const offset = records.length;
    const pieces = spec.pieces.map((piece, i) => {
      const content = `@${String(partition)}.${String(offset)}.${String(i)}@${piece.marker}${'x'.repeat(piece.padBytes)}`;
      return piece.cri
        ? `2024-11-24T08:16:00.000000001Z ${piece.stream} ${piece.partial ? 'P' : 'F'} ${content}`
        : `plain ${content}`;
    });
    const text = spec.json || pieces.length !== 1 ? JSON.stringify({ records: pieces }) : (pieces[0] ?? '');
    const value = Buffer.from(text);
    const record: SourceRecord = {
      position: { topic: 't', partition, offset: BigInt(offset) },
      key: Buffer.from(spec.key),
      value,
      headers: {},
      timestampMs: 0,
      sizeBytes: value.length + 1,
    };
    records.push(record);
    this.#tokens.set(keyOf(record), tokensIn(text));
  }

  /** A commit the log acknowledges: it must not go back, nor pass content that is not where it must be. */
  commit(partition: number, offset: bigint): void {
    const from = this.committed[partition] ?? 0n;
    const records = this.log[partition] ?? [];
    if (offset < from)
      this.violations.push(`partition ${String(partition)} committed back to ${String(offset)}`);
    if (offset > BigInt(records.length)) this.violations.push(`commit ${String(offset)} past the log end`);
    for (let o = Number(from); o < Number(offset) && o < records.length; o += 1) {
      const record = records[o] as SourceRecord;
      for (const missing of this.undelivered(record)) {
        this.violations.push(`committed ${String(partition)}@${String(offset)} past ${missing}, nowhere`);
      }
    }
    if (offset > from) this.committed[partition] = offset;
  }

  /** Another member, owning `partition` meanwhile, delivers `count` more records of it and commits them. */
  takeOver(partition: number, count: number): void {
    const records = this.log[partition] ?? [];
    const from = Number(this.committed[partition] ?? 0n);
    const to = Math.min(records.length, from + count);
    for (let o = from; o < to; o += 1) {
      const tokens = this.#tokens.get(keyOf(records[o] as SourceRecord)) ?? [];
      for (const sink of this.delivered.values()) for (const token of tokens) sink.add(token);
    }
    this.commit(partition, BigInt(to));
  }

  /** Tokens of a record that neither every sink nor the dead-letter queue holds, nor a transform dropped. */
  undelivered(record: SourceRecord): string[] {
    if (this.deadLettered.has(keyOf(record))) return [];
    return (this.#tokens.get(keyOf(record)) ?? []).filter(
      (token) => !this.dropped.has(token) && this.sinkIds.some((id) => !this.delivered.get(id)?.has(token)),
    );
  }

  /** The chain the test configures, besides `split` and `cri`: `drop` drops DROP pieces, `refuse` refuses BOOM. */
  transform(name: 'drop' | 'refuse'): NamedTransform {
    if (name === 'drop') {
      return {
        name,
        apply: (event) => {
          const text = textOf(event);
          if (!text.includes('DROP')) return event;
          for (const token of tokensIn(text)) this.dropped.add(token);
          return DROP;
        },
      };
    }
    return {
      name,
      apply: (event) => {
        if (textOf(event).includes('BOOM')) throw new TransformError('BOOM refused');
        return event;
      },
    };
  }
}

const keyOf = (record: SourceRecord): string =>
  `${String(record.position.partition)}:${String(record.position.offset)}`;

/** How a sink answers: at once, with transient failures, refusing some events, or not until told. */
export type SinkMode = 'ok' | 'retry' | 'reject' | 'hold';

/** A sink of one process: it records in the world what it durably accepted; a dead one never answers. */
export class ModelSink implements Sink<string> {
  readonly batch = { maxEvents: 4, maxBytes: 100_000, lingerMs: 20 };
  readonly maxInFlight = 2;
  #mode: SinkMode = 'ok';
  #dead = false;
  #wake = Promise.withResolvers<undefined>();
  readonly id: string;
  readonly #world: World;
  readonly #random: Random;

  constructor(id: string, world: World, random: Random) {
    this.id = id;
    this.#world = world;
    this.#random = random;
  }

  set mode(mode: SinkMode) {
    if (mode === 'hold' && this.#mode !== 'hold') this.#wake = Promise.withResolvers<undefined>();
    this.#mode = mode;
    if (mode !== 'hold') this.#wake.resolve(undefined);
  }

  die(): void {
    this.#dead = true;
    this.#wake.resolve(undefined);
  }

  async connect(): Promise<void> {
    await Promise.resolve();
  }

  encode(event: LogEvent): Encoded<string> {
    const text = textOf(event);
    return { payload: text, bytes: text.length };
  }

  async send(batch: SinkBatch<string>): Promise<SendOutcome> {
    while (this.#mode === 'hold' && !this.#dead) await this.#wake.promise;
    if (this.#dead) return new Promise<never>(() => undefined);
    const roll = this.#random.next();
    if (this.#mode === 'retry' && roll < 0.8) return { kind: 'retry', cause: new Busy('busy') };
    const refused = this.#mode === 'reject' && roll < 0.6 ? Math.floor(roll * 10) % batch.events.length : -1;
    const delivered = this.#world.delivered.get(this.id);
    batch.payloads.forEach((payload, index) => {
      if (index !== refused) for (const token of tokensIn(payload)) delivered?.add(token);
    });
    if (refused < 0) return { kind: 'delivered' };
    return { kind: 'partial', rejected: [{ index: refused, cause: new Refused('refused') }] };
  }

  async close(): Promise<void> {
    await Promise.resolve();
  }
}

/** The dead-letter queue of one process. */
export class ModelDeadLetters implements DeadLetterQueue {
  failing = false;
  #dead = false;
  readonly #world: World;
  readonly #random: Random;

  constructor(world: World, random: Random) {
    this.#world = world;
    this.#random = random;
  }

  die(): void {
    this.#dead = true;
  }

  async write(record: SourceRecord): Promise<void> {
    await Promise.resolve();
    if (this.#dead) return new Promise<never>(() => undefined);
    if (this.failing && this.#random.next() < 0.7) throw new Busy('dead-letter topic busy');
    this.#world.deadLettered.add(keyOf(record));
  }

  async close(): Promise<void> {
    await Promise.resolve();
  }
}

/** The source of one process. */
export class ModelSource implements Source {
  readonly id = 'model';
  context: SourceContext | undefined;
  readonly owned = new Set<number>();
  /** Next offset to read, per owned partition. */
  readonly #position = new Map<number, number>();
  #paused = false;
  #dead = false;
  /** The group expired this member (its session timed out): the coordinator refuses its commits until it rejoins. */
  evicted = false;
  commitFailures = 0;
  readonly world: World;
  readonly #random: Random;

  constructor(world: World, random: Random, owned: Iterable<number>) {
    this.world = world;
    this.#random = random;
    for (const p of owned) this.owned.add(p);
  }

  async start(context: SourceContext): Promise<void> {
    this.context = context;
    this.assign([...this.owned]);
    await Promise.resolve();
  }

  /** A new generation: every owned partition is read again from its committed offset. */
  assign(partitions: readonly number[]): void {
    this.owned.clear();
    this.#position.clear();
    for (const p of partitions) this.claim(p);
    this.context?.assigned(partitions.map((partition) => ({ topic: 't', partition })));
  }

  /** Ownership of one partition lost (another process claimed it). */
  lose(partition: number): void {
    if (!this.owned.delete(partition)) return;
    this.#position.delete(partition);
    this.context?.revoked([{ topic: 't', partition }]);
  }

  /** Ownership of one partition gained: read it from its checkpoint. */
  claim(partition: number): void {
    this.owned.add(partition);
    this.#position.set(partition, Number(this.world.committed[partition] ?? 0n));
  }

  /** Reads up to `count` records of a partition, as a fetch would, pausing on a full budget. */
  read(partition: number, count: number): void {
    const context = this.context;
    const position = this.#position.get(partition);
    if (context === undefined || position === undefined || this.#paused || this.#dead) return;
    const records = this.world.log[partition] ?? [];
    let next = position;
    context.caughtUp({ topic: 't', partition }, false);
    while (next < records.length && next < position + count) {
      if (context.isFull()) {
        this.#position.set(partition, next);
        this.#pause(context);
        return;
      }
      // A new object per read, as a fetch makes: the engine follows records by identity.
      context.accept({ ...(records[next] as SourceRecord) });
      next += 1;
    }
    this.#position.set(partition, next);
    context.caughtUp({ topic: 't', partition }, next === records.length);
  }

  /** True when every owned partition was read to the log end. */
  get caughtUp(): boolean {
    return [...this.#position].every(([p, next]) => next === this.world.log[p]?.length);
  }

  get paused(): boolean {
    return this.#paused;
  }

  die(): void {
    this.#dead = true;
  }

  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    await Promise.resolve();
    if (this.#dead) throw new Busy('the process is dead');
    if (this.evicted) throw new Busy('UNKNOWN_MEMBER_ID: the member must rejoin');
    if (this.commitFailures > 0 && this.#random.next() < 0.5) {
      this.commitFailures -= 1;
      throw new Busy('commit failed');
    }
    for (const o of offsets) {
      if (!this.owned.has(o.partition)) {
        this.world.violations.push(`asked to commit partition ${String(o.partition)}, not owned`);
        throw new Busy('not owned');
      }
    }
    for (const o of offsets) this.world.commit(o.partition, o.offset);
  }

  async stop(): Promise<void> {
    await Promise.resolve();
  }

  #pause(context: SourceContext): void {
    this.#paused = true;
    for (const partition of this.owned) context.caughtUp({ topic: 't', partition }, false);
    void context.ready().then(() => {
      this.#paused = false;
    });
  }
}
