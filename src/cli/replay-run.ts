/**
 * Runs a replay: re-sends a time window of a connector's topics to its sinks (or some of them) through the real
 * engine, with a consumer group of its own. The window's offsets are looked up by time; the temporary group gets
 * the window's start offsets before it starts (partitions outside the selection get their log end, so nothing is
 * read there), the source lets only the window through, and once every partition is read to the window's end and
 * everything has settled the connector drains, stops and the temporary group is deleted. The live connector's
 * group is never read or written.
 * @module
 */
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { ConnectorDefinition } from '../config/index.ts';
import { Connector, createEngineMetrics } from '../engine/index.ts';
import {
  newReplayId,
  type PartitionWindow,
  type ProgressSample,
  replayDefinition,
  sinksOf,
  WindowSource,
} from '../replay/index.ts';
import {
  applyPlan,
  deleteGroupOffsets,
  type OffsetsAdapter,
  type PartitionSelection,
  planReset,
  type ResetPlan,
} from '../offsets/index.ts';
import { createKafka, kafkaOffsets } from '../sources/kafka/index.ts';
import { buildConnector, InvalidConnectorError, kafkaSourceOf, validateConnector } from '../worker/index.ts';

/** What to replay. */
export interface ReplayOptions {
  readonly from: Date;
  readonly to: Date;
  /** Sinks to re-send to; empty = all the connector's. */
  readonly sinks: readonly string[];
  readonly selection: PartitionSelection;
  /** Called about four times a second while records are replayed. */
  readonly onProgress?: (sample: ProgressSample) => void;
  /** Aborting stops the replay early (drain, stop, delete the group). */
  readonly signal?: AbortSignal;
}

/** What a replay did. */
export interface ReplaySummary {
  readonly replayId: string;
  readonly groupId: string;
  readonly windows: readonly PartitionWindow[];
  /** Records in the windows' offset ranges, those re-sent, those skipped (timestamp outside [from, to)). */
  readonly records: { readonly total: number; readonly replayed: number; readonly skipped: number };
  /** Events durably accepted per sink, and refused (dead-lettered) per sink. */
  readonly delivered: Readonly<Record<string, number>>;
  readonly rejected: Readonly<Record<string, number>>;
  readonly deadLetters: number;
  readonly outcome: 'done' | 'failed' | 'interrupted';
  /** Why the replay's connector failed. */
  readonly failure?: string;
  readonly groupDeleted: boolean;
}

const TICK_MS = 250;

/** Runs the replay. @throws InvalidConnectorError; BridgeError (LB_KAFKA_*) when Kafka cannot be read. */
export async function runReplay(
  definition: ConnectorDefinition,
  options: ReplayOptions,
  logger: Logger,
): Promise<ReplaySummary> {
  const replayId = newReplayId();
  const replay = replayDefinition(definition, { replayId, sinks: options.sinks });
  const { connector: valid, issues } = validateConnector(replay);
  if (valid === undefined) throw new InvalidConnectorError(definition.name, issues);
  const settings = kafkaSourceOf(valid, 'replay');
  const kafka = kafkaOffsets(createKafka(settings, logger));
  const group = { groupId: settings.groupId, topics: settings.topics };
  const windows = await planWindows(kafka, group, options);
  await applyPlan(kafka, startPlan(group.groupId, windows), { connector: definition.name });
  const registry = new Registry();
  const parts = buildConnector(valid, { logger, registry, metrics: createEngineMetrics(registry) });
  const source = new WindowSource(parts.source, windows, {
    fromMs: options.from.getTime(),
    toMs: options.to.getTime(),
  });
  const connector = new Connector({ ...parts, source });
  const outcome = await replayThrough(connector, source, options);
  const groupDeleted = await deleteGroupOffsets(kafka, group.groupId, group.topics)
    .then((result) => result.groupDeleted)
    .catch(() => false);
  const progress = source.progress();
  const trace = connector.status().trace;
  return {
    replayId,
    groupId: group.groupId,
    windows,
    records: { total: progress.total, replayed: progress.accepted, skipped: progress.skipped },
    ...(await counts(registry, sinksOf(replay))),
    outcome,
    ...(trace === undefined ? {} : { failure: trace }),
    groupDeleted,
  };
}

