/**
 * While the lab runs: says when the first events reach HEC, then prints a status line every few seconds.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { recordCount } from '../../test/support/kafka/index.ts';
import type { ExitStatus } from '../../test/support/process.ts';
import type { LabConnector } from './connector.ts';
import type { LabFiles } from './lab-files.ts';
import { committedLag, countOf, HecTopicCounter, progressLine } from './progress.ts';
import type { LabSettings } from './settings.ts';
import type { RunningLab } from './start.ts';

/** What {@link watchProgress} reads. */
export interface WatchInput {
  readonly lab: RunningLab;
  readonly connector: LabConnector;
  readonly files: LabFiles;
  readonly settings: LabSettings;
  readonly log: (line: string) => void;
  /** Seconds since `make lab` started. */
  readonly since: () => number;
  /** Returns when aborted. */
  readonly signal: AbortSignal;
}

/** Runs until `signal` aborts. */
export async function watchProgress(input: WatchInput): Promise<void> {
  const { lab, signal } = input;
  const stopped = (): boolean => signal.aborted;
  const hec = new HecTopicCounter(input.files.hecEvents);
  const deadLetterCount = singleFlight(async () =>
    input.connector.deadLetterTopic === '' ? 0 : recordCount(lab.kafka, input.connector.deadLetterTopic),
  );
  let seenFirst = false;
  let lastLineS = input.since();
  while (!stopped()) {
    await sleep(1000, undefined, { signal }).catch(() => undefined);
    if (stopped()) break;
    const received = (await hec.count()).total;
    if (!seenFirst && received > 0) {
      seenFirst = true;
      input.log(
        `first events reached HEC ${input.since().toFixed(1)} s after the start: tail -f ${input.files.hecEvents}`,
      );
    }
    if (input.since() - lastLineS < input.settings.statusIntervalS) continue;
    lastLineS = input.since();
    const exit = lab.logbridge.process.exitStatus;
    // Asked even when the lab's logbridge exited: a person may have started one by hand on the same port.
    const amqp = lab.amqp;
    const [lag, deadLetters, amqpLag] = await Promise.all([
      committedLag(lab.logbridge.restUrl, input.connector.name),
      deadLetterCount(),
      amqp === undefined ? undefined : committedLag(lab.logbridge.restUrl, amqp.connector.name),
    ]);
    if (stopped()) break;
    const counts = await hec.count();
    process.stdout.write(
      `${progressLine({
        elapsedS: input.since(),
        produced: lab.generator.counts.total,
        producedByTopic: lab.generator.counts.byTopic,
        hecReceived: countOf(counts, input.connector.topics),
        lag,
        deadLetters,
        mqttReceived: lab.subscriber.received,
        ...(exit === undefined ? {} : { logbridgeDown: downNote(exit, lag !== undefined) }),
        ...(amqp === undefined
          ? {}
          : {
              amqp: {
                connector: amqp.connector.name,
                eventHub: amqp.eventHub.name,
                produced: lab.generator.amqpCounts?.total ?? 0,
                hecReceived: countOf(counts, amqp.connector.topics),
                lag: amqpLag,
              },
            }),
      })}\n`,
    );
  }
}

function downNote(exit: ExitStatus, restAnswers: boolean): string {
  const how = exit.signal ?? `exit code ${String(exit.code)}`;
  return restAnswers ? `started by hand (the lab's exited: ${how})` : `not running (${how})`;
}

/** How long a status line waits for a number before showing `?` (Kafka may be stopped on purpose). */
const queryTimeoutMs = 3000;

/**
 * Wraps a query so that a call returns its result, or undefined after {@link queryTimeoutMs} or on failure, and
 * never starts a second query while the first is still pending (it would only pile up against a stopped broker).
 */
function singleFlight<T>(query: () => Promise<T>): () => Promise<T | undefined> {
  let pending: Promise<T | undefined> | undefined;
  return async () => {
    pending ??= query()
      .catch(() => undefined)
      .finally(() => {
        pending = undefined;
      });
    return Promise.race([pending, sleep(queryTimeoutMs).then(() => undefined)]);
  };
}
