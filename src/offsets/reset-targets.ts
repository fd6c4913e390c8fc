/**
 * Where a reset moves each partition: pure functions from the partitions' current state and a reset spec to target
 * offsets, clamped into the retained log like `kafka-consumer-groups --reset-offsets` does, each clamp explained.
 * @module
 */
import { partitionKey, type PartitionState } from './adapter.ts';
import { OffsetsRequestError } from './errors.ts';

/** One partition's wanted offset; `null` = no committed offset (KIP-875's "reset this partition"). */
export interface ExplicitOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint | null;
}

/**
 * What a reset does to each selected partition:
 * - `earliest` / `latest`: the log start / end;
 * - `datetime`: the first record whose timestamp is at or after `at` (the log end when there is none);
 * - `offset`: the same offset on every partition;
 * - `shift`: the committed offset plus `by` (negative to go back);
 * - `explicit`: the given offset per partition (import, REST PATCH).
 */
export type ResetSpec =
  | { readonly to: 'earliest' }
  | { readonly to: 'latest' }
  | { readonly to: 'datetime'; readonly at: Date }
  | { readonly to: 'offset'; readonly offset: bigint }
  | { readonly to: 'shift'; readonly by: bigint }
  | { readonly to: 'explicit'; readonly offsets: readonly ExplicitOffset[] };

/** Where a group starts on a partition without a committed offset (`kafka.auto.offset.reset`). */
export type AutoOffsetReset = 'earliest' | 'latest';

/** One row of a plan: a partition, its committed offset now, and the offset it will get. */
export interface PlannedOffset {
  readonly topic: string;
  readonly partition: number;
  /** Committed offset now; undefined when the group has none. */
  readonly current: bigint | undefined;
  /** The offset to commit (always within [start, end]). */
  readonly target: bigint;
  /** Where the connector reads from now: the committed offset, or where the start policy puts it without one. */
  readonly from: bigint;
  readonly start: bigint;
  readonly end: bigint;
  /** Why the target is not simply what was asked (clamped, no committed offset, no record after the time). */
  readonly note: string | undefined;
}

/** Which partitions a reset touches; absent = all partitions of all the connector's topics. */
export interface PartitionSelection {
  readonly topics?: readonly string[];
  readonly partitions?: readonly number[];
}

/** What {@link planTargets} needs besides the states. */
export interface TargetContext {
  readonly autoOffsetReset: AutoOffsetReset;
  /** The connector key that sets it, for notes (default `kafka.auto.offset.reset`). */
  readonly policyKey?: string | undefined;
  /** For `datetime`: per {@link partitionKey}, the first offset at or after the time (the log end if none). */
  readonly offsetsAtTime?: ReadonlyMap<string, bigint>;
}

/**
 * Keeps the selected partitions.
 * @throws OffsetsRequestError for a topic that is not among the states' topics, or a partition no selected topic has.
 */
export function selectPartitions(
  states: readonly PartitionState[],
  selection: PartitionSelection = {},
): PartitionState[] {
  const known = [...new Set(states.map((s) => s.topic))];
  const topics = selection.topics ?? known;
  for (const topic of topics) {
    if (!known.includes(topic)) {
      throw new OffsetsRequestError(
        `topic ${topic} is not consumed by this connector (topics: ${known.join(', ')})`,
      );
    }
  }
  const chosen = states.filter((s) => topics.includes(s.topic));
  const partitions = selection.partitions;
  if (partitions === undefined) return chosen;
  for (const topic of topics) {
    const missing = partitions.filter((p) => !chosen.some((s) => s.topic === topic && s.partition === p));
    if (missing.length > 0) {
      const count = chosen.filter((s) => s.topic === topic).length;
      throw new OffsetsRequestError(
        `topic ${topic} has no partition ${missing.join(', ')} (it has ${count}: 0 to ${count - 1})`,
      );
    }
  }
  return chosen.filter((s) => partitions.includes(s.partition));
}

/**
 * The target of every partition in `states` (already selected), or, for `explicit`, of every partition named.
 * @throws OffsetsRequestError for an explicit list that is empty, names a partition twice, names one that is not
 *   in `states`, or has a negative offset.
 */
export function planTargets(
  states: readonly PartitionState[],
  spec: ResetSpec,
  context: TargetContext,
): PlannedOffset[] {
  if (spec.to === 'explicit') return explicitTargets(states, spec.offsets, context);
  return states.map((state) => {
    const wanted = wantedOffset(state, spec, context);
    return row(state, context, wanted.offset, wanted.note);
  });
}

