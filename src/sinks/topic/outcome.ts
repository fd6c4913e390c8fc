/**
 * Per-message results folded into the engine's batch outcome, the same way for the `solace` and `mqtt` sinks: the
 * worst wins (fatal, then retry of the whole batch, then partial with the refused messages).
 * @module
 */
import type { BridgeError, Rejection, SendOutcome } from '../../engine/index.ts';

/** What became of one message: durable at the broker, or failed with a classified cause. */
export type MessageOutcome = { readonly ok: true } | { readonly ok: false; readonly cause: BridgeError };

/** The outcome of a durable message. */
export const DURABLE: MessageOutcome = Object.freeze({ ok: true });

/**
 * Folds a batch's message outcomes (index-aligned with the batch):
 * - any `fatal` cause → `fatal` (the first one);
 * - else any `retry` cause → `retry` of the whole batch (messages already acknowledged are sent again: duplicates
 *   that their `k_*` properties identify);
 * - else `reject` causes → `partial` with those indexes (dead-lettered); none → `delivered`.
 */
export function batchOutcome(outcomes: readonly MessageOutcome[]): SendOutcome {
  let retry: BridgeError | undefined;
  const rejected: Rejection[] = [];
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.ok) continue;
    const { cause } = outcome;
    if (cause.disposition === 'fatal') return { kind: 'fatal', cause };
    if (cause.disposition === 'retry') retry ??= cause;
    else rejected.push({ index, cause });
  }
  if (retry !== undefined) return { kind: 'retry', cause: retry };
  return rejected.length === 0 ? { kind: 'delivered' } : { kind: 'partial', rejected };
}
