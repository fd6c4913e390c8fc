/**
 * One measurement of the end-to-end benchmark: logbridge started on a fresh consumer group, the events counted at
 * the receivers until every record arrived (distinct coordinates), logbridge's `/proc` figures over exactly that
 * window. A run whose counts do not verify throws: it yields no figure.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createTopic, groupMembers, type KafkaCoordinates } from '../../test/support/kafka/index.ts';
import type { HelperProcess } from './child.ts';
import { startShipped, type RunningLogbridge } from './logbridge.ts';
import { cpuSecondsOf, loadAverage, peakRssBytes, processTree, windowOf, type ProcWindow } from './proc.ts';
import { connectorFor, type Profile } from './profiles.ts';
import type { ReceiverStats } from './receiver.ts';
import type { LatencySummary } from './tally.ts';
import { produceAtRate } from './workload.ts';

/** Everything a run needs, set up once. */
export interface BenchContext {
  readonly broker: KafkaCoordinates;
  readonly brokerPid: number | undefined;
  readonly mqttUrl: string;
  readonly mosquittoPid: number | undefined;
  readonly receiver: HelperProcess;
  readonly hecUrl: string;
  readonly subscriber: HelperProcess | undefined;
  readonly dir: string;
  readonly partitions: number;
  readonly ackDelayMs: number;
  readonly nodeFlags: readonly string[];
  readonly overrides: Readonly<Record<string, string>>;
  /** Environment of logbridge: worker settings (`LOGBRIDGE_WORKERS`). */
  readonly env: Readonly<Record<string, string>>;
  /** A run fails when no new event arrived for this long, ms. */
  readonly stallMs: number;
}

/** Figures of one throughput run. */
export interface ThroughputFigures {
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly window: ProcWindow;
  readonly peakRssBytes: number;
  readonly duplicates: number;
  /** CPU of the HEC receiver over the window, cores. */
  readonly receiverCores: number;
  /** CPU of Kafka, Mosquitto and the MQTT subscriber over the whole run (start-up included), cores. */
  readonly peersCores: number;
  readonly loadavg: string;
}

/** Figures of one latency run. */
export interface LatencyFigures {
  readonly rate: number;
  readonly latency: LatencySummary;
  readonly loadavg: string;
}

const poll = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts logbridge with a profile on `topic`, telling the receivers to expect `expected` events of it. */
async function start(
  ctx: BenchContext,
  profile: Profile,
  topic: string,
  expected: number,
): Promise<RunningLogbridge & { readonly groupId: string }> {
  const name = `bench-${profile}-${randomBytes(3).toString('hex')}`;
  const connector = connectorFor(profile, name, {
    topic,
    groupId: `logbridge-${name}`,
    bootstrap: ctx.broker.bootstrap,
    hecUrl: ctx.hecUrl,
    mqttUrl: ctx.mqttUrl,
    overrides: ctx.overrides,
  });
  const fanout = profile === 'fanout';
  const running = await startShipped({
    connector,
    dir: ctx.dir,
    nodeFlags: ctx.nodeFlags,
    env: ctx.env,
    onSpawn: async (pid) => {
      await ctx.receiver.call('expect', { topic, expected, pid, ackDelayMs: ctx.ackDelayMs });
      if (fanout) await ctx.subscriber?.call('expect', { topic, expected });
    },
  });
  return { ...running, groupId: `logbridge-${name}` };
}

/**
 * Waits until the connector's group is Stable with one member per logbridge process (`workers`): a process that
 * joined after another made the group rebalance, and latency at steady state must not include that.
 */
async function groupSettled(ctx: BenchContext, logbridge: { pid: number; groupId: string }): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const group = await groupMembers(ctx.broker, logbridge.groupId);
    const processes = processTree(logbridge.pid).length;
    if (group.state === 'Stable' && group.members.length === processes) return;
    if (Date.now() > deadline) {
      throw new Error(
        `group ${logbridge.groupId}: ${group.state} with ${String(group.members.length)} members`,
      );
    }
    await poll(200);
  }
}

