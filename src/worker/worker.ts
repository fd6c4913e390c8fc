/**
 * The worker: the process that runs connectors (Kafka Connect's term). Operators change connectors through its
 * store (memory in standalone mode, a Kafka topic in distributed mode); every worker applies the changes it reads
 * back, so an operation sent to any replica applies to all of them.
 * @module
 */
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import {
  type CallerPolicy,
  type ConfigIssue,
  type ConnectorDefinition,
  connectorNameProblem,
  type WorkerConfig,
} from '../config/index.ts';
import {
  Connector,
  createEngineMetrics,
  type EngineMetrics,
  sleep,
  type StopReport,
} from '../engine/index.ts';
import { buildConnector, validateConnector } from './build.ts';
import { callerIssues, callerPolicyFor, callerReferences } from './caller.ts';
import { ConnectorExistsError, ConnectorNotFoundError, InvalidConnectorError } from './errors.ts';
import { alterOffsets, type OffsetRow, readOffsets, readPartitionLags, resetOffsets } from './offsets.ts';
import { type OptionEntry, optionsOf, redactDefinition } from './options.ts';
import { previewConnector, samplesOfRequest } from './preview.ts';
import { deadLetterView, observersFor, partitionRows, resetPlanView } from './console.ts';
import { observed, type Observers } from './observe.ts';
import type { PreviewReport } from '../preview/index.ts';
import type { ResetSpec } from '../offsets/index.ts';
import type { MemberProcesses } from './members.ts';
import { runsInMembers } from './member-protocol.ts';
import { ConnectorSlot } from './slot.ts';
import { exportStates } from './state-metrics.ts';
import { type ConfigStore, MemoryConfigStore, type StoreChange, type TargetState } from './store.ts';

export { InvalidConnectorError } from './errors.ts';

/** How long an offsets change waits for the member processes to stop the connector, ms. */
const MEMBERS_STOP_WAIT_MS = 15_000;

/** Options of a worker. */
export interface WorkerOptions {
  readonly registry?: Registry;
  /** Where definitions live; default: memory (standalone). */
  readonly store?: ConfigStore;
  /**
   * The operator's connector definitions (files, ConfigMap). Without `rest.connectors.allowed.hosts`, API callers
   * may send only to the hosts these send to.
   */
  readonly operatorDefinitions?: readonly ConnectorDefinition[];
  /** Member processes (`workers` > 1) whose tasks status output shows; the store must be their MirroredStore. */
  readonly members?: MemberProcesses;
}

/** Who a definition comes from: the operator (files, programs) is trusted; an API caller is checked. */
export type DefinitionOrigin = 'operator' | 'api';

/** Runs connectors in this process. */
export class Worker {
  readonly config: WorkerConfig;
  readonly registry: Registry;
  readonly #logger: Logger;
  readonly #metrics: EngineMetrics;
  readonly #store: ConfigStore;
  readonly #callers: CallerPolicy;
  readonly #slots = new Map<string, ConnectorSlot>();
  /** Deleted connectors still stopping. */
  readonly #removing = new Set<Promise<readonly [string, StopReport | undefined]>>();
  /** Target states read before their connector's definition (distributed mode reads them in any order). */
  readonly #pendingTargets = new Map<string, TargetState>();
  /** What the console shows of each connector beyond its status (kept across restarts). */
  readonly #observers = new Map<string, Observers>();
  readonly #members: MemberProcesses | undefined;
  #opened: Promise<void> | undefined;

