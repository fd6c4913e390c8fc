/**
 * Failures of the group-offsets operations (show, reset, export, import, delete). They reach an operator (CLI or
 * REST), never the runner, so the disposition says what the operator should do: `fatal` = fix the request or the
 * situation first, `retry` = the same request may succeed later.
 * @module
 */
import { BridgeError } from '../engine/index.ts';
import type { GroupActivity } from './adapter.ts';

/**
 * The consumer group still has live members, so its offsets must not be changed: a running member would commit
 * over the change (and Kafka refuses commits from outside the group's generation anyway). The source's
 * `activity.liveness` ends the message: when a crashed member stops counting.
 */
export class GroupActiveError extends BridgeError {
  readonly code = 'LB_OFFSETS_GROUP_ACTIVE';
  readonly disposition = 'fatal';
  readonly activity: GroupActivity;
  /** True when the member joined while the offsets were being changed: the change may have been made. */
  readonly duringChange: boolean;

  /**
   * @param context.connector the connector's name, to name it in the message (Kafka Connect's wording).
   * @param context.duringChange the member was found after the offsets were committed.
   */
  constructor(
    activity: GroupActivity,
    context: { readonly connector?: string | undefined; readonly duringChange?: boolean } = {},
    options?: ErrorOptions,
  ) {
    super(groupActiveMessage(activity, context.connector, context.duringChange === true), options);
    this.activity = activity;
    this.duringChange = context.duringChange === true;
  }
}

function groupActiveMessage(activity: GroupActivity, connector: string | undefined, during: boolean): string {
  const { groupId, state, members, clients, liveness } = activity;
  const who = connector === undefined ? 'the connector' : `connector ${connector}`;
  const stop = connector === undefined ? '/connectors/{name}/stop' : `/connectors/${connector}/stop`;
  const count = members === 1 ? '1 live member' : `${members} live members`;
  const list = clients.length === 0 ? '' : `: ${clients.join(', ')}`;
  const what = during
    ? `A member joined consumer group ${groupId} while the offsets of ${who} were being changed, and may commit ` +
      `over the change: the group has ${count}`
    : `Failed to alter consumer group offsets for ${who}: the consumer group ${groupId} still has ${count}`;
  return (
    `${what} (state ${state}${list}). Stop the connector first (PUT ${stop}, or stop every logbridge process ` +
    `that runs it) and try again${liveness === undefined ? '' : `; ${liveness}`}.`
  );
}

/**
 * A reset or import that cannot apply as asked: a topic the connector does not consume, a partition the topic does
 * not have, a negative offset, the same partition twice, an empty list. Nothing was changed.
 */
export class OffsetsRequestError extends BridgeError {
  readonly code = 'LB_OFFSETS_INVALID';
  readonly disposition = 'fatal';
}

/** An offsets file or an add-on checkpoint file cannot be read or does not have the expected format. */
export class OffsetsFileError extends BridgeError {
  readonly code = 'LB_OFFSETS_FILE';
  readonly disposition = 'fatal';
}

/** What the group's committed positions are after a change, where they differ from what was asked. */
export interface OffsetMismatch {
  readonly topic: string;
  readonly partition: number;
  readonly expected: bigint;
  readonly committed: bigint | undefined;
}

/**
 * The offsets read back after a change differ from the plan (a member joined the group meanwhile, or the broker
 * dropped the commit). The group may hold a mix of old and new offsets: look, then run the change again.
 */
export class OffsetsNotAppliedError extends BridgeError {
  readonly code = 'LB_OFFSETS_NOT_APPLIED';
  readonly disposition = 'retry';
  readonly mismatches: readonly OffsetMismatch[];

  constructor(groupId: string, mismatches: readonly OffsetMismatch[], options?: ErrorOptions) {
    const list = mismatches
      .map((m) => `${m.topic}[${m.partition}] is ${m.committed ?? 'uncommitted'}, not ${m.expected}`)
      .join('; ');
    super(
      `the offsets of consumer group ${groupId} did not all change: ${list}. Check that no logbridge process ` +
        'runs the connector (`logbridge offsets show`), then run the same change again.',
      options,
    );
    this.mismatches = mismatches;
  }
}
