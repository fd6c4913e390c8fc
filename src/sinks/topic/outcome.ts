/**
 * Per-message results folded into the engine's batch outcome, the same way for the `solace` and `mqtt` sinks: the
 * worst wins (fatal, then retry, then partial with the refused messages), and a retry names what did become durable
 * so that the engine resends only the rest (engine/sink.ts).
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
 * - else any `retry` cause → `retry` (the first cause), with the acknowledged messages as `delivered` and the
 *   refused ones as `rejected`: the engine settles those and sends only the failed ones again;
 * - else `reject` causes → `partial` with those indexes (dead-lettered); none → `delivered`.
 */
export function batchOutcome(outcomes: readonly MessageOutcome[]): SendOutcome {
  let retry: BridgeError | undefined;
  let rejected: Rejection[] | undefined;
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.ok) continue;
    const { cause } = outcome;
    if (cause.disposition === 'fatal') return { kind: 'fatal', cause };
    if (cause.disposition === 'retry') retry ??= cause;
    else (rejected ??= []).push({ index, cause });
  }
  if (retry !== undefined) {
    const delivered = outcomes.flatMap((outcome, index) => (outcome.ok ? [index] : []));
    return { kind: 'retry', cause: retry, delivered, rejected: rejected ?? [] };
  }
  return rejected === undefined ? { kind: 'delivered' } : { kind: 'partial', rejected };
}
