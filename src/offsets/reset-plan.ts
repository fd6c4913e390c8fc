/**
 * Plans a reset of a consumer group's offsets: reads where the group stands, looks offsets up by time when asked,
 * and computes every target (`reset-targets.ts`). Changes nothing; `applyPlan` does.
 * @module
 */
import { type OffsetsAdapter, partitionKey } from './adapter.ts';
import {
  type AutoOffsetReset,
  describeSpec,
  type PartitionSelection,
  type PlannedOffset,
  planTargets,
  type ResetSpec,
  selectPartitions,
} from './reset-targets.ts';

/** A reset, computed and not applied. */
export interface ResetPlan {
  readonly groupId: string;
  readonly spec: ResetSpec;
  /** The spec in words, e.g. `to the first record at or after 2026-11-24T08:00:00.000Z`. */
  readonly description: string;
  /** Every partition the reset touches, with its current and target offsets. */
  readonly partitions: readonly PlannedOffset[];
}

/** Options of {@link planReset}. */
export interface PlanOptions extends PartitionSelection {
  /** The connector's `kafka.auto.offset.reset`: where a partition without a committed offset starts. */
  readonly autoOffsetReset?: AutoOffsetReset;
  /** The connector key of that policy, for notes (default `kafka.auto.offset.reset`). */
  readonly policyKey?: string | undefined;
}

/** A consumer group and the topics it consumes (the connector's `topics`). */
export interface GroupTopics {
  readonly groupId: string;
  readonly topics: readonly string[];
}

/**
 * Computes a reset of the group on its topics, restricted to `options.topics` and `options.partitions` when given.
 * Targets are clamped into [log start, log end], each clamp noted. `to: 'datetime'` asks the source for the first
 * record whose time is at or after the time (Kafka: ListOffsets by timestamp).
 * @throws OffsetsRequestError (LB_OFFSETS_INVALID) for an unknown topic or partition or an invalid explicit list.
 * @throws BridgeError (LB_KAFKA_*, …) when the source cannot be read.
 */
export async function planReset(
  adapter: OffsetsAdapter,
  group: GroupTopics,
  spec: ResetSpec,
  options: PlanOptions = {},
): Promise<ResetPlan> {
  const { groupId, topics } = group;
  return adapter.session(`plan a reset of consumer group ${groupId}`, async (session) => {
    const states = await session.positions(groupId, topics);
    const selected = selectPartitions(states, options);
    const context = { autoOffsetReset: options.autoOffsetReset ?? 'earliest', policyKey: options.policyKey };
    let partitions: PlannedOffset[];
    if (spec.to === 'explicit') {
      // An explicit list names its partitions; a selection narrows it (import one topic of a file).
      const keep = new Set(selected.map((s) => partitionKey(s.topic, s.partition)));
      partitions = planTargets(states, spec, context).filter((p) =>
        keep.has(partitionKey(p.topic, p.partition)),
      );
    } else if (spec.to === 'datetime') {
      const offsetsAtTime = await session.positionsAt(selected, spec.at);
      partitions = planTargets(selected, spec, { ...context, offsetsAtTime });
    } else {
      partitions = planTargets(selected, spec, context);
    }
    return { groupId, spec, description: describeSpec(spec), partitions };
  });
}

/** The rows of a plan that change something (the target differs from the committed offset, or there is none). */
export function plannedChanges(plan: ResetPlan): PlannedOffset[] {
  return plan.partitions.filter((p) => p.current !== p.target);
}
