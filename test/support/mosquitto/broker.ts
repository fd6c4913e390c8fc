import { writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { connectAsync } from 'mqtt';
import { logTail } from '../log-tail.ts';
import { freePorts } from '../ports.ts';
import { findExecutable, spawnGuarded, type GuardedProcess } from '../process.ts';
import { createScratchDir, type ScratchDir } from '../scratch.ts';
import { mosquittoConf } from './config.ts';
import type { MosquittoCoordinates } from './coordinates.ts';

/** Options of {@link startMosquitto}. */
export interface StartMosquittoOptions {
  /** Milliseconds a start may take before it fails. @default 10_000 */
  readonly startTimeoutMs?: number;
  /** Milliseconds {@link MosquittoBroker.stop} waits after SIGTERM before SIGKILL. @default 10_000 */
  readonly stopTimeoutMs?: number;
  /**
   * `max_inflight_messages`: the QoS 1 messages a client may have unacknowledged, which Mosquitto also grants MQTT 5
   * publishers as its Receive Maximum. @default 0 (not written: Mosquitto's own default, 20)
   */
  readonly maxInflightMessages?: number;
}

type ResolvedOptions = Required<StartMosquittoOptions>;

const defaults: ResolvedOptions = { startTimeoutMs: 10_000, stopTimeoutMs: 10_000, maxInflightMessages: 0 };
const probeIntervalMs = 100;
const killWaitMs = 10_000;

/**
 * A local Mosquitto broker run as a guarded child process (it dies with this process). Stopping keeps its port,
 * so {@link MosquittoBroker.start} brings it back where clients expect it; nothing is persisted across restarts.
 */
export class MosquittoBroker implements MosquittoCoordinates {
  readonly url: string;
  readonly port: number;
  readonly logFile: string;
  readonly #binary: string;
  readonly #configFile: string;
  readonly #scratch: ScratchDir;
  readonly #options: ResolvedOptions;
  #process: GuardedProcess | undefined;
  #disposed = false;

  /** @internal use {@link startMosquitto} */
  constructor(binary: string, port: number, scratch: ScratchDir, options: ResolvedOptions) {
    this.#binary = binary;
    this.port = port;
    this.url = `mqtt://127.0.0.1:${port}`;
    this.logFile = `${scratch.path}/mosquitto.log`;
    this.#configFile = `${scratch.path}/mosquitto.conf`;
    this.#scratch = scratch;
    this.#options = options;
  }

  /** True while the process runs. */
  get running(): boolean {
    return this.#process !== undefined && this.#process.exitStatus === undefined;
  }

  /** A plain copy of the coordinates, to hand to another process. */
  coordinates(): MosquittoCoordinates {
    return { url: this.url, port: this.port, logFile: this.logFile };
  }

  /**
   * Starts the broker (again) on the same port and waits until an MQTT client connects. No-op while it runs.
   *
   * @throws Error with the tail of its log when it exits or accepts no client within `startTimeoutMs`
   */
  async start(): Promise<void> {
    if (this.#disposed)
      throw new Error(`the Mosquitto broker on port ${this.port} was disposed; start a new one`);
    if (this.running) return;
    await writeFile(this.#configFile, mosquittoConf(this.port, this.#options.maxInflightMessages));
    const child = await spawnGuarded(this.#binary, ['-c', this.#configFile], {
      output: { appendTo: this.logFile },
    });
    this.#process = child;
    try {
      await this.#waitUntilConnectable(child);
    } catch (error) {
      child.kill('SIGKILL');
      await child.waitForExit(killWaitMs);
      await this.#scratch.keep('a start failed');
      throw new Error(
        `Mosquitto did not start on ${this.url}: ${error instanceof Error ? error.message : String(error)}. ` +
          `Last lines of ${this.logFile}:\n${await logTail(this.logFile, 20)}`,
        { cause: error },
      );
    }
  }

  /** SIGTERM, then SIGKILL after `stopTimeoutMs`. No-op when stopped. */
  async stop(): Promise<void> {
    await this.#process?.terminate(this.#options.stopTimeoutMs);
  }

  /** SIGKILL, as in a crash. No-op when stopped. */
  async kill(): Promise<void> {
    this.#process?.kill('SIGKILL');
    await this.#process?.waitForExit(killWaitMs);
  }

  /** Stops the broker and deletes its directory (unless a start failed). Idempotent. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.stop();
    await this.#scratch.remove();
  }

  async #waitUntilConnectable(child: GuardedProcess): Promise<void> {
    const deadline = performance.now() + this.#options.startTimeoutMs;
    let lastError: unknown;
    while (performance.now() < deadline) {
      if (child.exitStatus !== undefined) {
        throw new Error(`mosquitto exited (code ${String(child.exitStatus.code)})`);
      }
      try {
        const client = await connectAsync(this.url, { reconnectPeriod: 0, connectTimeout: 1000 });
        await client.endAsync();
        return;
      } catch (error) {
        lastError = error;
      }
      await delay(probeIntervalMs);
    }
    throw new Error(`no MQTT connection within ${this.#options.startTimeoutMs} ms`, { cause: lastError });
  }
}

/**
 * Starts Mosquitto on a free port of 127.0.0.1 with a generated configuration under `.tmp/mosquitto-<random>`,
 * retrying with a fresh port if another process took the first one.
 *
 * @throws Error saying to run `make mosquitto` when Mosquitto is not installed, or with its log's tail when it
 *   does not start
 */
export async function startMosquitto(options: StartMosquittoOptions = {}): Promise<MosquittoBroker> {
  const binary = mosquittoBinary();
  for (let attempt = 1; ; attempt++) {
    const scratch = await createScratchDir('mosquitto');
    const [port = 0] = await freePorts(1);
    const broker = new MosquittoBroker(binary, port, scratch, { ...defaults, ...options });
    try {
      await broker.start();
      return broker;
    } catch (error) {
      if (attempt === 3 || !(await logTail(broker.logFile)).includes('Address already in use')) throw error;
      await scratch.remove({ evenIfKept: true });
    }
  }
}

/**
 * The mosquitto executable: `$MOSQUITTO_BIN`, else PATH, else the sbin folders that distributions install it in.
 *
 * @throws Error saying to run `make mosquitto` when it is not found
 */
export function mosquittoBinary(): string {
  const configured = process.env['MOSQUITTO_BIN'];
  const binary =
    configured !== undefined && configured !== ''
      ? findExecutable(configured)
      : findExecutable('mosquitto', ['/usr/sbin', '/usr/local/sbin', '/opt/homebrew/sbin']);
  if (binary === undefined) {
    throw new Error(
      `mosquitto not found (${configured ?? 'PATH, /usr/sbin, /usr/local/sbin'}): run \`make mosquitto\` ` +
        "(installs Debian's package), or install Mosquitto 2.x and set MOSQUITTO_BIN to its path.",
    );
  }
  return binary;
}
