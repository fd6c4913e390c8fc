/**
 * Mosquitto brokers configured beyond what the shared harness offers (its brokers persist nothing and accept
 * anyone, see test/support/mosquitto/config.ts), for the `mqtt` sink's tests:
 *
 * - `persistence`: sessions, subscriptions and queued QoS 1 messages survive a stop/start (Mosquitto saves them on
 *   SIGTERM), so a subscriber misses nothing the broker acknowledged while it was down — without it, a restart
 *   drops what the broker had accepted but not yet delivered, and "nothing lost" could not be measured.
 * - `users`: a password file and no anonymous access, to see bad credentials refused.
 *
 * Built from the harness's parts (binary lookup, guarded processes, free ports, scratch directories); started from
 * the test file's process, it dies with it. Suggested for the harness as `dedicatedMosquitto({ persistence, users })`.
 */
import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { connectAsync } from 'mqtt';
import { logTail } from '../log-tail.ts';
import { mosquittoBinary } from '../mosquitto/index.ts';
import { freePorts } from '../ports.ts';
import { findExecutable, type GuardedProcess, runGuarded, spawnGuarded } from '../process.ts';
import { createScratchDir, type ScratchDir } from '../scratch.ts';

/** Options of {@link startConfiguredMosquitto}. */
export interface ConfiguredMosquittoOptions {
  /** Keep sessions and queued messages across restarts. @default false */
  readonly persistence?: boolean;
  /** Accepted users and passwords; when set, anonymous clients are refused. */
  readonly users?: Readonly<Record<string, string>>;
  /** `max_inflight_messages`, which Mosquitto also advertises as its MQTT 5 Receive Maximum. @default 20 */
  readonly maxInflightMessages?: number;
}

/** A Mosquitto with its own configuration; `stop`/`start` keep its port (and, with persistence, its data). */
export class ConfiguredMosquitto {
  readonly url: string;
  readonly port: number;
  readonly logFile: string;
  readonly #scratch: ScratchDir;
  readonly #config: string;
  #process: GuardedProcess | undefined;

  /** @internal use {@link startConfiguredMosquitto} */
  constructor(port: number, scratch: ScratchDir, config: string) {
    this.port = port;
    this.url = `mqtt://127.0.0.1:${port}`;
    this.logFile = `${scratch.path}/mosquitto.log`;
    this.#scratch = scratch;
    this.#config = config;
  }

  /** Starts it (again) and waits until a client connects; no-op while it runs. */
  async start(): Promise<void> {
    if (this.#process !== undefined && this.#process.exitStatus === undefined) return;
    this.#process = await spawnGuarded(mosquittoBinary(), ['-c', this.#config], {
      output: { appendTo: this.logFile },
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        // The probe's own id and credentials do not matter: a refusal still proves the broker answers.
        const client = await connectAsync(this.url, { reconnectPeriod: 0, connectTimeout: 1000 });
        await client.endAsync();
        return;
      } catch (error) {
        if ((error as { code?: unknown }).code === 5 || (error as { code?: unknown }).code === 4) return;
        if (Date.now() > deadline || this.#process.exitStatus !== undefined) {
          throw new Error(`Mosquitto did not start on ${this.url}:\n${await logTail(this.logFile)}`, {
            cause: error,
          });
        }
      }
      await delay(100);
    }
  }

  /** SIGTERM (Mosquitto saves its persistence file), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    this.#process?.kill('SIGCONT');
    await this.#process?.terminate(10_000);
  }

  /** SIGSTOP: the process freezes with its connections open; clients see no answer (no PUBACK, no PINGRESP). */
  freeze(): void {
    this.#process?.kill('SIGSTOP');
  }

  /** SIGCONT after {@link ConfiguredMosquitto.freeze}. */
  thaw(): void {
    this.#process?.kill('SIGCONT');
  }

  /** Stops it and deletes its directory. */
  async dispose(): Promise<void> {
    await this.stop();
    await this.#scratch.remove();
  }
}

/** Starts a configured Mosquitto on a free port of 127.0.0.1. */
export async function startConfiguredMosquitto(
  options: ConfiguredMosquittoOptions = {},
): Promise<ConfiguredMosquitto> {
  const scratch = await createScratchDir('mosquitto-configured');
  const [port = 0] = await freePorts(1);
  const lines = [
    `user ${userInfo().username}`,
    `listener ${port} 127.0.0.1`,
    `persistence ${options.persistence === true ? 'true' : 'false'}`,
    `persistence_location ${scratch.path}/`,
    'max_queued_messages 1000000',
    `max_inflight_messages ${options.maxInflightMessages ?? 20}`,
    'log_dest stdout',
    'connection_messages true',
  ];
  if (options.users === undefined) {
    lines.push('allow_anonymous true');
  } else {
    const passwords = `${scratch.path}/passwd`;
    await writeFile(passwords, '');
    const tool = findExecutable('mosquitto_passwd', ['/usr/bin', '/usr/local/bin']) ?? 'mosquitto_passwd';
    for (const [user, password] of Object.entries(options.users)) {
      await runGuarded(tool, ['-b', passwords, user, password]);
    }
    lines.push('allow_anonymous false', `password_file ${passwords}`);
  }
  const config = `${scratch.path}/mosquitto.conf`;
  await writeFile(config, `${lines.join('\n')}\n`);
  const broker = new ConfiguredMosquitto(port, scratch, config);
  await broker.start();
  return broker;
}
