import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { accessSync, closeSync, constants, openSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** How a child process ended. */
export interface ExitStatus {
  /** Exit code, or null when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, or null when it exited by itself. */
  readonly signal: NodeJS.Signals | null;
}

/**
 * Where the child's stdout and stderr go: `capture` keeps both in memory (read `stdout`/`stderr`), `appendTo`
 * appends both to one file (the child writes it directly, so nothing is lost if this process dies first).
 */
export type OutputMode = 'capture' | 'inherit' | 'ignore' | { readonly appendTo: string };

/** Options of {@link spawnGuarded}. */
export interface SpawnGuardedOptions {
  readonly cwd?: string;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default 'capture' */
  readonly output?: OutputMode;
}

/** Milliseconds to wait for a process to exit once SIGKILL is sent; the kernel needs far less. */
const killWaitMs = 10_000;

/** A child process started by {@link spawnGuarded}: it dies when the process that spawned it dies. */
export class GuardedProcess {
  /** Resolves when the process has exited and its output streams are closed; never rejects. */
  readonly exited: Promise<ExitStatus>;
  readonly #child: ChildProcess;
  readonly #description: string;
  #status: ExitStatus | undefined;
  #stdout = '';
  #stderr = '';

  /** @internal use {@link spawnGuarded}, which listens before the child can write or exit */
  constructor(child: ChildProcess, description: string) {
    this.#child = child;
    this.#description = description;
    // Errors after a successful spawn (a failed kill) change nothing the caller can act on; 'close' still follows.
    child.on('error', () => undefined);
    child.stdout?.setEncoding('utf8').on('data', (text: string) => (this.#stdout += text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (this.#stderr += text));
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        this.#status = { code, signal };
        resolve(this.#status);
      });
    });
  }

  /** Process id (the command's own: `setpriv` execs it); -1 only if the spawn failed. */
  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** Everything the child wrote to stdout so far (only with output `capture`). */
  get stdout(): string {
    return this.#stdout;
  }

  /** Everything the child wrote to stderr so far (only with output `capture`). */
  get stderr(): string {
    return this.#stderr;
  }

  /** How it ended, or undefined while it runs. */
  get exitStatus(): ExitStatus | undefined {
    return this.#status;
  }

  /** Sends a signal unless the process has already exited. @default 'SIGTERM' */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.#status === undefined) this.#child.kill(signal);
  }

  /**
   * Waits for the exit.
   *
   * @param timeoutMs how long to wait
   * @throws Error when it is still running after `timeoutMs` (the process is left running)
   */
  async waitForExit(timeoutMs: number): Promise<ExitStatus> {
    const timer = new AbortController();
    const timedOut = delay(timeoutMs, undefined, { signal: timer.signal }).then(() => {
      throw new Error(`${this.#description} (pid ${this.pid}) did not exit within ${timeoutMs} ms`);
    });
    try {
      return await Promise.race([this.exited, timedOut]);
    } finally {
      timer.abort();
      timedOut.catch(() => undefined);
    }
  }

  /**
   * SIGTERM, then SIGKILL if it is still running after `graceMs`.
   *
   * @param graceMs milliseconds between SIGTERM and SIGKILL @default 10_000
   */
  async terminate(graceMs = 10_000): Promise<ExitStatus> {
    this.kill('SIGTERM');
    try {
      return await this.waitForExit(graceMs);
    } catch {
      this.kill('SIGKILL');
      return this.waitForExit(killWaitMs);
    }
  }
}

/**
 * Spawns a command that the kernel kills (SIGKILL) when this process dies, even by SIGKILL, so no broker or
 * bridge outlives a test run. Uses `setpriv --pdeathsig` (util-linux); where it is missing, a shell watchdog polls
 * this process every second instead. The death signal is tied to the spawning *thread*: spawn from the main thread
 * of a long-lived process (vitest's main process, through global setup), not from a short-lived worker thread.
 * The kernel clears it when the child changes user or group (e.g. a daemon dropping root): keep such a child
 * from switching user, as the Mosquitto harness does.
 *
 * @throws Error (with the spawn error as cause) when the command cannot be started
 */