  constructor(config: WorkerConfig, logger: Logger, options: WorkerOptions = {}) {
    this.config = config;
    this.registry = options.registry ?? new Registry();
    this.#logger = logger;
    this.#metrics = createEngineMetrics(this.registry);
    exportStates(this.#metrics, () => this.#slots.values());
    this.#store = options.store ?? new MemoryConfigStore();
    this.#callers = callerPolicyFor(config, options.operatorDefinitions ?? []);
    this.#members = options.members;
  }

  /** standalone or distributed. */
  get mode(): ConfigStore['mode'] {
    return this.#store.mode;
  }

  /** Loads the store and starts what it holds. Called once; later operations wait for it. */
  open(): Promise<void> {
    this.#opened ??= this.#store
      .start((change) => {
        this.#apply(change);
      })
      .then((stored) => {
        for (const s of stored) this.#apply({ kind: 'config', name: s.name, config: s.config }, s.target);
      });
    return this.#opened;
  }

  /** Connector names, sorted. */
  names(): string[] {
    return [...this.#slots.keys()].sort();
  }

  /** A connector's slot. @throws ConnectorNotFoundError */
  slot(name: string): ConnectorSlot {
    const slot = this.#slots.get(name);
    if (slot === undefined) throw new ConnectorNotFoundError(name);
    return slot;
  }

  /** The running connector instances, by name (for health and metrics). */
  get connectors(): ReadonlyMap<string, Connector> {
    const running = new Map<string, Connector>();
    for (const [name, slot] of this.#slots) if (slot.instance !== undefined) running.set(name, slot.instance);
    return running;
  }

  /**
   * Creates a connector; a definition from an API caller (the default) goes through the caller policy.
   * @throws InvalidConnectorError with every issue; ConnectorExistsError.
   */
  async create(
    definition: ConnectorDefinition,
    initial: TargetState = 'RUNNING',
    origin: DefinitionOrigin = 'api',
  ): Promise<void> {
    await this.open();
    if (this.#slots.has(definition.name)) throw new ConnectorExistsError(definition.name);
    this.#check(definition, origin);
    await this.#store.putTarget(definition.name, initial);
    await this.#store.putConfig(definition.name, definition.config);
  }

  /** Creates or replaces a connector's definition (an API caller's). @returns true when it was created. */
  async putConfig(name: string, config: Readonly<Record<string, unknown>>): Promise<boolean> {
    await this.open();
    this.#check({ name, config }, 'api');
    const created = !this.#slots.has(name);
    await this.#store.putConfig(name, config);
    return created;
  }

  /** Validates an operator's definition completely. @throws InvalidConnectorError */
  check(definition: ConnectorDefinition): void {
    this.#check(definition, 'operator');
  }

  /** Every problem of a definition's properties, as an API caller's (REST `config/validate`). */
  validate(config: Readonly<Record<string, unknown>>): readonly ConfigIssue[] {
    const name = typeof config.name === 'string' && config.name !== '' ? config.name : 'validate';
    const { name: _name, ...properties } = config;
    return this.#issues({ name, config: properties }, 'api');
  }

  #check(definition: ConnectorDefinition, origin: DefinitionOrigin): void {
    const nameProblem = connectorNameProblem(definition.name);
    const issues = [
      ...(nameProblem === undefined ? [] : [{ path: 'name', message: nameProblem }]),
      ...this.#issues(definition, origin),
    ];
    if (issues.length > 0) throw new InvalidConnectorError(definition.name, issues);
  }

  #issues(definition: ConnectorDefinition, origin: DefinitionOrigin): ConfigIssue[] {
    if (origin === 'operator') return validateConnector(definition).issues;
    const previous = this.#slots.get(definition.name)?.config;
    return [
      ...callerIssues(this.#callers, definition.config, previous),
      ...validateConnector(definition, {
        references: callerReferences(this.#callers, definition.config, previous),
      }).issues,
    ];
  }

  /** The options a definition may use. */
  options(config: Readonly<Record<string, unknown>>): readonly OptionEntry[] {
    return optionsOf(config);
  }

  /** The definition with its secrets hidden. */
  redact(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
    return redactDefinition(config);
  }

  /** Committed offsets of a connector's consumer group (KIP-875 GET). */
  async offsets(name: string): Promise<readonly OffsetRow[]> {
    await this.open();
    return readOffsets(this.slot(name), this.#logger);
  }

  /** KIP-875 PATCH: only while STOPPED and the group has no live member. */
  async alterOffsets(name: string, rows: readonly OffsetRow[]): Promise<void> {
    await this.open();
    await this.#membersStopped(name);
    await alterOffsets(this.slot(name), rows, this.#logger);
  }

  /** KIP-875 DELETE: only while STOPPED and the group has no live member. */
  async resetOffsets(name: string): Promise<void> {
    await this.open();
    await this.#membersStopped(name);
    await resetOffsets(this.slot(name), this.#logger);
  }

  /**
   * A STOPPED connector's member processes (`workers` > 1) stop a moment after this one: an offsets change waits
   * (up to {@link MEMBERS_STOP_WAIT_MS}) until each reported STOPPED, so that their consumers have left the group.
   */
  async #membersStopped(name: string): Promise<void> {
    const slot = this.slot(name);
    const members = this.#members;
    if (members === undefined || slot.target !== 'STOPPED') return;
    const deadline = Date.now() + MEMBERS_STOP_WAIT_MS;
    const stopped = (): boolean =>
      members
        .tasks(name, runsInMembers(slot.config))
        .every((task) => task.status === undefined || task.status.state === 'STOPPED');
    while (!stopped() && Date.now() < deadline) await sleep(200);
  }

  /**
   * Runs sample records (a REST body: `{"records": […]}` or `{"from_topic": {"count": n}}`) through the connector's
   * transforms and sink encoders; nothing is sent. @throws ConnectorNotFoundError, InvalidConnectorError, SampleError
   */
  async preview(name: string, body: unknown): Promise<PreviewReport> {
    await this.open();
    const slot = this.slot(name);
    const { connector: valid, issues } = validateConnector({ name, config: slot.config });
    if (valid === undefined) throw new InvalidConnectorError(name, issues);
    return previewConnector(valid, await samplesOfRequest(valid, body));
  }

  /** Partitions with lag in records and seconds, in flight and paused (the console). */
  async partitions(name: string): Promise<ReturnType<typeof partitionRows>> {
    await this.open();
    const slot = this.slot(name);
    await slot.instance?.refreshOffsets();
    return partitionRows(slot.status(), this.#observers.get(name));
  }

  /** Dead letters by stage and reason, and the latest `limit` with values cut and masked (the console). */
  async deadLetters(name: string, limit: number): Promise<Awaited<ReturnType<typeof deadLetterView>>> {
    await this.open();
    this.slot(name);
    return deadLetterView(this.registry, name, this.#observers.get(name)?.letters, limit);
  }

  /** A reset plan on the connector's group; nothing changes (the console's confirm step shows it). */
  async planReset(name: string, spec: ResetSpec): Promise<Awaited<ReturnType<typeof resetPlanView>>> {
    await this.open();
    const slot = this.slot(name);
    const { connector: valid, issues } = validateConnector({ name, config: slot.config });
    if (valid === undefined) throw new InvalidConnectorError(name, issues);
    return resetPlanView(valid, spec, this.#logger);
  }

  /** Pause, resume or stop. @throws ConnectorNotFoundError */
  async setTarget(name: string, target: TargetState): Promise<void> {
    await this.open();
    this.slot(name);
    await this.#store.putTarget(name, target);
  }

  /** Restarts a connector (only if FAILED with `onlyFailed`). @throws ConnectorNotFoundError */
  async restart(name: string, onlyFailed: boolean): Promise<void> {
    await this.open();
    this.slot(name);
    await this.#store.requestRestart(name, onlyFailed);
  }

  /** Deletes a connector. @throws ConnectorNotFoundError */
  async delete(name: string): Promise<void> {
    await this.open();
    this.slot(name);
    await this.#store.remove(name);
  }

  /**
   * Creates a connector and waits until its instance started (RUNNING, PAUSED or FAILED).
   * @throws InvalidConnectorError listing every problem; ConnectorExistsError.
   */
  async start(definition: ConnectorDefinition): Promise<Connector> {
    await this.create(definition, 'RUNNING', 'operator');
    const slot = this.slot(definition.name);
    await slot.started();
    if (slot.instance === undefined) throw new InvalidConnectorError(definition.name, []);
    return slot.instance;
  }

  /**
   * Stops every connector gracefully (each drains, commits and leaves its group), also those deleted and still
   * stopping, and the member processes (which do the same), then the store.
   * @returns how each connector that ran stopped, by name.
   */
  async stop(): Promise<Map<string, StopReport>> {
    const stopping = [...this.#slots.values()].map(async (slot) => [slot.name, await slot.remove()] as const);
    const reports = new Map<string, StopReport>();
    const [stopped] = await Promise.all([
      Promise.all([...stopping, ...this.#removing.values()]),
      this.#members?.stop(),
    ]);
    for (const [name, report] of stopped) if (report !== undefined) reports.set(name, report);
    await this.#store.stop();
    return reports;
  }

  #apply(change: StoreChange, initialTarget?: TargetState): void {
    // The config topic can hold what no file or REST call would be allowed to create.
    if (connectorNameProblem(change.name) !== undefined) {
      this.#logger.warn(
        { name: JSON.stringify(change.name) },
        'ignoring a stored connector with an invalid name',
      );
      return;
    }
    const slot = this.#slots.get(change.name);
    switch (change.kind) {
      case 'config':
        if (slot !== undefined) {
          void slot.update({ config: change.config });
          return;
        }
        this.#createSlot(change.name, change.config, initialTarget);
        return;
      case 'target':
        if (slot === undefined) this.#pendingTargets.set(change.name, change.target);
        else void slot.update({ target: change.target });
        return;
      case 'restart':
        void slot?.restart(change.onlyFailed);
        return;
      case 'deleted':
        this.#pendingTargets.delete(change.name);
        this.#observers.delete(change.name);
        if (slot === undefined) return;
        this.#slots.delete(change.name);
        this.#removed(slot);
    }
  }

  /** A deleted connector stops in the background; the worker's own stop waits for it. */
  #removed(slot: ConnectorSlot): void {
    const stopping = slot.remove().then(
      (report) => [slot.name, report] as const,
      (error: unknown) => {
        this.#logger.warn({ connector: slot.name, err: error }, 'stopping a deleted connector failed');
        return [slot.name, undefined] as const;
      },
    );
    this.#removing.add(stopping);
    void stopping.finally(() => this.#removing.delete(stopping));
  }

  #createSlot(name: string, config: Readonly<Record<string, unknown>>, initialTarget?: TargetState): void {
    const target = initialTarget ?? this.#pendingTargets.get(name) ?? 'RUNNING';
    this.#pendingTargets.delete(name);
    const slot = new ConnectorSlot(name, config, target, {
      factory: (n, c) => this.#build(n, c),
      logger: this.#logger,
      readOffsets: (n, c) =>
        readPartitionLags(n, c, this.#logger.child({ connector: n, component: 'kafka' })),
      ...(this.#members === undefined
        ? {}
        : {
            members: (n: string, c: Readonly<Record<string, unknown>>) =>
              this.#members?.tasks(n, runsInMembers(c)) ?? [],
          }),
    });
    this.#slots.set(name, slot);
    void slot.update({});
  }

  #build(name: string, config: Readonly<Record<string, unknown>>): Connector {
    const { connector: valid, issues } = validateConnector({ name, config });
    if (valid === undefined) throw new InvalidConnectorError(name, issues);
    const parts = buildConnector(valid, {
      logger: this.#logger,
      registry: this.registry,
      metrics: this.#metrics,
    });
    const kept = this.#observers.get(name);
    const observers = { ...observersFor(valid), ...(kept === undefined ? {} : { letters: kept.letters }) };
    this.#observers.set(name, observers);
    return new Connector(observed(parts, observers));
  }
}
