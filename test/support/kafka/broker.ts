import { logErrors, logTail } from '../log-tail.ts';
import { spawnGuarded, type ExitStatus, type GuardedProcess } from '../process.ts';
import { createScratchDir, type ScratchDir } from '../scratch.ts';
import type { KafkaCoordinates } from './coordinates.ts';
import { ensureKafkaInstalled, type KafkaInstallation } from './install.ts';
import { javaTool } from './java.ts';
import { layOutBroker, type BrokerLayout } from './layout.ts';
import { waitForKafka } from './readiness.ts';

/** Options of {@link startKafka}. */
export interface StartKafkaOptions {
  /** Milliseconds a start may take before it fails. @default 60_000 */
  readonly startTimeoutMs?: number;
  /** Milliseconds {@link KafkaBroker.stop} waits after SIGTERM before SIGKILL. @default 30_000 */
  readonly stopTimeoutMs?: number;
  /** Keep the directory (data, configuration, log) after {@link KafkaBroker.dispose}. @default false */
  readonly keepData?: boolean;
  /** JVM maximum heap, MiB. @default 512 */
  readonly heapMb?: number;
  /** server.properties entries that replace or add to the harness defaults (see `config.ts`). */
  readonly overrides?: Readonly<Record<string, string>>;
}

type ResolvedOptions = Required<Omit<StartKafkaOptions, 'overrides'>>;

const defaults: ResolvedOptions = {
  startTimeoutMs: 60_000,
  stopTimeoutMs: 30_000,
  keepData: false,
  heapMb: 512,
};

/** Milliseconds to wait for the JVM to go once SIGKILL is sent. */
const killWaitMs = 10_000;

/**
 * JVM flags measured for a fast start on two cores (about 1.6 s to ready instead of 2.0 s with the defaults):
 * the serial collector and the C1 compiler alone cost less start-up CPU than G1 and C2 and are plenty for tests.
 */
const jvmFlags = [
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-XX:-UsePerfData',
  '-Djava.awt.headless=true',
];

/**
 * A local one-node Apache Kafka broker (KRaft) run as a child JVM, with a PLAINTEXT listener and an Event
 * Hubs-like SASL_SSL listener. Stopping keeps its data, so {@link KafkaBroker.start} brings back the same topics,
 * offsets, ports and credentials; {@link KafkaBroker.dispose} removes it all.
 */
export class KafkaBroker implements KafkaCoordinates {
  readonly version: string;
  readonly external = false;
  readonly bootstrap: string;
  readonly saslBootstrap: string;
  readonly connectionString: string;
  readonly caFile: string;
  readonly caPem: string;
  readonly logFile: string;
  /** Scratch directory under `.tmp/` with `data/`, the configuration, the certificate and `broker.log`. */
  readonly directory: string;
  readonly #installation: KafkaInstallation;
  readonly #layout: BrokerLayout;
  readonly #scratch: ScratchDir;
  readonly #options: ResolvedOptions;
  #process: GuardedProcess | undefined;
  #disposed = false;

  /** @internal use {@link startKafka} */
  constructor(
    installation: KafkaInstallation,
    layout: BrokerLayout,
    scratch: ScratchDir,
    options: ResolvedOptions,
  ) {
    this.#installation = installation;
    this.#layout = layout;
    this.#scratch = scratch;
    this.#options = options;
    this.version = installation.version;
    this.bootstrap = `127.0.0.1:${layout.ports.plaintext}`;
    this.saslBootstrap = `localhost:${layout.ports.sasl}`;
    this.connectionString = layout.connectionString;
    this.caFile = layout.certificate.caFile;
    this.caPem = layout.certificate.caPem;
    this.logFile = layout.logFile;
    this.directory = layout.directory;
  }

  /** True while the JVM runs. */
  get running(): boolean {
    return this.#process !== undefined && this.#process.exitStatus === undefined;
  }

  /** A plain copy of the coordinates, to hand to another process. */
  coordinates(): KafkaCoordinates {
    const { version, external, bootstrap, saslBootstrap, connectionString, caFile, caPem, logFile } = this;
    return { version, external, bootstrap, saslBootstrap, connectionString, caFile, caPem, logFile };
  }

