/**
 * `workers` > 1, the primary's side: member processes that run the Kafka-source connectors as further members of
 * their consumer groups (Kafka balances the partitions; nothing is coordinated here), behind this process's REST
 * API. Every change of the primary's store reaches each member; each member reports its connectors' statuses about
 * once a second and its metrics when asked. A member that exits unasked is started again after a backoff; a member
 * whose primary is gone stops (drain, commit, leave the groups) and exits.
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';
import {
  AggregatorRegistry,
  type Counter,
  type MetricObjectWithValues,
  type MetricValue,
  type Registry,
} from 'prom-client';
import type { ConnectorStatus } from '../engine/index.ts';
import type { FromMember, ToMember } from './member-protocol.ts';
import type { ConfigStore, StoreChange, StoredConnector } from './store.ts';

/** Starts member `index` (1, 2, …) as a child process with an IPC channel. */
export type SpawnMember = (index: number) => ChildProcess;

/** One member's view of a connector, for status output (its task). */
export interface MemberTask {
  /** The member's index: its task id. */
  readonly id: number;
  /** Its last status of the connector; undefined until it reported one (UNASSIGNED). */
  readonly status: ConnectorStatus | undefined;
}

/** How long a member has to answer a metrics request before a scrape goes on without it, ms. */
const METRICS_TIMEOUT_MS = 2000;
/** How long a member has to drain and exit after `stop` before it is killed, ms (the engine drains for 30 s). */
const STOP_TIMEOUT_MS = 45_000;
/** How long the primary waits for its members to start before it starts its connectors anyway, ms. */
const READY_TIMEOUT_MS = 30_000;
const RESTART_BACKOFF_MS = { first: 1000, max: 30_000, resetAfter: 60_000 } as const;

type Metrics = readonly MetricObjectWithValues<MetricValue<string>>[];

class Member {
  readonly index: number;
  child: ChildProcess | undefined;
  ready = false;
  startedAt = 0;
  backoffMs: number = RESTART_BACKOFF_MS.first;
  statuses = new Map<string, ConnectorStatus>();
  restartTimer: NodeJS.Timeout | undefined;
  /** Called when the member is ready. */
  onReady: () => void = () => undefined;

  constructor(index: number) {
    this.index = index;
  }

  send(message: ToMember): void {
    if (this.child?.connected === true) this.child.send(message);
  }
}

/** The member processes of this worker. */
export class MemberProcesses {
  readonly #members: Member[];
  readonly #spawn: SpawnMember;
  readonly #logger: Logger;
  readonly #restarts: Counter | undefined;
  readonly #pendingMetrics = new Map<number, (metrics: Metrics) => void>();
  #snapshot: () => readonly StoredConnector[] = () => [];
  #nextId = 0;
  #stopping = false;

  /** @param count members besides the primary (workers − 1). */
  constructor(count: number, spawn: SpawnMember, logger: Logger, restarts?: Counter) {
    this.#members = Array.from({ length: count }, (_, i) => new Member(i + 1));
    this.#spawn = spawn;
    this.#logger = logger.child({ component: 'members' });
    this.#restarts = restarts;
  }

  get count(): number {
    return this.#members.length;
  }

