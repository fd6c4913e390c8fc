/**
 * What Linux says about a process, read from `/proc` (proc(5)): CPU time of all its threads, how its main thread
 * spent the wall clock, and its peak resident memory. Readings of a process that has exited are `undefined`.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Clock ticks per second of `utime`/`stime` (`getconf CLK_TCK`, 100 on every common kernel). */
const ticksPerSecond = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** One reading of a process. */
export interface ProcSample {
  /** Wall clock of the reading, ms (performance.now()). */
  readonly atMs: number;
  /** Processes read: the process and its descendants. */
  readonly processes: number;
  /** utime + stime of every thread of those processes, seconds. */
  readonly cpuSeconds: number;
  /** Main threads, summed: seconds on a CPU and seconds runnable but waiting for one (`schedstat`). */
  readonly mainRunSeconds: number;
  readonly mainWaitSeconds: number;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** utime + stime, seconds, from a `stat` file (fields 14 and 15; the command name may contain spaces). */
function cpuOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** `pid` and its descendants (the member processes of `workers=N`). */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i += 1) {
    const parent = tree[i] ?? -1;
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${parent}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      const children = read(`/proc/${parent}/task/${task}/children`)?.trim() ?? '';
      if (children !== '') tree.push(...children.split(' ').map(Number));
    }
  }
  return tree;
}

/** Reads CPU and main-thread scheduling of `pid` and its descendants. */
export function sampleProcess(pid: number): ProcSample | undefined {
  const atMs = performance.now();
  let cpuSeconds = 0;
  let mainRunSeconds = 0;
  let mainWaitSeconds = 0;
  const tree = processTree(pid);
  for (const member of tree) {
    const stat = read(`/proc/${member}/stat`);
    const schedstat = read(`/proc/${member}/task/${member}/schedstat`);
    if (stat === undefined || schedstat === undefined) {
      if (member === pid) return undefined;
      continue;
    }
    const [run = '0', wait = '0'] = schedstat.trim().split(' ');
    cpuSeconds += cpuOf(stat);
    mainRunSeconds += Number(run) / 1e9;
    mainWaitSeconds += Number(wait) / 1e9;
  }
  return { atMs, processes: tree.length, cpuSeconds, mainRunSeconds, mainWaitSeconds };
}

/** Figures between two readings of one process. */
export interface ProcWindow {
  readonly seconds: number;
  readonly cpuSeconds: number;
  /** CPU-seconds per wall second. */
  readonly cores: number;
  /**
   * Share of the wall time the main thread (the mean over processes) was neither running nor waiting for a CPU:
   * it had nothing to do.
   */
  readonly mainIdle: number;
  /** Processes read at the end: logbridge and its member processes. */
  readonly processes: number;
}

/** The figures between `from` and `to`. */
export function windowOf(from: ProcSample, to: ProcSample): ProcWindow {
  const seconds = (to.atMs - from.atMs) / 1000;
  const cpuSeconds = to.cpuSeconds - from.cpuSeconds;
  const busy = to.mainRunSeconds - from.mainRunSeconds + (to.mainWaitSeconds - from.mainWaitSeconds);
  return {
    seconds,
    cpuSeconds,
    cores: seconds > 0 ? cpuSeconds / seconds : 0,
    mainIdle: seconds > 0 ? Math.max(0, 1 - busy / (seconds * to.processes)) : 0,
    processes: to.processes,
  };
}

/** Peak resident set (`VmHWM`), bytes: the largest of `pid` and its descendants. */
export function peakRssBytes(pid: number): number | undefined {
  let peak: number | undefined;
  for (const member of processTree(pid)) {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(read(`/proc/${member}/status`) ?? '');
    if (match !== null) peak = Math.max(peak ?? 0, Number(match[1]) * 1024);
  }
  return peak;
}

/** Resident set now (`VmRSS`), bytes. */
export function rssBytes(pid: number): number | undefined {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(read(`/proc/${pid}/status`) ?? '');
  return match === null ? undefined : Number(match[1]) * 1024;
}

/** CPU-seconds of a process so far (0 once it is gone). */
export function cpuSecondsOf(pid: number): number {
  const stat = read(`/proc/${pid}/stat`);
  return stat === undefined ? 0 : cpuOf(stat);
}

/** The first process whose working directory is `dir` or whose command line contains `text`. */
export function findProcess(match: { readonly cwd?: string; readonly cmdline?: string }): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (match.cwd !== undefined && readlinkSync(`/proc/${entry}/cwd`) === match.cwd) return Number(entry);
      const cmdline = read(`/proc/${entry}/cmdline`)?.replaceAll('\0', ' ');
      if (match.cmdline !== undefined && cmdline?.includes(match.cmdline) === true) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

/** `/proc/loadavg`'s three load averages. */
export function loadAverage(): string {
  return (read('/proc/loadavg') ?? '? ? ?').split(' ').slice(0, 3).join(' ');
}