  /**
   * Starts the JVM (again) on the same ports, data and credentials and waits until it is ready (see
   * `readiness.ts`). Does nothing while it runs. Not safe to call concurrently (the control channel queues calls).
   *
   * @throws Error with the tail of the broker log when it exits or is not ready within `startTimeoutMs`; the JVM
   *   is then killed and the directory kept for inspection
   */
  async start(): Promise<void> {
    this.#assertNotDisposed();
    if (this.running) return;
    const child = await spawnGuarded(javaTool('java'), this.#jvmArguments(), {
      cwd: this.directory,
      output: { appendTo: this.logFile },
    });
    this.#process = child;
    const exited = new AbortController();
    void child.exited.then((status) => {
      exited.abort(new Error(`the JVM exited (${describeExit(status)})`));
    });
    try {
      await waitForKafka(this.bootstrap, { timeoutMs: this.#options.startTimeoutMs, signal: exited.signal });
    } catch (error) {
      child.kill('SIGKILL');
      await child.waitForExit(killWaitMs);
      throw await this.#startFailure(error);
    }
  }

  /** SIGTERM (a controlled shutdown), then SIGKILL after `stopTimeoutMs`. Keeps the data. No-op when stopped. */
  async stop(): Promise<void> {
    await this.#process?.terminate(this.#options.stopTimeoutMs);
  }

  /** SIGKILL, as in a crash: the next {@link KafkaBroker.start} recovers the logs. No-op when stopped. */
  async kill(): Promise<void> {
    this.#process?.kill('SIGKILL');
    await this.#process?.waitForExit(killWaitMs);
  }

  /** Stops the broker and deletes its directory (unless `keepData`, or a start failed). Idempotent. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.stop();
    await this.#scratch.remove();
  }

  #jvmArguments(): string[] {
    return [
      `-Xmx${this.#options.heapMb}m`,
      ...jvmFlags,
      `-Dlog4j2.configurationFile=${this.#layout.log4j2File}`,
      ...['-cp', this.#installation.classpath, 'kafka.Kafka', this.#layout.serverPropertiesFile],
    ];
  }

  async #startFailure(cause: unknown): Promise<KafkaStartError> {
    await this.#scratch.keep('a start failed');
    const [errors, tail] = await Promise.all([logErrors(this.logFile), logTail(this.logFile, 15)]);
    return new KafkaStartError(
      `Kafka ${this.version} did not start: ${messageOf(cause)}. Its directory ${this.directory} is kept.\n` +
        `Errors in ${this.logFile}:\n${errors}\nLast lines:\n${tail}`,
      `${errors}\n${tail}`,
      { cause },
    );
  }

  #assertNotDisposed(): void {
    if (this.#disposed)
      throw new Error(`the Kafka broker in ${this.directory} was disposed; start a new one`);
  }
}

/** A broker start failed; `logTail` is the end of its log. */
class KafkaStartError extends Error {
  readonly logTail: string;

  constructor(message: string, logTail: string, options: ErrorOptions) {
    super(message, options);
    this.name = 'KafkaStartError';
    this.logTail = logTail;
  }
}

/** Initial starts tried before giving up on ports taken by another process between picking and binding them. */
const startAttempts = 3;

/**
 * Starts a local Kafka broker: fetches the jars if needed (see `install.ts`), lays out a scratch directory under
 * `.tmp/kafka-<random>` (free ports, random connection string, self-signed certificate, formatted storage) and
 * starts the JVM as a guarded child (it dies with this process). Retries with fresh ports when one was taken.
 *
 * @throws Error saying what to install when Java or Maven is missing, or with the broker log's tail when the broker
 *   does not become ready within `startTimeoutMs`
 */
export async function startKafka(options: StartKafkaOptions = {}): Promise<KafkaBroker> {
  const resolved: ResolvedOptions = { ...defaults, ...options };
  const installation = await ensureKafkaInstalled();
  for (let attempt = 1; ; attempt++) {
    const scratch = await createScratchDir('kafka');
    if (resolved.keepData) await scratch.keep('keepData was asked for');
    const layout = await layOutBroker(installation, scratch, options.overrides ?? {}).catch(
      async (error: unknown) => {
        await scratch.keep('laying out the broker failed');
        throw new Error(
          `could not prepare Kafka ${installation.version} in ${scratch.path}: ${messageOf(error)}`,
          {
            cause: error,
          },
        );
      },
    );
    const broker = new KafkaBroker(installation, layout, scratch, resolved);
    try {
      await broker.start();
      return broker;
    } catch (error) {
      const portTaken = error instanceof KafkaStartError && error.logTail.includes('Address already in use');
      if (!portTaken || attempt === startAttempts) throw error;
      await scratch.remove({ evenIfKept: true });
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeExit(status: ExitStatus): string {
  return status.signal === null ? `exit code ${String(status.code)}` : `signal ${status.signal}`;
}
