/**
 * What the offsets tooling needs of a source, and the shapes it shares with it. A source (kafka, eventhubs) plugs in
 * by implementing {@link OffsetsAdapter}: read where a group stands, look positions up by time, apply new positions,
 * tell whether the group is live, forget every position. Planning, files and checks are the tooling's own.
 *
 * Positions are the source's: Kafka offsets, or Event Hubs sequence numbers; either way the position of the next
 * record to read, so that a checkpoint (the last one processed) is imported as its number + 1.
 * @module
 */

/** Where a group stands on one partition. */
export interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  /** The group's committed position; undefined when it has none (the connector then starts per its reset policy). */
  readonly committed: bigint | undefined;
  /** Log start: the position of the oldest record still retained. */
  readonly start: bigint;
  /** Log end (high watermark): the position the next record will get. */
  readonly end: bigint;
  /**
   * Records between the committed position (or the log start, without one) and the log end; 0 when the committed
   * position is above the log end.
   */
  readonly lag: bigint;
  /** The committed position is above the log end (a known kafkajs + Event Hubs failure): reset the offsets. */
  readonly committedAboveEnd: boolean;
}

/** Who is in a consumer group, as the source reports it. */
export interface GroupActivity {
  readonly groupId: string;
  /**
   * Kafka's group states: `Stable`, `PreparingRebalance`, `CompletingRebalance`, `Empty` or `Dead` (no such group).
   * Other sources map onto them (`Stable` with live members, `Empty` without).
   */
  readonly state: string;
  /** How many live members the group has. */
  readonly members: number;
  /** One name per member (`clientId@host`, an owner id), to tell the operator which processes still run. */
  readonly clients: readonly string[];
  /** When a crashed member stops counting as live, in words, e.g. `after a crash the broker drops …`. */
  readonly liveness?: string;
}

/** One position to apply: the next record the group will read on a partition. */
export interface PositionToApply {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** The calls a source answers for the offsets tooling, on one open connection ({@link OffsetsAdapter.session}). */
export interface OffsetsSession {
  /** Every partition of `topics` with the group's committed position, sorted by topic (as given) and partition. */
  positions(groupId: string, topics: readonly string[]): Promise<PartitionState[]>;
  /**
   * Per {@link partitionKey} of `states`, the first position whose record time is at or after `at` (the log end
   * when there is none).
   */
  positionsAt(states: readonly PartitionState[], at: Date): Promise<Map<string, bigint>>;
  /** Who is in the group; {@link isGroupActive} tells whether its positions may change. */
  activity(groupId: string): Promise<GroupActivity>;
  /** Sets the group's positions (the caller has checked that the group is not active). */
  apply(groupId: string, positions: readonly PositionToApply[]): Promise<void>;
  /**
   * Removes every committed position of the group.
   * @returns false when the store cannot remove them (the tooling then sets the remaining ones to where the
   *   connector starts without one).
   * @throws GroupActiveError when the store refuses because the group has live members.
   */
  removeAll(groupId: string): Promise<boolean>;
}

/** A source's side of the offsets tooling. */
export interface OffsetsAdapter {
  /**
   * Runs `use` on one open session and closes it whatever happens; the source's errors become BridgeErrors.
   * @param what the operation, for error messages (`plan a reset of consumer group g`).
   */
  session<T>(what: string, use: (session: OffsetsSession) => Promise<T>): Promise<T>;
}

/** True when the group has live members or is rebalancing: no position may be changed. */
export function isGroupActive(activity: GroupActivity): boolean {
  return activity.members > 0 || !['Empty', 'Dead'].includes(activity.state);
}

/** Adds lag as the engine's status computes it (`offsets-watch.ts`). */
export function withLag(state: Omit<PartitionState, 'lag' | 'committedAboveEnd'>): PartitionState {
  const committedAboveEnd = state.committed !== undefined && state.committed > state.end;
  const lag = committedAboveEnd ? 0n : state.end - (state.committed ?? state.start);
  return { ...state, lag, committedAboveEnd };
}

/** Map key of a partition. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/**
 * Reads the group's positions on every partition of `topics`.
 * @throws BridgeError when the source cannot be read.
 */
export async function describeGroupOffsets(
  adapter: OffsetsAdapter,
  groupId: string,
  topics: readonly string[],
): Promise<PartitionState[]> {
  return adapter.session(`read the offsets of consumer group ${groupId}`, (session) =>
    session.positions(groupId, topics),
  );
}

/**
 * Describes the consumer group: its state and members.
 * @throws BridgeError when the source cannot be read.
 */
export async function groupActivity(adapter: OffsetsAdapter, groupId: string): Promise<GroupActivity> {
  return adapter.session(`describe consumer group ${groupId}`, (session) => session.activity(groupId));
}