function wantedOffset(
  state: PartitionState,
  spec: Exclude<ResetSpec, { to: 'explicit' }>,
  context: TargetContext,
): { offset: bigint; note?: string } {
  switch (spec.to) {
    case 'earliest':
      return { offset: state.start };
    case 'latest':
      return { offset: state.end };
    case 'offset':
      return { offset: spec.offset };
    case 'datetime':
      return atTime(state, spec.at, context);
    case 'shift': {
      if (state.committed !== undefined) return { offset: state.committed + spec.by };
      const base = noCommitPosition(state, context.autoOffsetReset);
      return {
        offset: base + spec.by,
        note: `no committed offset: shifted from the log ${logEnd(context.autoOffsetReset)} ${base} (${context.policyKey ?? 'kafka.auto.offset.reset'}=${context.autoOffsetReset})`,
      };
    }
  }
}

function atTime(state: PartitionState, at: Date, context: TargetContext): { offset: bigint; note?: string } {
  const offset = context.offsetsAtTime?.get(partitionKey(state.topic, state.partition));
  if (offset === undefined) {
    throw new Error(`no offset looked up by time for ${state.topic}[${state.partition}]`);
  }
  if (offset >= state.end) return { offset, note: `no record at or after ${at.toISOString()}: the log end` };
  return { offset };
}

function explicitTargets(
  states: readonly PartitionState[],
  offsets: readonly ExplicitOffset[],
  context: TargetContext,
): PlannedOffset[] {
  if (offsets.length === 0) throw new OffsetsRequestError('the list of offsets is empty');
  const seen = new Set<string>();
  return offsets.map(({ topic, partition, offset }) => {
    const key = partitionKey(topic, partition);
    if (seen.has(key)) throw new OffsetsRequestError(`${topic}[${partition}] is listed twice`);
    seen.add(key);
    const state = states.find((s) => s.topic === topic && s.partition === partition);
    if (state === undefined) {
      const known = [...new Set(states.map((s) => s.topic))].join(', ');
      throw new OffsetsRequestError(
        `${topic}[${partition}] is not a partition of the connector's topics (${known})`,
      );
    }
    if (offset === null) {
      const target = noCommitPosition(state, context.autoOffsetReset);
      return row(
        state,
        context,
        target,
        `no committed offset asked (null): set to the log ${logEnd(context.autoOffsetReset)}, where the connector starts without one (${context.policyKey ?? 'kafka.auto.offset.reset'}=${context.autoOffsetReset})`,
      );
    }
    if (offset < 0n) throw new OffsetsRequestError(`${topic}[${partition}]: offset ${offset} is negative`);
    return row(state, context, offset);
  });
}

/** The offset a consumer with no committed offset starts from. */
function noCommitPosition(state: PartitionState, autoOffsetReset: AutoOffsetReset): bigint {
  return autoOffsetReset === 'latest' ? state.end : state.start;
}

function logEnd(autoOffsetReset: AutoOffsetReset): string {
  return autoOffsetReset === 'latest' ? 'end' : 'start';
}

/** A plan row, clamped into [start, end]: Kafka refuses to fetch outside it and would reset by policy. */
function row(state: PartitionState, context: TargetContext, wanted: bigint, note?: string): PlannedOffset {
  const { topic, partition, committed: current, start, end } = state;
  const from = current ?? noCommitPosition(state, context.autoOffsetReset);
  const base = { topic, partition, current, from, start, end };
  const also = (clamp: string): string => (note === undefined ? clamp : `${note}; ${clamp}`);
  if (wanted < start) {
    return { ...base, target: start, note: also(`${wanted} is before the log start ${start}: clamped`) };
  }
  if (wanted > end)
    return { ...base, target: end, note: also(`${wanted} is past the log end ${end}: clamped`) };
  return { ...base, target: wanted, note };
}

/** What a row does to the events between where the connector reads now and its target. */
export function rowEffect(row: PlannedOffset): { readonly reread: bigint; readonly skipped: bigint } {
  return {
    reread: row.from > row.target ? row.from - row.target : 0n,
    skipped: row.target > row.from ? row.target - row.from : 0n,
  };
}

/** A short human description of a spec, for plans and logs. */
export function describeSpec(spec: ResetSpec): string {
  switch (spec.to) {
    case 'earliest':
      return 'to the earliest offset (log start)';
    case 'latest':
      return 'to the latest offset (log end)';
    case 'datetime':
      return `to the first record at or after ${spec.at.toISOString()}`;
    case 'offset':
      return `to offset ${spec.offset}`;
    case 'shift':
      return `shifted by ${spec.by > 0n ? '+' : ''}${spec.by}`;
    case 'explicit':
      return `to ${spec.offsets.length} given offset${spec.offsets.length === 1 ? '' : 's'}`;
  }
}