export async function spawnGuarded(
  command: string,
  args: readonly string[],
  options: SpawnGuardedOptions = {},
): Promise<GuardedProcess> {
  const setpriv = findExecutable('setpriv');
  const argv =
    setpriv === undefined ? [command, ...args] : [setpriv, '--pdeathsig', 'SIGKILL', command, ...args];
  const [file = command, ...rest] = argv;
  const { stdio, release } = openOutput(options.output ?? 'capture');
  try {
    const child = spawn(file, rest, { cwd: options.cwd, env: options.env ?? process.env, stdio });
    const guarded = new GuardedProcess(child, describe(command, args));
    const pid = await spawned(child, describe(command, args));
    if (setpriv === undefined) guardWithWatchdog(pid);
    return guarded;
  } finally {
    release();
  }
}

/** Output of a command run to completion by {@link runGuarded}. */
export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to completion under {@link spawnGuarded}, capturing its output.
 *
 * @param options.timeoutMs milliseconds before it is killed @default 120_000
 * @throws Error naming the command, its exit status and the tail of its output, when it fails or times out
 */
export async function runGuarded(
  command: string,
  args: readonly string[],
  options: Omit<SpawnGuardedOptions, 'output'> & { readonly timeoutMs?: number } = {},
): Promise<RunResult> {
  const child = await spawnGuarded(command, args, { ...options, output: 'capture' });
  let status: ExitStatus;
  try {
    status = await child.waitForExit(options.timeoutMs ?? 120_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  if (status.code === 0) return { stdout: child.stdout, stderr: child.stderr };
  const output = `${child.stdout}\n${child.stderr}`.trim().split('\n').slice(-30).join('\n');
  throw new Error(
    `${describe(command, args)} failed (exit code ${String(status.code)}, signal ${String(status.signal)}):\n${output}`,
  );
}

/**
 * Absolute path of an executable found on PATH or in `extraDirs`, or undefined. A name containing `/` is checked
 * as given.
 */
export function findExecutable(name: string, extraDirs: readonly string[] = []): string | undefined {
  const candidates = name.includes('/')
    ? [name]
    : [...(process.env['PATH'] ?? '').split(delimiter), ...extraDirs]
        .filter(Boolean)
        .map((dir) => join(dir, name));
  return candidates.find(isExecutable);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function openOutput(output: OutputMode): { stdio: StdioOptions; release: () => void } {
  if (output === 'capture') return { stdio: ['ignore', 'pipe', 'pipe'], release: () => undefined };
  if (output === 'inherit' || output === 'ignore')
    return { stdio: ['ignore', output, output], release: () => undefined };
  const fd = openSync(output.appendTo, 'a');
  return {
    stdio: ['ignore', fd, fd],
    release: () => {
      closeSync(fd);
    },
  };
}

function spawned(child: ChildProcess, description: string): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      reject(new Error(`could not start ${description}: ${error.message}`, { cause: error }));
    });
    child.once('spawn', () => {
      if (child.pid === undefined) reject(new Error(`${description} started without a pid`));
      else resolve(child.pid);
    });
  });
}

/** Fallback for systems without setpriv: a detached shell that SIGKILLs the child once this process is gone. */
function guardWithWatchdog(childPid: number): void {
  const script =
    `while kill -0 ${process.pid} 2>/dev/null; do kill -0 ${childPid} 2>/dev/null || exit 0; sleep 1; done; ` +
    `kill -9 ${childPid} 2>/dev/null`;
  spawn('/bin/sh', ['-c', script], {
    detached: true,
    stdio: 'ignore',
    env: { PATH: '/usr/bin:/bin' },
  }).unref();
}

function describe(command: string, args: readonly string[]): string {
  const line = [basename(command), ...args].join(' ');
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
