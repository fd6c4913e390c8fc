/**
 * Runs `logbridge run` as a child process for e2e tests: connector files in a scratch directory, a free REST port,
 * output appended to a log file, readiness by asking `/readyz`. The child dies with the test process.
 */
import { writeFile } from 'node:fs/promises';
import { request } from 'undici';
import { logTail } from './log-tail.ts';
import { repoRoot } from './paths.ts';
import { freePorts } from './ports.ts';
import { type ExitStatus, type GuardedProcess, spawnGuarded } from './process.ts';
import { createScratchDir, type ScratchDir } from './scratch.ts';

/** A connector definition as written to a file. */
export interface ConnectorFile {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
}

/** Options of {@link startLogbridge}. */
export interface StartLogbridgeOptions {
  readonly connectors: readonly ConnectorFile[];
  /** Extra environment (secrets referenced with `${env:…}`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Reuse a scratch directory (and its log file) across restarts. */
  readonly scratch?: ScratchDir;
  /** How long to wait for `/readyz`, ms. @default 60000 */
  readonly readyTimeoutMs?: number;
  /** Headers for every REST call of the helper (a bearer token). */
  readonly readyHeaders?: Readonly<Record<string, string>>;
  /** The path that answers 200 once started. @default '/readyz' (every connector RUNNING or PAUSED) */
  readonly readyPath?: string;
}

/** A running logbridge. */
export interface RunningLogbridge {
  readonly process: GuardedProcess;
  readonly restUrl: string;
  readonly logFile: string;
  readonly scratch: ScratchDir;
  /** GET a REST path and parse the JSON answer. */
  get<T>(path: string): Promise<T>;
  /** The /metrics text. */
  metrics(): Promise<string>;
  /** SIGTERM and wait for the exit (graceful: drain, commit, leave the group). */
  stop(timeoutMs?: number): Promise<ExitStatus>;
  /** SIGKILL, as in a crash. */
  kill(): Promise<ExitStatus>;
}

/** Starts `node src/cli/main.ts run <connector files>` and waits until it is ready. */
export async function startLogbridge(options: StartLogbridgeOptions): Promise<RunningLogbridge> {
  const scratch = options.scratch ?? (await createScratchDir('logbridge'));
  const files: string[] = [];
  for (const connector of options.connectors) {
    const file = `${scratch.path}/${connector.name}.json`;
    await writeFile(file, JSON.stringify(connector, null, 2));
    files.push(file);
  }
  const [port] = await freePorts(1);
  const restUrl = `http://127.0.0.1:${String(port)}`;
  const logFile = `${scratch.path}/logbridge.log`;
  const nodeFlags = await shebangFlags();
  const child = await spawnGuarded(
    process.execPath,
    [...nodeFlags, `${repoRoot}/src/cli/main.ts`, 'run', ...files],
    {
      cwd: repoRoot,
      env: { ...process.env, ...options.env, LOGBRIDGE_REST_PORT: String(port), LOGBRIDGE_LOG_LEVEL: 'info' },
      output: { appendTo: logFile },
    },
  );
  const running = handle(child, restUrl, logFile, scratch, options.readyHeaders ?? {});
  await waitReady(running, options.readyTimeoutMs ?? 60_000, options.readyPath ?? '/readyz');
  return running;
}

function handle(
  child: GuardedProcess,
  restUrl: string,
  logFile: string,
  scratch: ScratchDir,
  headers: Readonly<Record<string, string>>,
): RunningLogbridge {
  const get = async <T>(path: string): Promise<T> => {
    const response = await request(restUrl + path, { headers });
    return (await response.body.json()) as T;
  };
  return {
    process: child,
    restUrl,
    logFile,
    scratch,
    get,
    metrics: async () => (await request(`${restUrl}/metrics`, { headers })).body.text(),
    stop: async (timeoutMs = 60_000) => {
      child.kill('SIGTERM');
      return child.waitForExit(timeoutMs);
    },
    kill: async () => {
      child.kill('SIGKILL');
      return child.waitForExit(10_000);
    },
  };
}

async function waitReady(running: RunningLogbridge, timeoutMs: number, path: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (running.process.exitStatus !== undefined) {
      throw new Error(`logbridge exited before it was ready:\n${await logTail(running.logFile)}`);
    }
    const status = await request(`${running.restUrl}${path}`)
      .then(async (r) => {
        await r.body.dump();
        return r.statusCode;
      })
      .catch(() => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`logbridge was not ready within ${timeoutMs} ms:\n${await logTail(running.logFile)}`);
}

/**
 * The Node flags of the `logbridge` command's shebang (`#!/usr/bin/env -S node <flags>`), so that tests run the
 * process with the heap settings users get.
 */
export async function shebangFlags(): Promise<string[]> {
  const { readFile } = await import('node:fs/promises');
  const first = (await readFile(`${repoRoot}/src/cli/main.ts`, 'utf8')).split('\n', 1)[0] ?? '';
  return first.split(' ').filter((part) => part.startsWith('--'));
}

/** Lines of the log that are JSON objects (pino), parsed. */
export async function logLines(logFile: string): Promise<Record<string, unknown>[]> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