/** Starts the connector, follows it to the end of the window, and stops it (drain, commit, leave the group). */
async function replayThrough(
  connector: Connector,
  source: WindowSource,
  options: ReplayOptions,
): Promise<ReplaySummary['outcome']> {
  try {
    await connector.start();
    return await follow(connector, source, options);
  } finally {
    await connector.stop();
  }
}

/** Per partition of the topics, the offsets of the first records at or after `from` and `to`. */
async function planWindows(
  kafka: OffsetsAdapter,
  group: { groupId: string; topics: readonly string[] },
  options: ReplayOptions,
): Promise<PartitionWindow[]> {
  const starts = await planReset(kafka, group, { to: 'datetime', at: options.from });
  const ends = await planReset(kafka, group, { to: 'datetime', at: options.to });
  const selected = await planReset(kafka, group, { to: 'latest' }, options.selection);
  const chosen = new Set(selected.partitions.map((p) => `${p.topic}:${p.partition}`));
  return starts.partitions.map((start) => {
    const end = ends.partitions.find((e) => e.topic === start.topic && e.partition === start.partition);
    const to = end?.target ?? start.end;
    const inScope = chosen.has(`${start.topic}:${start.partition}`) && start.target < to;
    return {
      topic: start.topic,
      partition: start.partition,
      from: inScope ? start.target : start.end,
      to: inScope ? to : start.end,
    };
  });
}

/** The temporary group's starting offsets: each window's start (the log end outside the selection). */
function startPlan(groupId: string, windows: readonly PartitionWindow[]): ResetPlan {
  const partitions = windows.map((w) => ({
    topic: w.topic,
    partition: w.partition,
    current: undefined,
    target: w.from,
    from: w.from,
    start: w.from,
    end: w.to,
    note: undefined,
  }));
  return {
    groupId,
    spec: { to: 'explicit', offsets: partitions.map((p) => ({ ...p, offset: p.target })) },
    description: 'to the start of the replay window',
    partitions,
  };
}

/** Waits until every window is read and settled, the connector fails, or the signal aborts. */
async function follow(
  connector: Connector,
  source: WindowSource,
  options: ReplayOptions,
): Promise<ReplaySummary['outcome']> {
  for (;;) {
    const status = connector.status();
    if (status.state === 'FAILED') return 'failed';
    const progress = source.progress();
    const done = progress.accepted + progress.skipped - status.inFlight.unsettled;
    options.onProgress?.({ atMs: Date.now(), done, total: progress.total });
    if (progress.read && status.inFlight.unsettled === 0) return 'done';
    if (options.signal?.aborted === true) return 'interrupted';
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
}

async function counts(
  registry: Registry,
  sinks: readonly string[],
): Promise<Pick<ReplaySummary, 'delivered' | 'rejected' | 'deadLetters'>> {
  const delivered: Record<string, number> = Object.fromEntries(sinks.map((sink) => [sink, 0]));
  const rejected: Record<string, number> = Object.fromEntries(sinks.map((sink) => [sink, 0]));
  const sent = await registry.getSingleMetric('logbridge_events_sent_total')?.get();
  for (const { labels, value } of sent?.values ?? []) {
    const into = labels.outcome === 'delivered' ? delivered : rejected;
    const sink = String(labels.sink);
    into[sink] = (into[sink] ?? 0) + value;
  }
  const letters = await registry.getSingleMetric('logbridge_dead_letters_total')?.get();
  const deadLetters = (letters?.values ?? []).reduce((sum, { value }) => sum + value, 0);
  return { delivered, rejected, deadLetters };
}
