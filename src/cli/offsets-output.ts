/**
 * What the `logbridge offsets` commands print: aligned tables for people, JSON (`--json`) for scripts. Offsets are
 * JSON numbers up to 2^53 and decimal strings above.
 * @module
 */
import {
  type GroupActivity,
  type PartitionState,
  type PlannedOffset,
  type ResetPlan,
  rowEffect,
} from '../offsets/index.ts';

/** Lays out rows under a header, columns separated by two spaces, the last column not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** `Empty, no live member` / `Stable, 2 live members (a@h, b@h)`. */
export function describeActivity(activity: GroupActivity): string {
  if (activity.members === 0) return `${activity.state}, no live member`;
  const count = activity.members === 1 ? '1 live member' : `${activity.members} live members`;
  return `${activity.state}, ${count} (${activity.clients.join(', ')})`;
}

const offset = (value: bigint | undefined): string => (value === undefined ? '-' : value.toString());

/** The `offsets show` table. */
export function statesTable(states: readonly PartitionState[]): string {
  return table(
    ['TOPIC', 'PARTITION', 'COMMITTED', 'LOG-START', 'LOG-END', 'LAG', 'NOTE'],
    states.map((s) => [
      s.topic,
      String(s.partition),
      offset(s.committed),
      offset(s.start),
      offset(s.end),
      offset(s.lag),
      s.committedAboveEnd
        ? 'committed offset above the log end: reset it'
        : s.committed === undefined
          ? 'no committed offset'
          : '',
    ]),
  );
}

/** The table of a plan: current → target per partition. */
export function planTable(rows: readonly PlannedOffset[]): string {
  return table(
    ['TOPIC', 'PARTITION', 'CURRENT', 'TARGET', 'LOG-START', 'LOG-END', 'EVENTS', 'NOTE'],
    rows.map((r) => [
      r.topic,
      String(r.partition),
      offset(r.current),
      offset(r.target),
      offset(r.start),
      offset(r.end),
      effect(r),
      r.current === r.target ? joinNotes('unchanged', r.note) : (r.note ?? ''),
    ]),
  );
}

/** `read again 40` / `skipped 12` / empty: the events between where the connector reads now and the target. */
function effect(row: PlannedOffset): string {
  const { reread, skipped } = rowEffect(row);
  if (reread > 0n) return `read again ${reread}`;
  return skipped > 0n ? `skipped ${skipped}` : '';
}

function joinNotes(first: string, second: string | undefined): string {
  return second === undefined ? first : `${first}; ${second}`;
}

/** A JSON-safe offset. */
export function jsonOffset(value: bigint | undefined): number | string | null {
  if (value === undefined) return null;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

function jsonActivity(activity: GroupActivity): Record<string, unknown> {
  return {
    group: activity.groupId,
    state: activity.state,
    members: activity.members,
    clients: activity.clients,
  };
}

/** `offsets show --json`. */
export function statesJson(
  connector: string,
  activity: GroupActivity,
  states: readonly PartitionState[],
): string {
  return JSON.stringify(
    {
      connector,
      ...jsonActivity(activity),
      partitions: states.map((s) => ({
        topic: s.topic,
        partition: s.partition,
        committed: jsonOffset(s.committed),
        log_start: jsonOffset(s.start),
        log_end: jsonOffset(s.end),
        lag: jsonOffset(s.lag),
        committed_above_end: s.committedAboveEnd,
      })),
    },
    null,
    2,
  );
}

/** `offsets reset|import --json`: the plan, and whether it was applied. */
export function planJson(
  connector: string,
  activity: GroupActivity,
  plan: ResetPlan,
  executed: boolean,
): string {
  return JSON.stringify(
    {
      connector,
      ...jsonActivity(activity),
      reset: plan.description,
      executed,
      partitions: plan.partitions.map((r) => ({
        topic: r.topic,
        partition: r.partition,
        current: jsonOffset(r.current),
        target: jsonOffset(r.target),
        log_start: jsonOffset(r.start),
        log_end: jsonOffset(r.end),
        changes: r.current !== r.target,
        read_again: jsonOffset(rowEffect(r).reread),
        skipped: jsonOffset(rowEffect(r).skipped),
        note: r.note ?? null,
      })),
    },
    null,
    2,
  );
}
