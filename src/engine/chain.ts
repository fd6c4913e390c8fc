/**
 * The transform chain of a connector: stateless transforms, and stateful ones whose state the chain keeps per
 * partition. It reports held events to its owner (the pipeline holds their records' tickets) and never touches
 * checkpoints itself.
 * @module
 */
import { asBridgeError, type BridgeError } from './errors.ts';
import type { LogEvent } from './event.ts';
import { partitionKey, type PartitionKey, type TopicPartition } from './record.ts';
import { DROP, HOLD, type NamedTransform } from './transform.ts';

/** What became of one event pushed through the chain. */
export type ChainResult =
  | { readonly kind: 'events'; readonly events: readonly LogEvent[] }
  | {
      readonly kind: 'failed';
      readonly transform: string;
      readonly event: LogEvent;
      readonly cause: BridgeError;
    };

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

  /** Runs one event from transform `from` to the end. */
  run(event: LogEvent, from = 0): ChainResult {
    let events: LogEvent[] = [event];
    for (let index = from; index < this.#transforms.length && events.length > 0; index += 1) {
      const next: LogEvent[] = [];
      for (const current of events) {
        const failure = this.#step(index, current, next);
        if (failure !== undefined) return failure;
      }
      events = next;
    }
    return { kind: 'events', events };
  }

  /** Asks every stateful transform for events due at `nowMs` and runs them through the rest of the chain. */
  flush(nowMs: number): ChainResult[] {
    const results: ChainResult[] = [];
    for (const [index, states] of this.#states) {
      const transform = this.#transforms[index];
      if (transform?.stateful === undefined) continue;
      for (const state of states.values()) {
        for (const event of transform.stateful.flush(state, nowMs)) results.push(this.run(event, index + 1));
      }
    }
    return results;
  }

  /** Forgets the state of revoked partitions (their held records are the owner's to release). */
  revoke(partitions: readonly TopicPartition[]): void {
    for (const states of this.#states.values()) for (const tp of partitions) states.delete(partitionKey(tp));
  }

  #step(index: number, event: LogEvent, out: LogEvent[]): ChainResult | undefined {
    const transform = this.#transforms[index];
    if (transform === undefined) return undefined;
    let result;
    try {
      result = transform.stateful === undefined ? transform.apply(event) : this.#applyStateful(index, event);
    } catch (error) {
      return { kind: 'failed', transform: transform.name, event, cause: asBridgeError(error) };
    }
    if (result === HOLD) this.#listener.held(event);
    else if (result === DROP) this.#listener.dropped(event, transform.name);
    else if (Array.isArray(result)) out.push(...(result as readonly LogEvent[]));
    else out.push(result as LogEvent);
    return undefined;
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