/** Polls a receiver until it counted `expected` distinct events; throws when it stalls. */
async function waitForAll<T extends { distinct: number }>(
  helper: HelperProcess,
  what: string,
  expected: number,
  stallMs: number,
): Promise<T> {
  let last = -1;
  let lastChangeAt = Date.now();
  for (;;) {
    const stats = await helper.call<T>('stats');
    if (stats.distinct >= expected) return stats;
    if (stats.distinct !== last) {
      last = stats.distinct;
      lastChangeAt = Date.now();
    } else if (Date.now() - lastChangeAt > stallMs) {
      throw new Error(`${what} stalled at ${stats.distinct} of ${expected} distinct events`);
    }
    await poll(200);
  }
}

/** The backlog run: every record of `topic` (already produced) through logbridge at full speed. */
export async function throughputRun(
  ctx: BenchContext,
  profile: Profile,
  topic: string,
  expected: number,
): Promise<ThroughputFigures> {
  const peers = [ctx.brokerPid, ctx.mosquittoPid, ctx.subscriber?.pid].filter((p) => p !== undefined);
  const peersCpu0 = peers.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
  const t0 = performance.now();
  const logbridge = await start(ctx, profile, topic, expected);
  try {
    const hec = await waitForAll<ReceiverStats>(ctx.receiver, 'HEC', expected, ctx.stallMs);
    if (profile === 'fanout' && ctx.subscriber !== undefined) {
      await waitForAll(ctx.subscriber, 'MQTT', expected, ctx.stallMs);
    }
    const seconds = (performance.now() - t0) / 1000;
    const peak = peakRssBytes(logbridge.pid);
    if (
      hec.first === undefined ||
      hec.done === undefined ||
      hec.seconds === undefined ||
      peak === undefined
    ) {
      throw new Error('logbridge exited during the run');
    }
    const peersCpu = peers.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0) - peersCpu0;
    return {
      events: hec.distinct,
      eventsPerSecond: hec.distinct / hec.seconds,
      window: windowOf(hec.first, hec.done),
      peakRssBytes: peak,
      duplicates: hec.duplicates,
      receiverCores: (hec.receiverCpuSeconds ?? NaN) / hec.seconds,
      peersCores: peersCpu / seconds,
      loadavg: loadAverage(),
    };
  } finally {
    await logbridge.stop();
  }
}

/** Records produced (and awaited) before a latency run is measured: the group has joined and fetches. */
const WARM_UP = { rate: 500, seconds: 2 };

/** The latency run: records produced at `rate` on a fresh topic, record time → HEC arrival. */
export async function latencyRun(
  ctx: BenchContext,
  profile: Profile,
  options: { readonly rate: number; readonly seconds: number; readonly pool: readonly Buffer[] },
): Promise<LatencyFigures> {
  const topic = await createTopic(ctx.broker, { partitions: ctx.partitions });
  const warmUp = Math.round(WARM_UP.rate * WARM_UP.seconds);
  const measured = Math.round(options.rate * options.seconds);
  const logbridge = await start(ctx, profile, topic, warmUp + measured);
  try {
    await produceAtRate(ctx.broker, topic, { ...WARM_UP, pool: options.pool });
    await waitForAll(ctx.receiver, 'HEC (warm-up)', warmUp, ctx.stallMs);
    await groupSettled(ctx, logbridge);
    await ctx.receiver.call('resetLatency');
    const produced = await produceAtRate(ctx.broker, topic, options);
    const hec = await waitForAll<ReceiverStats>(ctx.receiver, 'HEC', warmUp + measured, ctx.stallMs);
    if (profile === 'fanout' && ctx.subscriber !== undefined) {
      await waitForAll(ctx.subscriber, 'MQTT', warmUp + measured, ctx.stallMs);
    }
    return { rate: produced.rate, latency: hec.latency, loadavg: loadAverage() };
  } finally {
    await logbridge.stop();
  }
}
