/**
 * `logbridge replay <connector.json> --from T --to T [--sink S] [--topic t] [--partition p]`: re-sends the records
 * whose timestamps fall in [from, to) to the connector's sinks, with a temporary consumer group of its own (the live
 * connector's offsets are never touched), a progress bar on stderr and a summary on stdout. Replayed events carry
 * `logbridge_replay=<id>` (HEC indexed field, Solace/MQTT user property).
 * @module
 */
import { Command } from 'commander';
import { pino } from 'pino';
import { type ConnectorDefinition, LOG_REDACT_PATHS, readDefinitionFile } from '../config/index.ts';
import { asBridgeError } from '../engine/index.ts';
import { progressLine, RateMeter, REPLAY_MARKER, type ProgressSample } from '../replay/index.ts';
import { OffsetsRequestError, type PartitionSelection } from '../offsets/index.ts';
import { InvalidConnectorError } from '../worker/index.ts';
import { parseDatetime, selectionOf, UsageError } from './offsets-options.ts';
import { runReplay, type ReplaySummary } from './replay-run.ts';
import { EXIT } from './run.ts';

/** Options of `replay` as commander gives them. */
export interface ReplayCommandOptions {
  readonly from: string;
  readonly to: string;
  readonly sink?: string[];
  readonly topic?: string[];
  readonly partition?: string[];
  readonly json?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The `replay` command, ready for `program.addCommand()`. */
export function replayCommand(): Command {
  return new Command('replay')
    .description(
      "Re-send the records whose timestamps fall in [--from, --to) to the connector's sinks, with a temporary " +
        "consumer group of its own: the live connector's offsets are never touched. Replayed events carry " +
        `${REPLAY_MARKER}=<id> (HEC indexed field, Solace/MQTT user property).`,
    )
    .argument('<connector>', 'connector definition file ({"name": ..., "config": {...}})')
    .requiredOption('--from <ISO>', 'window start (inclusive), ISO 8601 with zone')
    .requiredOption('--to <ISO>', 'window end (exclusive), ISO 8601 with zone')
    .option('--sink <sink>', "only this sink of the connector's (repeatable)", collect)
    .option('--topic <topic>', "only this topic of the connector's (repeatable)", collect)
    .option('--partition <p...>', 'only these partitions (repeatable or comma-separated)')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
The window is the offsets from the first record at or after --from to the first at or after --to, per partition,
looked up by time when the replay starts; records in it whose timestamp is outside [--from, --to) are skipped.
Progress goes to stderr, the summary to stdout. Ctrl-C stops early (what was read is drained first).

Examples:
  logbridge replay connectors/aks-logs.json --from 2026-11-24T08:00:00Z --to 2026-11-24T09:00:00Z
  logbridge replay connectors/aks-logs.json --from 2026-11-24T08:00:00Z --to 2026-11-24T08:10:00Z \\
    --sink splunk-hec --partition 0,3

Exit codes: 0 done, 1 invalid connector, topic or partition, 2 usage, 3 Kafka or a sink failed, 130 interrupted`,
    )
    .action(async (file: string, options: ReplayCommandOptions) => {
      process.exitCode = await replay(file, options);
    });
}

/** Runs the command; resolves with the exit code. */
export async function replay(file: string, options: ReplayCommandOptions): Promise<number> {
  let window: { from: Date; to: Date; selection: PartitionSelection };
  try {
    window = windowOf(options);
  } catch (error) {
    console.error(`logbridge replay: ${(error as Error).message}`);
    return EXIT.usage;
  }
  const { definition, issues } = readDefinitionFile(file);
  if (definition === undefined) {
    for (const issue of issues) console.error(`${issue.path}: ${issue.message}`);
    return EXIT.invalid;
  }
  return replayWith(definition, window, options, file);
}

async function replayWith(
  definition: ConnectorDefinition,
  window: { from: Date; to: Date; selection: PartitionSelection },
  options: ReplayCommandOptions,
  file: string,
): Promise<number> {
  const logger = pino(
    {
      level: process.env.LOGBRIDGE_LOG_LEVEL ?? 'warn',
      redact: { paths: LOG_REDACT_PATHS, censor: '[hidden]' },
    },
    pino.destination(2),
  );
  const stop = new AbortController();
  const interrupt = (): void => {
    if (stop.signal.aborted) process.exit(EXIT.interrupted);
    stop.abort();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  const bar = progressPrinter();
  try {
    const summary = await runReplay(
      definition,
      { ...window, sinks: options.sink ?? [], onProgress: bar.update, signal: stop.signal },
      logger,
    );
    bar.end();
    console.log(options.json === true ? JSON.stringify(summary, jsonSafe, 2) : summaryText(summary));
    return summary.outcome === 'done'
      ? EXIT.ok
      : summary.outcome === 'failed'
        ? EXIT.failed
        : EXIT.interrupted;
  } catch (error) {
    bar.end();
    return failure(file, error);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

function windowOf(options: ReplayCommandOptions): { from: Date; to: Date; selection: PartitionSelection } {
  const from = parseDatetime(options.from);
  const to = parseDatetime(options.to);
  if (to <= from) throw new UsageError(`--to ${options.to} must be after --from ${options.from}`);
  return { from, to, selection: selectionOf(options) };
}

function failure(file: string, error: unknown): number {
  if (error instanceof InvalidConnectorError) {
    console.error(`${file}: ${error.message}`);
    return EXIT.invalid;
  }
  const cause = asBridgeError(error);
  console.error(`logbridge replay: ${cause.code}: ${cause.message}`);
  return error instanceof OffsetsRequestError || error instanceof UsageError ? EXIT.invalid : EXIT.failed;
}

/** A progress bar on stderr: redrawn in place on a terminal, a line every 5 s otherwise. */
function progressPrinter(): { update: (sample: ProgressSample) => void; end: () => void } {
  const meter = new RateMeter();
  const tty = process.stderr.isTTY;
  let lastPrinted = 0;
  let line = '';
  return {
    update: (sample) => {
      line = progressLine(sample, meter.add(sample));
      if (tty) process.stderr.write(`\r${line}`);
      else if (sample.atMs - lastPrinted >= 5000) {
        lastPrinted = sample.atMs;
        process.stderr.write(`${line}\n`);
      }
    },
    end: () => {
      if (line !== '') process.stderr.write(tty ? `\r${line}\n` : `${line}\n`);
      line = '';
    },
  };
}

/** The summary for people. */
export function summaryText(summary: ReplaySummary): string {
  const windows = summary.windows.filter((w) => w.to > w.from);
  const sinks = Object.entries(summary.delivered).map(
    ([sink, count]) =>
      `  ${sink}: ${count} events re-sent${(summary.rejected[sink] ?? 0) > 0 ? `, ${summary.rejected[sink]} refused` : ''}`,
  );
  return [
    `replay ${summary.replayId} ${summary.outcome}${summary.failure === undefined ? '' : `: ${summary.failure}`}`,
    `  window: ${windows.map((w) => `${w.topic}[${w.partition}] ${w.from}..${w.to}`).join(', ') || 'no record in the window'}`,
    `  records: ${summary.records.replayed} replayed, ${summary.records.skipped} skipped (timestamp outside the window), of ${summary.records.total}`,
    ...sinks,
    `  dead letters: ${summary.deadLetters}`,
    `  marked ${REPLAY_MARKER}=${summary.replayId}; temporary group ${summary.groupId} ${summary.groupDeleted ? 'deleted' : 'left behind (the broker refused to delete it; it holds no live member)'}`,
  ].join('\n');
}

function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
