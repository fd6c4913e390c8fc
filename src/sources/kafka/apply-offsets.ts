/**
 * Changes a consumer group's committed offsets: applies a plan, or deletes them all (KIP-875's PATCH and DELETE).
 * Only while the group has no live member: checked before, and again after (a member that joined meanwhile would
 * commit over the change); every change is read back and compared with what was asked.
 *
 * Why not kafkajs' `resetOffsets`: it commits the sentinels -2/-1, which Event Hubs may not honour
 * (reference/eventhubs-kafka.md §5); real offsets are committed instead (`group-commit.ts`). Why not an
 * OffsetDelete request for KIP-875's `"offset": null`: kafkajs 2.2.4 has none, so such a partition gets the offset
 * where the connector would start without one (`kafka.auto.offset.reset`: the log start or end), which resumes from
 * the same place.
 * @module
 */
import type { Admin } from 'kafkajs';
import { commitAsMember } from './group-commit.ts';
import {
  type KafkaClient,
  isGroupActive,
  readGroupActivity,
  readPartitionStates,
  withAdmin,
} from './group-offsets.ts';
import { GroupActiveError, type OffsetMismatch, OffsetsNotAppliedError } from './offsets-errors.ts';
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
 * Commits the plan's targets (real offsets, never sentinels), then reads them back.
 * @throws GroupActiveError (LB_OFFSETS_GROUP_ACTIVE) when the group has live members: before, nothing is changed;
 *   after (a member joined during the change), the change may be overwritten.
 * @throws OffsetsNotAppliedError (LB_OFFSETS_NOT_APPLIED) when the offsets read back differ from the plan.
 * @throws BridgeError (LB_KAFKA_*) when Kafka cannot be reached.
 */
export async function applyPlan(
  kafka: KafkaClient,
  plan: ResetPlan,
  options: ChangeOptions = {},
): Promise<ApplyResult> {
  return withAdmin(kafka, `alter the offsets of consumer group ${plan.groupId}`, async (admin) => {
    const change = { kafka, admin, groupId: plan.groupId, connector: options.connector };
    await assertGroupInactive(change);
    const changed = plannedChanges(plan);
    if (changed.length > 0) await commitAndVerify(change, changed);
    return { changed };
  });
}

/** What {@link deleteGroupOffsets} did. */
export interface DeleteResult {
  /** DeleteGroups removed the group and all its offsets (or there was no such group). */
  readonly groupDeleted: boolean;
  /**
   * Partitions of `topics` that still had a committed offset afterwards (the broker refused DeleteGroups, or kept
   * the offsets, as Event Hubs has been reported to do), set to where the connector starts without one.
   */
  readonly reset: readonly PlannedOffset[];
}

/**
 * KIP-875's DELETE: removes every committed offset of the group, so the connector starts per
 * `kafka.auto.offset.reset` — by DeleteGroups (what Kafka Connect does for sink connectors), then checks `topics`.
 * @throws GroupActiveError (LB_OFFSETS_GROUP_ACTIVE) when the group has live members; nothing is changed.
 * @throws OffsetsNotAppliedError (LB_OFFSETS_NOT_APPLIED) when offsets remain that could not be reset.
 * @throws BridgeError (LB_KAFKA_*) when Kafka cannot be reached.
 */
export async function deleteGroupOffsets(
  kafka: KafkaClient,
  groupId: string,
  topics: readonly string[],
  options: ChangeOptions & { readonly autoOffsetReset?: AutoOffsetReset } = {},
): Promise<DeleteResult> {
  return withAdmin(kafka, `delete the offsets of consumer group ${groupId}`, async (admin) => {
    const change = { kafka, admin, groupId, connector: options.connector };
    await assertGroupInactive(change);
    const groupDeleted = await deleteGroup(change);
    const states = await readPartitionStates(admin, groupId, topics);
    const remaining = states.filter((s) => s.committed !== undefined);
    if (remaining.length === 0) return { groupDeleted, reset: [] };
    const offsets = remaining.map(({ topic, partition }) => ({ topic, partition, offset: null }));
    const reset = planTargets(
      remaining,
      { to: 'explicit', offsets },
      { autoOffsetReset: options.autoOffsetReset ?? 'earliest' },
    );
    await commitAndVerify(change, reset);
    return { groupDeleted, reset };
  });
}

/** One change in progress: the clients and the group. */
interface Change {
  readonly kafka: KafkaClient;
  readonly admin: Admin;
  readonly groupId: string;
  readonly connector: string | undefined;
}

async function assertGroupInactive(
  { admin, groupId, connector }: Change,
  context: { readonly cause?: unknown; readonly duringChange?: boolean } = {},
): Promise<void> {
  const activity = await readGroupActivity(admin, groupId);
  if (isGroupActive(activity)) {
    const options = context.cause === undefined ? undefined : { cause: context.cause };
    throw new GroupActiveError(activity, { connector, duringChange: context.duringChange === true }, options);
  }
}

/** @returns whether the group is gone; false when the broker cannot delete groups (then offsets are reset). */
async function deleteGroup(change: Change): Promise<boolean> {
  try {
    await change.admin.deleteGroups([change.groupId]);
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'KafkaJSServerDoesNotSupportApiKey') return false;
    const type = (error as { groups?: readonly { error?: { type?: string } }[] }).groups?.[0]?.error?.type;
    if (type === 'GROUP_ID_NOT_FOUND') return true;
    if (type === 'NON_EMPTY_GROUP') await assertGroupInactive(change, { cause: error });
    if (type === undefined || type === 'NON_EMPTY_GROUP' || type.includes('AUTHORIZATION')) throw error;
    return false;
  }
}

/**
 * Commits the targets, checks that no member joined meanwhile, and reads the offsets back; partitions that did
 * not take the change are tried once more.
 */
async function commitAndVerify(change: Change, rows: readonly PlannedOffset[]): Promise<void> {
  const { kafka, admin, groupId } = change;
  await commitAsMember(kafka, groupId, rows.map(toCommit));
  await assertGroupInactive(change, { duringChange: true });
  let mismatches = await compare(admin, groupId, rows);
  if (mismatches.length > 0) {
    const again = rows.filter((r) =>
      mismatches.some((m) => m.topic === r.topic && m.partition === r.partition),
    );
    await commitAsMember(kafka, groupId, again.map(toCommit));
    await assertGroupInactive(change, { duringChange: true });
    mismatches = await compare(admin, groupId, rows);
  }
  if (mismatches.length > 0) throw new OffsetsNotAppliedError(groupId, mismatches);
}

function toCommit(row: PlannedOffset): { topic: string; partition: number; offset: bigint } {
  return { topic: row.topic, partition: row.partition, offset: row.target };
}

async function compare(
  admin: Admin,
  groupId: string,
  rows: readonly PlannedOffset[],
): Promise<OffsetMismatch[]> {
  const topics = [...new Set(rows.map((r) => r.topic))];
  const states = await readPartitionStates(admin, groupId, topics);
  return rows.flatMap(({ topic, partition, target }) => {
    const committed = states.find((s) => s.topic === topic && s.partition === partition)?.committed;
    return committed === target ? [] : [{ topic, partition, expected: target, committed }];
  });
}
