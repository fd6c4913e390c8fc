/**
 * Azurite, Microsoft's Azure Storage emulator (the npm package `azurite`), Blob service only, run as a guarded
 * child process (it dies with this process) on a free port, its data in a scratch directory kept across restarts.
 * Telemetry is off: the tests reach no network. Ready when the Blob service answers an HTTP request.
 */
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { logTail } from '../log-tail.ts';
import { freePorts } from '../ports.ts';
import { spawnGuarded, type GuardedProcess } from '../process.ts';
import { createScratchDir, type ScratchDir } from '../scratch.ts';
import type { AzuriteCoordinates } from './coordinates.ts';

/** The emulator's well-known development account (Azurite's README, "Default Storage Account"). */
export const AZURITE_ACCOUNT = {
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
} as const;

/** Options of {@link startAzurite}. */
export interface StartAzuriteOptions {
  /** Milliseconds a start may take before it fails. @default 20_000 */
  readonly startTimeoutMs?: number;
}

const killWaitMs = 10_000;
const stopTimeoutMs = 10_000;

/** One Azurite Blob service. */
export class AzuriteServer implements AzuriteCoordinates {
  readonly port: number;
  readonly blobEndpoint: string;
  readonly connectionString: string;
  readonly logFile: string;
  readonly #scratch: ScratchDir;
  readonly #startTimeoutMs: number;
  #process: GuardedProcess | undefined;
  #disposed = false;

  /** @internal use {@link startAzurite} */
  constructor(port: number, scratch: ScratchDir, startTimeoutMs: number) {
    this.port = port;
    this.blobEndpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT.name}`;
    this.connectionString =
      `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT.name};AccountKey=${AZURITE_ACCOUNT.key};` +
      `BlobEndpoint=${this.blobEndpoint};`;
    this.logFile = `${scratch.path}/azurite.log`;
    this.#scratch = scratch;
    this.#startTimeoutMs = startTimeoutMs;
  }

  get running(): boolean {
    return this.#process !== undefined && this.#process.exitStatus === undefined;
  }

  coordinates(): AzuriteCoordinates {
    const { blobEndpoint, port, connectionString, logFile } = this;
    return { blobEndpoint, port, connectionString, logFile };
  }

  /**
   * Starts Azurite (again) on the same port with the same data. No-op while it runs.
   * @throws Error with the tail of its log when it exits or does not answer within the start timeout
   */
  async start(): Promise<void> {
    if (this.#disposed) throw new Error(`Azurite on port ${this.port} was disposed; start a new one`);
    if (this.running) return;
    const args = [
      azuriteBlobMain(),
      ...['--blobHost', '127.0.0.1', '--blobPort', String(this.port)],
      ...['--location', `${this.#scratch.path}/data`],
      ...['--silent', '--skipApiVersionCheck', '--loose', '--disableTelemetry'],
    ];
    const child = await spawnGuarded(process.execPath, args, { output: { appendTo: this.logFile } });
    this.#process = child;
    try {
      await this.#waitUntilAnswering(child);
    } catch (error) {
      child.kill('SIGKILL');
      await child.waitForExit(killWaitMs);
      await this.#scratch.keep('a start failed');
      throw new Error(
        `Azurite did not start on ${this.blobEndpoint}: ${(error as Error).message}. ` +
          `Last lines of ${this.logFile}:\n${await logTail(this.logFile, 20)}`,
        { cause: error },
      );
    }
  }

  async stop(): Promise<void> {
    await this.#process?.terminate(stopTimeoutMs);
  }

  async kill(): Promise<void> {
    this.#process?.kill('SIGKILL');
    await this.#process?.waitForExit(killWaitMs);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.stop();
    await this.#scratch.remove();
  }

  async #waitUntilAnswering(child: GuardedProcess): Promise<void> {
    const deadline = performance.now() + this.#startTimeoutMs;
    while (performance.now() < deadline) {
      if (child.exitStatus !== undefined)
        throw new Error(`azurite exited (code ${String(child.exitStatus.code)})`);
      if (await answers(`${this.blobEndpoint}?comp=list`)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no answer within ${this.#startTimeoutMs} ms`);
  }
}

/** The Blob service's entry point inside the installed package. */
function azuriteBlobMain(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('azurite/package.json')), 'dist/src/blob/main.js');
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => {
      resolve(false);
    });
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Starts Azurite's Blob service on a free port. */
export async function startAzurite(options: StartAzuriteOptions = {}): Promise<AzuriteServer> {
  const scratch = await createScratchDir('azurite');
  const [port] = await freePorts(1);
  const server = new AzuriteServer(port ?? 0, scratch, options.startTimeoutMs ?? 20_000);
  await server.start();
  return server;
}