  /**
   * Starts every member; `snapshot` gives the connectors a member gets when it is ready. Resolves once each member
   * was ready (or after {@link READY_TIMEOUT_MS}), so that the primary's connectors join their groups together with
   * the members' instead of taking every partition for the half second a member needs to start: each later
   * join is a rebalance, and the revoked partitions' records in flight are read again.
   */
  async start(snapshot: () => readonly StoredConnector[]): Promise<void> {
    this.#snapshot = snapshot;
    const ready = this.#members.map((member) => new Promise<void>((resolve) => (member.onReady = resolve)));
    for (const member of this.#members) this.#launch(member);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => {
        resolve('late');
      }, READY_TIMEOUT_MS);
    });
    if ((await Promise.race([Promise.all(ready), late])) === 'late') {
      const waiting = this.#members.filter((m) => !m.ready).map((m) => m.index);
      this.#logger.warn(
        { waiting },
        'member processes not ready in time: starting the connectors without them',
      );
    }
    clearTimeout(timer);
  }

  /** Sends a change of the primary's store to every ready member. */
  broadcast(change: StoreChange): void {
    for (const member of this.#members) if (member.ready) member.send({ type: 'change', change });
  }

  /** Each member's view of a connector; members that do not run it (an Event Hubs AMQP source) are left out. */
  tasks(name: string, runsInMembers: boolean): MemberTask[] {
    if (!runsInMembers) return [];
    return this.#members.map((m) => ({ id: m.index, status: m.statuses.get(name) }));
  }

  /** The metrics of every member that answers within {@link METRICS_TIMEOUT_MS}. */
  async metrics(): Promise<Metrics[]> {
    const answers = this.#members
      .filter((m) => m.ready)
      .map(
        (member) =>
          new Promise<Metrics | undefined>((resolve) => {
            const id = (this.#nextId += 1);
            const timer = setTimeout(() => {
              this.#pendingMetrics.delete(id);
              resolve(undefined);
            }, METRICS_TIMEOUT_MS);
            this.#pendingMetrics.set(id, (metrics) => {
              clearTimeout(timer);
              this.#pendingMetrics.delete(id);
              resolve(metrics);
            });
            member.send({ type: 'metrics', id });
          }),
      );
    return (await Promise.all(answers)).filter((m) => m !== undefined);
  }

  /** Asks every member to stop and waits for each to exit (killed after {@link STOP_TIMEOUT_MS}). */
  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all(
      this.#members.map(async (member) => {
        clearTimeout(member.restartTimer);
        const child = member.child;
        if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) =>
          child.once('exit', () => {
            resolve();
          }),
        );
        // One not ready yet may not listen to its channel: SIGTERM stops it as well (or ends it before it read).
        if (child.connected && member.ready) child.send({ type: 'stop' });
        else child.kill('SIGTERM');
        const timer = setTimeout(() => {
          this.#logger.warn({ member: member.index }, 'member did not stop in time: killing it');
          child.kill('SIGKILL');
        }, STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  #launch(member: Member): void {
    const child = this.#spawn(member.index);
    member.child = child;
    member.ready = false;
    member.statuses = new Map();
    member.startedAt = Date.now();
    this.#logger.info({ member: member.index, pid: child.pid }, 'member process started');
    child.on('message', (message: FromMember) => {
      this.#receive(member, message);
    });
    child.on('error', (error) => {
      this.#logger.error({ member: member.index, err: error }, 'member process error');
    });
    child.once('exit', (code, signal) => {
      member.ready = false;
      member.statuses = new Map();
      if (this.#stopping) return;
      if (Date.now() - member.startedAt > RESTART_BACKOFF_MS.resetAfter)
        member.backoffMs = RESTART_BACKOFF_MS.first;
      this.#logger.error(
        { member: member.index, code, signal, restartInMs: member.backoffMs },
        'member process exited unasked: starting it again (its partitions go to the other members meanwhile)',
      );
      this.#restarts?.inc();
      member.restartTimer = setTimeout(() => {
        if (!this.#stopping) this.#launch(member);
      }, member.backoffMs);
      member.backoffMs = Math.min(member.backoffMs * 2, RESTART_BACKOFF_MS.max);
    });
  }

  #receive(member: Member, message: FromMember): void {
    switch (message.type) {
      case 'ready':
        member.ready = true;
        member.send({ type: 'connectors', connectors: this.#snapshot() });
        member.onReady();
        return;
      case 'status':
        member.statuses = new Map(message.statuses.map((s) => [s.name, s]));
        return;
      case 'metrics':
        this.#pendingMetrics.get(message.id)?.(message.metrics);
    }
  }
}

/**
 * The primary's store as its members see it: every change the store reports is applied here first and then sent
 * to the members, and the connectors as they now stand are what a member gets when it starts.
 */
export class MirroredStore implements ConfigStore {
  readonly #inner: ConfigStore;
  readonly #members: MemberProcesses;
  readonly #connectors = new Map<string, StoredConnector>();
  /** Target states read before their definition (the config topic gives them in any order). */
  readonly #targets = new Map<string, StoredConnector['target']>();

  constructor(inner: ConfigStore, members: MemberProcesses) {
    this.#inner = inner;
    this.#members = members;
  }

  get mode(): ConfigStore['mode'] {
    return this.#inner.mode;
  }

  async start(listener: (change: StoreChange) => void): Promise<readonly StoredConnector[]> {
    const stored = await this.#inner.start((change) => {
      this.#record(change);
      this.#members.broadcast(change);
      listener(change);
    });
    for (const s of stored) this.#connectors.set(s.name, s);
    await this.#members.start(() => [...this.#connectors.values()]);
    return stored;
  }

  #record(change: StoreChange): void {
    const known = this.#connectors.get(change.name);
    switch (change.kind) {
      case 'config': {
        const target = known?.target ?? this.#targets.get(change.name) ?? 'RUNNING';
        this.#targets.delete(change.name);
        this.#connectors.set(change.name, { name: change.name, config: change.config, target });
        return;
      }
      case 'target':
        if (known === undefined) this.#targets.set(change.name, change.target);
        else this.#connectors.set(change.name, { ...known, target: change.target });
        return;
      case 'deleted':
        this.#connectors.delete(change.name);
        this.#targets.delete(change.name);
        return;
      case 'restart':
    }
  }

  putConfig(name: string, config: Readonly<Record<string, unknown>>): Promise<void> {
    return this.#inner.putConfig(name, config);
  }

  putTarget(name: string, target: StoredConnector['target']): Promise<void> {
    return this.#inner.putTarget(name, target);
  }

  requestRestart(name: string, onlyFailed: boolean): Promise<void> {
    return this.#inner.requestRestart(name, onlyFailed);
  }

  remove(name: string): Promise<void> {
    return this.#inner.remove(name);
  }

  stop(): Promise<void> {
    return this.#inner.stop();
  }
}

