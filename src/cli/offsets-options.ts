/**
 * The options of `logbridge offsets reset` and `import`, checked and turned into a reset spec and a selection.
 * Pure: a bad option is a {@link UsageError} (exit code 2) that says what is expected.
 * @module
 */
import type { PartitionSelection, ResetSpec } from '../offsets/index.ts';

/** A command line that cannot be carried out as written. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The options of `offsets reset` as commander gives them. */
export interface ResetOptions {
  readonly toEarliest?: boolean;
  readonly toLatest?: boolean;
  readonly toDatetime?: string;
  readonly toOffset?: string;
  readonly shiftBy?: string;
}

/** The selection options of `reset` and `import`. */
export interface SelectionOptions {
  readonly topic?: readonly string[];
  readonly partition?: readonly string[];
}

const RESET_FLAGS = '--to-earliest, --to-latest, --to-datetime <ISO>, --to-offset <n> or --shift-by <n>';

/**
 * The reset spec of exactly one of the reset options.
 * @throws UsageError when none or several are given, or a value does not parse.
 */
export function resetSpecOf(options: ResetOptions): ResetSpec {
  const given: ResetSpec[] = [];
  if (options.toEarliest === true) given.push({ to: 'earliest' });
  if (options.toLatest === true) given.push({ to: 'latest' });
  if (options.toDatetime !== undefined) given.push({ to: 'datetime', at: parseDatetime(options.toDatetime) });
  if (options.toOffset !== undefined) {
    given.push({ to: 'offset', offset: parseInteger(options.toOffset, '--to-offset', false) });
  }
  if (options.shiftBy !== undefined) {
    given.push({ to: 'shift', by: parseInteger(options.shiftBy, '--shift-by', true) });
  }
  const [spec, ...others] = given;
  if (spec === undefined) throw new UsageError(`say where to: one of ${RESET_FLAGS}`);
  if (others.length > 0) throw new UsageError(`give only one of ${RESET_FLAGS}`);
  return spec;
}

/** ISO 8601 with a date, a time and a zone: `2026-11-24T08:00:00Z`, `2026-11-24T09:00:00.000+01:00`. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * Parses `--to-datetime`. The zone is required: a reset must not depend on the machine's time zone.
 * @throws UsageError with an example.
 */
export function parseDatetime(text: string): Date {
  const at = new Date(text);
  if (!ISO_WITH_ZONE.test(text) || Number.isNaN(at.getTime())) {
    throw new UsageError(
      `--to-datetime ${text}: expected an ISO 8601 time with its zone, e.g. 2026-11-24T08:00:00Z or ` +
        '2026-11-24T09:00:00.000+01:00',
    );
  }
  return at;
}

function parseInteger(text: string, option: string, signed: boolean): bigint {
  const pattern = signed ? /^[+-]?\d{1,19}$/ : /^\d{1,19}$/;
  if (!pattern.test(text.trim())) {
    throw new UsageError(
      `${option} ${text}: expected ${signed ? 'an integer, e.g. -1000' : 'an offset (0 or more)'}`,
    );
  }
  return BigInt(text.trim());
}

/**
 * The partitions to touch: `--topic` (repeatable) and `--partition` (repeatable, or comma-separated).
 * @throws UsageError for a partition that is not a number.
 */
export function selectionOf(options: SelectionOptions): PartitionSelection {
  const partitions = options.partition
    ?.flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const p of partitions ?? []) {
    if (!/^\d{1,9}$/.test(p))
      throw new UsageError(`--partition ${p}: expected a partition number (0 or more)`);
  }
  return {
    ...(options.topic === undefined ? {} : { topics: [...new Set(options.topic)] }),
    ...(partitions === undefined ? {} : { partitions: [...new Set(partitions.map(Number))] }),
  };
}
