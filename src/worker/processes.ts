/**
 * How many processes the `workers` setting asks for. `auto` fits the container: one process per CPU of its CPU
 * limit, and no more than its memory limit holds at {@link memoryPerProcess} each. On this project's 2-core
 * machine two processes move 15–20 % more events than one (`make bench-e2e`, min and full profiles: one process
 * uses about 1.3 cores, its main thread being the limit).
 * @module
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

const MiB = 1024 * 1024;

/**
 * Memory one process may need at full load, bytes: 384 MiB, or twice the V8 heap limit when that is more (the Helm
 * chart gives the heap a quarter of the memory limit). With the `logbridge` command's 128 MiB old space its peak RSS
 * at default settings is 200–220 MiB without MQTT and ~320 MiB with it (bench/e2e.ts).
 */
export function memoryPerProcess(heapLimitBytes: number = getHeapStatistics().heap_size_limit): number {
  return Math.max(384 * MiB, 2 * heapLimitBytes);
}

type ReadFile = (path: string) => string | undefined;

const readOrUndefined: ReadFile = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** What the container gives this process. */
export interface Limits {
  /** CPUs, possibly fractional (a cgroup quota). */
  readonly cpus: number;
  /** Memory, bytes. */
  readonly memoryBytes: number;
}

/**
 * The CPUs and memory this process may use: the CPUs it may run on and the machine's memory, or less where its
 * cgroup sets a limit (v2 `cpu.max` "<quota> <period>" and `memory.max`; v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`
 * and `memory.limit_in_bytes`; Kubernetes writes `limits.cpu` and `limits.memory` there).
 */
export function containerLimits(
  read: ReadFile = readOrUndefined,
  machine: Limits = { cpus: availableParallelism(), memoryBytes: totalmem() },
): Limits {
  const quota = cgroupCpus(read);
  const memory = cgroupMemory(read);
  return {
    cpus: quota === undefined ? machine.cpus : Math.min(machine.cpus, quota),
    memoryBytes: memory === undefined ? machine.memoryBytes : Math.min(machine.memoryBytes, memory),
  };
}

function cgroupCpus(read: ReadFile): number | undefined {
  const v2 = read('/sys/fs/cgroup/cpu.max')?.trim().split(/\s+/);
  if (v2 !== undefined) return ratio(v2[0], v2[1]);
  return ratio(
    read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us')?.trim(),
    read('/sys/fs/cgroup/cpu/cpu.cfs_period_us')?.trim(),
  );
}

function ratio(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota);
  const p = Number(period);
  // "max" (v2) and -1 (v1) mean no quota.
  if (!Number.isFinite(q) || q <= 0 || !Number.isFinite(p) || p <= 0) return undefined;
  return q / p;
}

function cgroupMemory(read: ReadFile): number | undefined {
  const text = (
    read('/sys/fs/cgroup/memory.max') ?? read('/sys/fs/cgroup/memory/memory.limit_in_bytes')
  )?.trim();
  const bytes = Number(text);
  // "max" (v2) means no limit; v1 writes a number near 2^63 instead.
  return Number.isFinite(bytes) && bytes > 0 && bytes < 2 ** 60 ? bytes : undefined;
}

/**
 * The number of processes for a `workers` setting: a number as given; `auto` one per whole CPU of the limits and
 * one per {@link memoryPerProcess} of memory, whichever is fewer, at least 1.
 */
export function workerProcesses(
  setting: string | number,
  limits: Limits = containerLimits(),
  perProcessBytes: number = memoryPerProcess(),
): number {
  if (setting !== 'auto') return Number(setting);
  return Math.max(1, Math.min(Math.floor(limits.cpus), Math.floor(limits.memoryBytes / perProcessBytes)));
}
