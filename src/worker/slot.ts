/**
 * One connector's place in a worker: its definition, its target state, and the running instance. Operations are
 * applied one at a time, in order; a new definition or a restart replaces the instance (after a graceful stop).
 * @module
 */
import type { Logger } from 'pino';
import type {
  Connector,
  ConnectorState,
  ConnectorStatus,
  PartitionLag,
  StopReport,
} from '../engine/index.ts';
import { type MemberTask, withMembers } from './members.ts';
import type { TargetState } from './store.ts';

/** Builds a connector instance from a definition; throws with every problem when it is invalid. */
export type ConnectorFactory = (name: string, config: Readonly<Record<string, unknown>>) => Connector;

/** Reads a connector's committed and end offsets without running it (for a STOPPED connector's lag). */
export type OffsetsReader = (
  name: string,
  config: Readonly<Record<string, unknown>>,
) => Promise<readonly PartitionLag[]>;

/** Offsets known for a connector with no running instance. */
interface KnownOffsets {
  readonly offsets: readonly PartitionLag[];
  readonly readAtMs: number | undefined;
}

/** A stopped connector's offsets are read again at most this often (status requests start the reading). */
const STOPPED_REFRESH_MS = 10_000;

/** A connector managed by the worker. */
export class ConnectorSlot {
  readonly name: string;
  #config: Readonly<Record<string, unknown>>;
  #target: TargetState;
  #instance: Connector | undefined;
  #started: Promise<void> = Promise.resolve();
  #problem: string | undefined;
  #queue: Promise<void> = Promise.resolve();
  readonly #factory: ConnectorFactory;
  readonly #readOffsets: OffsetsReader | undefined;
  readonly #logger: Logger;
  readonly #members:
    ((name: string, config: Readonly<Record<string, unknown>>) => readonly MemberTask[]) | undefined;
  #known: KnownOffsets = { offsets: [], readAtMs: undefined };
  #reading: Promise<void> | undefined;
  #lastReadStartMs = -Infinity;

  constructor(
    name: string,
    config: Readonly<Record<string, unknown>>,
    target: TargetState,
    deps: {
      readonly factory: ConnectorFactory;
      readonly logger: Logger;
      readonly readOffsets?: OffsetsReader;
      /** The member processes' tasks of this connector (`workers` > 1). */
      readonly members?: (name: string, config: Readonly<Record<string, unknown>>) => readonly MemberTask[];
    },
  ) {
    this.name = name;
    this.#config = config;
    this.#target = target;
    this.#factory = deps.factory;
    this.#readOffsets = deps.readOffsets;
    this.#logger = deps.logger;
    this.#members = deps.members;
  }

  get config(): Readonly<Record<string, unknown>> {
    return this.#config;
  }

  get target(): TargetState {
    return this.#target;
  }

  /** The running instance, if any (none while STOPPED). */
  get instance(): Connector | undefined {
    return this.#instance;
  }

  /** Kafka Connect's state: the instance's, or STOPPED, or FAILED when it could not be built. */
  get state(): ConnectorState {
    if (this.#problem !== undefined) return 'FAILED';
    return this.#instance?.state ?? (this.#target === 'STOPPED' ? 'STOPPED' : 'UNASSIGNED');
  }

  /**
   * The instance's status, or one for a stopped or unbuildable connector, with the last known offsets (those its
   * instance read last, or a later reading of a STOPPED connector's group), marked as last known.
   */
  status(): ConnectorStatus {
    const local = this.#localStatus();
    const tasks = this.#members?.(this.name, this.#config) ?? [];
    return tasks.length === 0 || local.state === 'STOPPED' ? local : withMembers(local, tasks);
  }

  #localStatus(): ConnectorStatus {
    if (this.#instance !== undefined) return this.#instance.status();
    return {
      name: this.name,
      state: this.state,
      degraded: false,
      ...(this.#problem === undefined ? {} : { trace: this.#problem }),
      inFlight: { records: 0, unsettled: 0, bytes: 0, full: false },
      partitions: [],
      offsets: this.#known.offsets,
      offsetsReadAtMs: this.#known.readAtMs,
      offsetsLastKnown: true,
      sinks: [],
    };
  }

  /**
   * Starts reading committed and end offsets in the background (status answers from the last reading, never
   * waiting for Kafka): the instance's reading, or for a STOPPED connector its group's, at most every 10 s.
   */
  refreshOffsets(): void {
    if (this.#instance !== undefined) {
      void this.#instance.refreshOffsets();
      return;
    }
    const reader = this.#readOffsets;
    if (reader === undefined || this.#reading !== undefined || this.#problem !== undefined) return;
    if (Date.now() - this.#lastReadStartMs < STOPPED_REFRESH_MS) return;
    this.#lastReadStartMs = Date.now();
    this.#reading = reader(this.name, this.#config)
      .then((offsets) => {
        if (this.#instance === undefined) this.#known = { offsets, readAtMs: Date.now() };
      })
      .catch((error: unknown) => {
        this.#logger.debug(
          { connector: this.name, err: error },
          'reading offsets of a stopped connector failed',
        );
      })
      .finally(() => {
        this.#reading = undefined;
      });
  }

  /** Applies a new definition and/or target state. */
  update(change: { config?: Readonly<Record<string, unknown>>; target?: TargetState }): Promise<void> {
    return this.#enqueue(async () => {
      if (change.config !== undefined && JSON.stringify(change.config) !== JSON.stringify(this.#config)) {
        await this.#teardown('configuration changed');
        this.#config = change.config;
        this.#problem = undefined;
      }
      if (change.target !== undefined) this.#target = change.target;
      await this.#reconcile();
    });
  }

  /** Restarts the instance (only a FAILED one with `onlyFailed`), keeping the target state. */
  restart(onlyFailed: boolean): Promise<void> {
    return this.#enqueue(async () => {
      if (onlyFailed && this.state !== 'FAILED') return;
      await this.#teardown('restart requested');
      this.#problem = undefined;
      await this.#reconcile();
    });
  }

  /**
   * Stops the instance for good (delete, or worker shutdown).
   * @returns how its stop went, or undefined when no instance ran.
   */
  remove(): Promise<StopReport | undefined> {
    return this.#enqueue(() => this.#teardown('removed'));
  }

  /** Resolves once the current instance finished starting (RUNNING, PAUSED or FAILED). */
  async started(): Promise<void> {
    await this.#queue;
    await this.#started;
  }

  async #reconcile(): Promise<void> {
    if (this.#target === 'STOPPED') {
      await this.#teardown('stopped by operator');
      return;
    }
    if (this.#instance === undefined && this.#problem === undefined) {
      try {
        this.#instance = this.#factory(this.name, this.#config);
      } catch (error) {
        this.#problem = error instanceof Error ? error.message : String(error);
        this.#logger.error({ connector: this.name, err: error }, 'connector cannot be built');
        return;
      }
      if (this.#target === 'PAUSED') this.#instance.pause();
      this.#started = this.#instance.start();
      return;
    }
    if (this.#target === 'PAUSED') this.#instance?.pause();
    else this.#instance?.resume();
  }

  async #teardown(reason: string): Promise<StopReport | undefined> {
    const instance = this.#instance;
    if (instance === undefined) return undefined;
    this.#instance = undefined;
    this.#logger.info({ connector: this.name, reason }, 'stopping connector instance');
    const report = await instance.stop();
    const last = instance.status();
    this.#known = { offsets: last.offsets, readAtMs: last.offsetsReadAtMs };
    this.#lastReadStartMs = -Infinity;
    return report;
  }

  #enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(operation);
    this.#queue = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }
}