/**
 * A connector's status with its members' merged in: each member is a task; partitions are those any process owns,
 * in-flight figures are summed, a sink or the source is healthy only where it is healthy in every process that
 * runs it, and the connector is degraded when any running process is.
 */
export function withMembers(local: ConnectorStatus, tasks: readonly MemberTask[]): ConnectorStatus {
  if (tasks.length === 0) return local;
  const reported = tasks.flatMap((t) => (t.status === undefined ? [] : [t.status]));
  const all = [local, ...reported];
  const members = tasks.map((t) => ({
    id: t.id,
    state: t.status?.state ?? 'UNASSIGNED',
    ...(t.status?.trace === undefined ? {} : { trace: t.status.trace }),
  }));
  const source = mergedSource(all);
  return {
    ...local,
    degraded: all.some((s) => s.degraded),
    ...(source === undefined ? {} : { source }),
    inFlight: {
      records: sum(all, (s) => s.inFlight.records),
      unsettled: sum(all, (s) => s.inFlight.unsettled),
      bytes: sum(all, (s) => s.inFlight.bytes),
      full: all.some((s) => s.inFlight.full),
    },
    partitions: all.flatMap((s) => s.partitions),
    sinks: mergedSinks(all),
    members,
  };
}

function sum(statuses: readonly ConnectorStatus[], of: (s: ConnectorStatus) => number): number {
  return statuses.reduce((total, s) => total + of(s), 0);
}

function mergedSource(all: readonly ConnectorStatus[]): ConnectorStatus['source'] {
  const sources = all.flatMap((s) => (s.source === undefined ? [] : [s.source]));
  return sources.find((s) => !s.healthy) ?? sources[0];
}

function mergedSinks(all: readonly ConnectorStatus[]): ConnectorStatus['sinks'] {
  const byId = new Map<string, ConnectorStatus['sinks'][number]>();
  for (const sink of all.flatMap((s) => s.sinks)) {
    const seen = byId.get(sink.id);
    if (seen === undefined) byId.set(sink.id, sink);
    else {
      const worse = seen.healthy ? sink : seen;
      byId.set(sink.id, {
        ...worse,
        healthy: seen.healthy && sink.healthy,
        retrying: seen.retrying + sink.retrying,
      });
    }
  }
  return [...byId.values()];
}

/** This process's metrics and its members', merged by each metric's `aggregator` (counters add up). */
export async function mergedMetrics(local: Registry, members: MemberProcesses): Promise<Registry> {
  const [own, others] = await Promise.all([local.getMetricsAsJSON(), members.metrics()]);
  return AggregatorRegistry.aggregate([own, ...others] as MetricObjectWithValues<MetricValue<string>>[][]);
}
