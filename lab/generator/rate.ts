/**
 * Produces a workload's records at a steady rate: every tick, as many records as the rate says are due, sent in
 * one call. Falls behind gracefully: when the sender is slower than the rate, the backlog is dropped (at most one
 * second of catching up), so a stalled broker does not cause a burst later.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { LabRecord, Workload } from './workload.ts';

/** Sends records; resolves once the broker acknowledged them all. */
export type SendRecords = (records: readonly LabRecord[]) => Promise<void>;

/** Counts of acknowledged records. */
export interface ProducedCounts {
  total: number;
  readonly byTopic: Map<string, number>;
}

/** Options of {@link produceAtRate}. */
export interface ProduceAtRateOptions {
  readonly workload: Workload;
  readonly send: SendRecords;
  /** Records per second, over all topics. */
  readonly ratePerSecond: number;
  /** Stop once at least this many records were produced (a statement's records are never split). */
  readonly count?: number;
  /** Stops producing (the pending send is awaited, not cancelled). */
  readonly signal: AbortSignal;
  /** Updated as sends are acknowledged; pass one to read progress while it runs. */
  readonly counts?: ProducedCounts;
  /**
   * Called when a send fails (kafkajs has already retried it); the records are dropped. Return `'stop'` to end
   * with that error, `'continue'` to go on after `retryDelayMs`. @default () => 'stop'
   */
  readonly onSendError?: (error: unknown) => 'stop' | 'continue';
  /** @default 100 */
  readonly tickMs?: number;
  /** @default 1000 */
  readonly retryDelayMs?: number;
}

/** A fresh, empty count. */
export function emptyCounts(): ProducedCounts {
  return { total: 0, byTopic: new Map() };
}

/**
 * Runs until `count` records were produced or `signal` aborts.
 * @returns the counts
 * @throws the send error when `onSendError` says `'stop'`
 */
export async function produceAtRate(options: ProduceAtRateOptions): Promise<ProducedCounts> {
  const counts = options.counts ?? emptyCounts();
  const tickMs = options.tickMs ?? 100;
  const rate = options.ratePerSecond;
  if (!(rate > 0))
    throw new RangeError(`the rate must be a positive number of records per second, got ${rate}`);
  let start = performance.now();
  let scheduled = 0;
  while (!options.signal.aborted && (options.count === undefined || counts.total < options.count)) {
    let due = Math.floor((rate * (performance.now() - start)) / 1000) - scheduled;
    if (due > rate) {
      // More than a second behind: forget the backlog, keep the pace from now on.
      start += ((due - rate) / rate) * 1000;
      due = Math.ceil(rate);
    }
    const batch = take(
      options.workload,
      due,
      options.count === undefined ? undefined : options.count - counts.total,
    );
    scheduled += batch.length;
    if (batch.length > 0 && !(await sendOnce(options, batch, counts))) continue;
    await sleep(tickMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
  return counts;
}

/** At least `due` records (whole statements), but no more statements once `left` is reached. */
function take(workload: Workload, due: number, left: number | undefined): LabRecord[] {
  const limit = left === undefined ? due : Math.min(due, left);
  const batch: LabRecord[] = [];
  while (batch.length < limit) batch.push(...workload.next());
  return batch;
}

async function sendOnce(
  options: ProduceAtRateOptions,
  batch: readonly LabRecord[],
  counts: ProducedCounts,
): Promise<boolean> {
  try {
    await options.send(batch);
  } catch (error) {
    if ((options.onSendError ?? (() => 'stop'))(error) === 'stop') throw error;
    await sleep(options.retryDelayMs ?? 1000, undefined, { signal: options.signal }).catch(() => undefined);
    return false;
  }
  counts.total += batch.length;
  for (const record of batch) counts.byTopic.set(record.topic, (counts.byTopic.get(record.topic) ?? 0) + 1);
  return true;
}
