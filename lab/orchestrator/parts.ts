/**
 * How each started thing stops (gracefully) and is killed (on a second Ctrl-C).
 * @module
 */
import type { ExitStatus, GuardedProcess } from '../../test/support/process.ts';
import type { Part } from './teardown.ts';

/** For parts inside the lab's own process, which need no killing: after a forced stop the process exits at once. */
export function noop(): Promise<void> {
  return Promise.resolve();
}

/** logbridge as a part: SIGTERM, and up to 90 s to drain and commit (its drain timeout is 30 s). */
export function logbridgePart(child: GuardedProcess, log: (line: string) => void): Part {
  const how = (status: ExitStatus): string => status.signal ?? `exit code ${String(status.code)}`;
  return {
    name: 'logbridge',
    quiet: true,
    stop: async () => {
      const earlier = child.exitStatus;
      if (earlier !== undefined) {
        log(`logbridge had already exited (${how(earlier)})`);
        return;
      }
      const startedAt = performance.now();
      const status = await child.terminate(90_000);
      const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
      if (status.code === 0) log(`stopped logbridge: drained and committed (${seconds} s)`);
      else log(`logbridge exited with ${how(status)} while stopping; see its log`);
    },
    kill: async () => {
      child.kill('SIGKILL');
      await child.exited;
    },
  };
}

/** A child process as a part: SIGTERM, SIGKILL after 10 s. */
export function processPart(name: string, child: GuardedProcess): Part {
  return {
    name,
    stop: async () => {
      await child.terminate(10_000);
    },
    kill: async () => {
      child.kill('SIGKILL');
      await child.exited;
    },
  };
}
