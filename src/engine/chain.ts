/**
 * The transform chain of a connector: stateless transforms, and stateful ones whose state the chain keeps per
 * partition. A run never loses an event: each event it produces ends held (kept by a stateful transform), dropped,
 * at the end of the chain (to deliver), or, when a transform refuses one of them, unfinished (to dead-letter with
 * the record). The chain reports held and dropped events to its owner and never touches checkpoints itself.
 * @module
 */
import { asBridgeError, type BridgeError } from './errors.ts';
import type { LogEvent } from './event.ts';
import { type PartitionKey, partitionKey, type TopicPartition } from './record.ts';
import { DROP, HOLD, type NamedTransform } from './transform.ts';

/** A transform refused an event of the run. */
export interface ChainFailure {
  readonly transform: string;
  readonly cause: BridgeError;
  /** The refused event. */
  readonly event: LogEvent;
  /**
   * Every event of the run that had reached no outcome yet, the refused one included: none of them leaves, their
   * records are dead-lettered with the run's record, so that replaying the dead letters delivers nothing twice.
   */
  readonly unfinished: readonly LogEvent[];
}

/** What a run made of one event. */
export interface ChainRun {
  /** Events that passed every transform, to deliver; empty when the run failed. */
  readonly events: readonly LogEvent[];
  /**
   * Events a stateful transform emitted from events it kept (`joined`), whatever their outcome: once every event of
   * the run has taken its holds, the holds of the events they joined are released.
   */
  readonly joins: readonly LogEvent[] | undefined;
  readonly failure: ChainFailure | undefined;
}

/** What the chain tells its owner. */
export interface ChainListener {
  /** A stateful transform kept this event: its records must stay unsettled. */
  held(event: LogEvent): void;
  /** A transform dropped this event on purpose. */
  dropped(event: LogEvent, transform: string): void;
}

/** Runs events through the transforms in order. */
export class TransformChain {
  readonly #transforms: readonly NamedTransform[];
  readonly #listener: ChainListener;
  /** Per stateful transform (by index), its state per partition. */
  readonly #states = new Map<number, Map<PartitionKey, unknown>>();
  /** Joins of the run under way (runs never nest): a field, not an object per run. */
  #joins: LogEvent[] | undefined;

  constructor(transforms: readonly NamedTransform[], listener: ChainListener) {
    this.#transforms = transforms;
    this.#listener = listener;
    transforms.forEach((t, index) => {
      if (t.stateful !== undefined) this.#states.set(index, new Map());
    });
  }

  /** True when some transform keeps state (the owner then calls `flush` periodically). */
  get stateful(): boolean {
    return this.#states.size > 0;
  }

  /** Runs one event from transform `from` to the end; `joins` seeds the run's joins (flushed events). */
  run(event: LogEvent, from = 0, joins?: LogEvent[]): ChainRun {
    let events: LogEvent[] = [event];
    this.#joins = joins;
    for (let index = from; index < this.#transforms.length && events.length > 0; index += 1) {
      const next: LogEvent[] = [];
      for (let i = 0; i < events.length; i += 1) {
        const current = events[i] as LogEvent;
        const failure = this.#step(index, current, next);
        if (failure === undefined) continue;
        const unfinished = [...next, ...events.slice(i)];
        return { events: [], joins: this.#takeJoins(), failure: { ...failure, event: current, unfinished } };
      }
      events = next;
    }
    return { events, joins: this.#takeJoins(), failure: undefined };
  }

  #takeJoins(): LogEvent[] | undefined {
    const joins = this.#joins;
    this.#joins = undefined;
    return joins;
  }

  /**
   * Asks every stateful transform for events due and runs them through the rest of the chain.
   * @param clockOf the reading clock of a partition (see `StatefulTransform.flush`).
   */
  flush(clockOf: (partition: PartitionKey) => number): ChainRun[] {
    const results: ChainRun[] = [];
    for (const [index, states] of this.#states) {
      const transform = this.#transforms[index];
      if (transform?.stateful === undefined) continue;
      for (const [key, state] of states) {
        for (const event of transform.stateful.flush(state, clockOf(key)))
          results.push(this.run(event, index + 1, [event]));
      }
    }
    return results;
  }

  /** Forgets the state of these partitions (their held events are the owner's to release). */
  revoke(partitions: readonly TopicPartition[]): void {
    for (const states of this.#states.values()) for (const tp of partitions) states.delete(partitionKey(tp));
  }

  #step(
    index: number,
    event: LogEvent,
    out: LogEvent[],
  ): Omit<ChainFailure, 'event' | 'unfinished'> | undefined {
    const transform = this.#transforms[index];
    if (transform === undefined) return undefined;
    let result;
    try {
      result = transform.stateful === undefined ? transform.apply(event) : this.#applyStateful(index, event);
    } catch (error) {
      return { transform: transform.name, cause: asBridgeError(error) };
    }
    if (result === HOLD) this.#listener.held(event);
    else if (result === DROP) this.#listener.dropped(event, transform.name);
    else if (Array.isArray(result)) {
      for (const emitted of result as readonly LogEvent[]) this.#emit(emitted, transform, out);
    } else this.#emit(result as LogEvent, transform, out);
    return undefined;
  }

  #emit(event: LogEvent, transform: NamedTransform, out: LogEvent[]): void {
    out.push(event);
    if (transform.stateful !== undefined && event.joined !== undefined) (this.#joins ??= []).push(event);
  }

  #applyStateful(
    index: number,
    event: LogEvent,
  ): ReturnType<NonNullable<NamedTransform['stateful']>['apply']> {
    const transform = this.#transforms[index];
    const states = this.#states.get(index);
    if (transform?.stateful === undefined || states === undefined)
      throw new Error('not a stateful transform');
    const key = partitionKey(event.record.position);
    let state = states.get(key);
    if (state === undefined) {
      state = transform.stateful.init();
      states.set(key, state);
    }
    return transform.stateful.apply(state, event);
  }
}
