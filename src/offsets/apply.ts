/**
 * Changes a consumer group's positions: applies a plan, or removes them all (KIP-875's PATCH and DELETE). Only while
 * the group has no live member: checked before, and again after (a member that joined meanwhile would commit over
 * the change); every change is read back and compared with what was asked, and what did not take is tried once more.
 *
 * KIP-875's `"offset": null` gets the position where the connector would start without one (its reset policy: the
 * log start or end), which resumes from the same place: not every source can delete one partition's position
 * (kafkajs 2.2.4 has no OffsetDelete).
 * @module
 */
import { isGroupActive, type OffsetsAdapter, type OffsetsSession, type PositionToApply } from './adapter.ts';
import { GroupActiveError, type OffsetMismatch, OffsetsNotAppliedError } from './errors.ts';
import { plannedChanges, type ResetPlan } from './reset-plan.ts';
import { type AutoOffsetReset, planTargets, type PlannedOffset } from './reset-targets.ts';

/** Options of {@link applyPlan} and {@link deleteGroupOffsets}. */
export interface ChangeOptions {
  /** The connector's name, for error messages in Kafka Connect's wording. */
  readonly connector?: string;
}

/** What {@link applyPlan} changed. */
export interface ApplyResult {
  /** The rows whose committed offset changed (rows already at their target are left alone). */
  readonly changed: readonly PlannedOffset[];
}

/**
 * Applies the plan's targets (real positions, never sentinels), then reads them back.
 * @throws GroupActiveError (LB_OFFSETS_GROUP_ACTIVE) when the group has live members: before, nothing is changed;
 *   after (a member joined during the change), the change may be overwritten.
 * @throws OffsetsNotAppliedError (LB_OFFSETS_NOT_APPLIED) when the positions read back differ from the plan.
 * @throws BridgeError (LB_KAFKA_*, …) when the source cannot be reached.
 */
export async function applyPlan(
  adapter: OffsetsAdapter,
  plan: ResetPlan,
  options: ChangeOptions = {},
): Promise<ApplyResult> {
  return adapter.session(`alter the offsets of consumer group ${plan.groupId}`, async (session) => {
    const change = { session, groupId: plan.groupId, connector: options.connector };
    await assertGroupInactive(change);
    const changed = plannedChanges(plan);
    if (changed.length > 0) await applyAndVerify(change, changed);
    return { changed };
  });
}

/** What {@link deleteGroupOffsets} did. */
export interface DeleteResult {
  /** The source removed every position of the group (or there was none). */
  readonly groupDeleted: boolean;
  /**
   * Partitions of `topics` that still had a committed position afterwards (the source could not remove them, or
   * kept them, as Event Hubs' Kafka endpoint has been reported to do), set to where the connector starts without
   * one.
   */
  readonly reset: readonly PlannedOffset[];
}

/**
 * KIP-875's DELETE: removes every committed position of the group, so the connector starts per its reset policy;
 * then checks `topics`.
 * @throws GroupActiveError (LB_OFFSETS_GROUP_ACTIVE) when the group has live members; nothing is changed.
 * @throws OffsetsNotAppliedError (LB_OFFSETS_NOT_APPLIED) when positions remain that could not be reset.
 * @throws BridgeError (LB_KAFKA_*, …) when the source cannot be reached.
 */
export async function deleteGroupOffsets(
  adapter: OffsetsAdapter,
  groupId: string,
  topics: readonly string[],
  options: ChangeOptions & {
    readonly autoOffsetReset?: AutoOffsetReset;
    readonly policyKey?: string | undefined;
  } = {},
): Promise<DeleteResult> {
  return adapter.session(`delete the offsets of consumer group ${groupId}`, async (session) => {
    const change = { session, groupId, connector: options.connector };
    await assertGroupInactive(change);
    const groupDeleted = await session.removeAll(groupId).catch((error: unknown) => {
      // The source found the group live when it tried: the same refusal, naming the connector.
      if (!(error instanceof GroupActiveError)) throw error;
      throw new GroupActiveError(error.activity, { connector: options.connector }, { cause: error.cause });
    });
    const states = await session.positions(groupId, topics);
    const remaining = states.filter((s) => s.committed !== undefined);
    if (remaining.length === 0) return { groupDeleted, reset: [] };
    const offsets = remaining.map(({ topic, partition }) => ({ topic, partition, offset: null }));
    const reset = planTargets(
      remaining,
      { to: 'explicit', offsets },
      { autoOffsetReset: options.autoOffsetReset ?? 'earliest', policyKey: options.policyKey },
    );
    await applyAndVerify(change, reset);
    return { groupDeleted, reset };
  });
}

/** One change in progress: the open session and the group. */
interface Change {
  readonly session: OffsetsSession;
  readonly groupId: string;
  readonly connector: string | undefined;
}

async function assertGroupInactive(
  { session, groupId, connector }: Change,
  context: { readonly duringChange?: boolean } = {},
): Promise<void> {
  const activity = await session.activity(groupId);
  if (isGroupActive(activity)) {
    throw new GroupActiveError(activity, { connector, duringChange: context.duringChange === true });
  }
}

/**
 * Applies the targets, checks that no member joined meanwhile, and reads the positions back; partitions that did
 * not take the change are tried once more.
 */
async function applyAndVerify(change: Change, rows: readonly PlannedOffset[]): Promise<void> {
  const { session, groupId } = change;
  await session.apply(groupId, rows.map(toApply));
  await assertGroupInactive(change, { duringChange: true });
  let mismatches = await compare(session, groupId, rows);
  if (mismatches.length > 0) {
    const again = rows.filter((r) =>
      mismatches.some((m) => m.topic === r.topic && m.partition === r.partition),
    );
    await session.apply(groupId, again.map(toApply));
    await assertGroupInactive(change, { duringChange: true });
    mismatches = await compare(session, groupId, rows);
  }
  if (mismatches.length > 0) throw new OffsetsNotAppliedError(groupId, mismatches);
}

function toApply(row: PlannedOffset): PositionToApply {
  return { topic: row.topic, partition: row.partition, offset: row.target };
}

async function compare(
  session: OffsetsSession,
  groupId: string,
  rows: readonly PlannedOffset[],
): Promise<OffsetMismatch[]> {
  const topics = [...new Set(rows.map((r) => r.topic))];
  const states = await session.positions(groupId, topics);
  return rows.flatMap(({ topic, partition, target }) => {
    const committed = states.find((s) => s.topic === topic && s.partition === partition)?.committed;
    return committed === target ? [] : [{ topic, partition, expected: target, committed }];
  });
}
