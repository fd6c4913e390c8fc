/**
 * logbridge as it ships: `node <the logbridge command's flags> dist/cli/main.js run <connector file>` with
 * `NODE_ENV=production`, as the image runs it, as a guarded child process (it dies with the bench).
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { request } from 'undici';
import { logTail } from '../../test/support/log-tail.ts';
import { repoRoot } from '../../test/support/paths.ts';
import { freePorts } from '../../test/support/ports.ts';
import { type GuardedProcess, spawnGuarded } from '../../test/support/process.ts';

const entry = `${repoRoot}/dist/cli/main.js`;

/** The Node flags of the `logbridge` command's shebang (also the image's ENTRYPOINT). */
export function shippedNodeFlags(): string[] {
  const first = readFileSync(`${repoRoot}/src/cli/main.ts`, 'utf8').split('\n', 1)[0] ?? '';
  return first.split(' ').filter((part) => part.startsWith('--'));
}

/** Throws unless `dist/` is built and newer than every source file. */
export function requireBuild(): void {
  if (!existsSync(entry)) throw new Error('dist/ is missing: run `npm run build` (make bench-e2e does)');
  if (newestMtimeMs(`${repoRoot}/src`) > statSync(entry).mtimeMs) {
    throw new Error('dist/ is older than src/: run `npm run build` (make bench-e2e does)');
  }
}

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = `${dir}/${name}`;
    const info = statSync(path);
    newest = Math.max(newest, info.isDirectory() ? newestMtimeMs(path) : info.mtimeMs);
  }
  return newest;
}

/** A running logbridge. */
export interface RunningLogbridge {
  readonly pid: number;
  readonly logFile: string;
  readonly restUrl: string;
  /** SIGTERM, and wait for the exit (drain, commit, leave the group). */
  stop(): Promise<void>;
}

/** Starts logbridge on one connector file and waits for `/readyz`. */
export async function startShipped(options: {
  readonly connector: { readonly name: string; readonly config: Record<string, string> };
  readonly dir: string;
  /** Extra Node flags (`--cpu-prof …`). */
  readonly nodeFlags: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Called with the pid before logbridge can read anything (the receiver reads its /proc figures). */
  readonly onSpawn: (pid: number) => Promise<void>;
}): Promise<RunningLogbridge> {
  const file = `${options.dir}/${options.connector.name}.json`;
  await writeFile(file, JSON.stringify(options.connector, null, 2));
  const [port] = await freePorts(1);
  const restUrl = `http://127.0.0.1:${String(port)}`;
  const logFile = `${options.dir}/${options.connector.name}.log`;
  const child = await spawnGuarded(
    process.execPath,
    [...shippedNodeFlags(), ...options.nodeFlags, entry, 'run', file],
    {
      cwd: options.dir,
      env: { ...process.env, NODE_ENV: 'production', ...options.env, LOGBRIDGE_REST_PORT: String(port) },
      output: { appendTo: logFile },
    },
  );
  await options.onSpawn(child.pid);
  await waitReady(child, restUrl, logFile);
  return {
    pid: child.pid,
    logFile,
    restUrl,
    stop: async () => {
      child.kill('SIGTERM');
      await child.waitForExit(60_000);
    },
  };
}

async function waitReady(child: GuardedProcess, restUrl: string, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitStatus !== undefined) {
      throw new Error(`logbridge exited before it was ready:\n${await logTail(logFile)}`);
    }
    const status = await request(`${restUrl}/readyz`)
      .then(async (response) => {
        await response.body.dump();
        return response.statusCode;
      })
      .catch(() => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`logbridge was not ready within 60 s:\n${await logTail(logFile)}`);
}
