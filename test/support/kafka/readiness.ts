import { Kafka } from 'kafkajs';
import { setTimeout as delay } from 'node:timers/promises';
import { plaintextConfig } from './clients.ts';

/** Milliseconds between two readiness probes. */
const probeIntervalMs = 200;

/** A group that never has members: describing it makes the broker find (and, the first time, create) its coordinator. */
const probeGroupId = 'logbridge-harness-readiness';

/**
 * Waits until the broker answers `describeCluster` on its PLAINTEXT listener with at least one broker, i.e. it
 * has finished recovery and registered, and until its group coordinator answers: asking the broker, not sleeping
 * or reading its log. The coordinator matters because on a fresh broker `__consumer_offsets` only comes into being
 * with the first FindCoordinator; a consumer that got there first would crash with "group coordinator not
 * available" and rejoin (kafkajs), which makes tests slower and racier than against Event Hubs.
 *
 * @param bootstrap PLAINTEXT `host:port`
 * @param options.timeoutMs how long to keep asking
 * @param options.signal aborts the wait (e.g. when the broker process exits)
 * @throws Error with the last probe's failure as cause after `timeoutMs`, or the abort reason when aborted
 */
export async function waitForKafka(
  bootstrap: string,
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal },
): Promise<void> {
  const deadline = performance.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      if (await probe(bootstrap)) return;
      lastError = new Error('describeCluster listed no broker yet');
    } catch (error) {
      lastError = error;
    }
    if (performance.now() >= deadline) {
      throw new Error(
        `Kafka at ${bootstrap} was not ready (describeCluster, describeGroups) in ${options.timeoutMs} ms`,
        {
          cause: lastError,
        },
      );
    }
    // An abort ends the pause early; the check at the top of the loop then throws its reason.
    await delay(probeIntervalMs, undefined, options.signal ? { signal: options.signal } : {}).catch(
      () => undefined,
    );
  }
}

async function probe(bootstrap: string): Promise<boolean> {
  const admin = new Kafka(
    plaintextConfig({ bootstrap }, { connectionTimeout: 1000, requestTimeout: 2000, retry: { retries: 0 } }),
  ).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) return false;
    await admin.describeGroups([probeGroupId]);
    return true;
  } finally {
    await admin.disconnect();
  }
}
