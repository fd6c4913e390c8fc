/**
 * How many processes the `workers` setting asks for. `auto` fits the CPU limit of the container: one process uses
 * about 1.3 cores at full load (its main thread, kafkajs's socket reads, the garbage collector's and zlib's
 * threads: `make bench-e2e`), so a second process pays only where the limit leaves room for it.
 * @module
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Cores one logbridge process uses at full load (bench/e2e.ts, min and full profiles: 1.27–1.30). */
export const CORES_PER_PROCESS = 1.3;

type ReadFile = (path: string) => string | undefined;

const readOrUndefined: ReadFile = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * The CPUs this process may use: the CPUs it may run on, or less when its cgroup has a CPU quota (cgroup v2
 * `cpu.max` "<quota> <period>", v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`; Kubernetes writes `limits.cpu` there).
 */
export function cpuLimit(read: ReadFile = readOrUndefined, cpus: number = availableParallelism()): number {
  const quota = cgroupQuota(read);
  return quota === undefined ? cpus : Math.min(cpus, quota);
}

function cgroupQuota(read: ReadFile): number | undefined {
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

/** The number of processes for a `workers` setting: a number as given; `auto` from the CPU limit, at least 1. */
export function workerProcesses(setting: string | number, cpus: number = cpuLimit()): number {
  if (setting !== 'auto') return Number(setting);
  return Math.max(1, Math.floor(cpus / CORES_PER_PROCESS));
}
