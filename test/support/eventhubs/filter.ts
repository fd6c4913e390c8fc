/**
 * The `apache.org:selector-filter:string` a partition receiver attaches with (README.md § Receivers): one SQL-like
 * comparison on an annotation, e.g. `amqp.annotation.x-opt-offset > '1024'`, `… >= …`,
 * `amqp.annotation.x-opt-sequence-number > '41'`, `amqp.annotation.x-opt-enqueued-time > '1700000000000'` (epoch
 * ms). Offsets `-1` (before the first event) and `@latest` (after the last) are the special positions.
 */
import type { PartitionLog } from './log.ts';

/** A parsed filter: where delivery starts. */
export type StartPosition =
  | { readonly on: 'offset'; readonly value: string; readonly inclusive: boolean }
  | { readonly on: 'sequence'; readonly value: number; readonly inclusive: boolean }
  | { readonly on: 'enqueued'; readonly value: number; readonly inclusive: boolean };

const FILTER =
  /^amqp\.annotation\.(x-opt-offset|x-opt-sequence-number|x-opt-enqueued-time)\s*(>=|>)\s*'([^']*)'$/i;

/**
 * Parses the selector; no filter at all means the start of the partition.
 * @throws Error for anything else (the peer refuses the attach with `amqp:invalid-field`).
 */
export function parseSelector(selector: string | undefined): StartPosition {
  if (selector === undefined) return { on: 'offset', value: '-1', inclusive: false };
  const match = FILTER.exec(selector.trim());
  if (match === null) throw new Error(`unsupported selector filter: ${selector}`);
  const [, annotation = '', operator, value = ''] = match;
  const inclusive = operator === '>=';
  switch (annotation.toLowerCase()) {
    case 'x-opt-offset':
      if (value !== '-1' && value !== '@latest' && !/^\d+$/.test(value))
        throw new Error(`bad offset ${value}`);
      return { on: 'offset', value, inclusive };
    case 'x-opt-sequence-number':
      if (!/^-?\d+$/.test(value)) throw new Error(`bad sequence number ${value}`);
      return { on: 'sequence', value: Number(value), inclusive };
    default:
      if (!/^\d+$/.test(value)) throw new Error(`bad enqueued time ${value}`);
      return { on: 'enqueued', value: Number(value), inclusive };
  }
}

/** The sequence number of the first event to deliver from `position` (the next one when none is retained yet). */
export function firstSequenceNumber(log: PartitionLog, position: StartPosition): number {
  const after = (n: number, m: number): boolean => (position.inclusive ? n >= m : n > m);
  switch (position.on) {
    case 'offset': {
      if (position.value === '-1') return log.beginSequenceNumber;
      if (position.value === '@latest') return log.lastSequenceNumber + 1;
      const wanted = Number(position.value);
      return log.firstWhere((e) => after(Number(e.offset), wanted));
    }
    case 'sequence':
      return Math.max(log.beginSequenceNumber, position.inclusive ? position.value : position.value + 1);
    case 'enqueued':
      return log.firstWhere((e) => after(e.enqueuedTimeMs, position.value));
  }
}
