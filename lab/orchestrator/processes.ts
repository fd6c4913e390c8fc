/**
 * The lab's processes, seen from outside: which processes descend from the lab (read from /proc, or `ps` where
 * there is no /proc), what each one is, and the `pids.json` file that lets a person (or the lab's test) check that
 * none outlives the lab.
 * @module
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

/** One process. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly command: string;
}

/** What the lab started, as written to `pids.json`. */
export interface LabPids {
  /** `node lab/run.ts`: forwards signals to the supervisor. */
  readonly lab: number;
  /** The lab's supervisor: owns every other process and stops them in order. */
  readonly supervisor: number;
  /** The supervisor's descendants when everything had started: `kafka`, `mosquitto`, `hec`, `logbridge`. */
  readonly children: readonly (ProcessInfo & { readonly name: string })[];
}

/** Every process of the machine that this user can see. */
export async function processTable(): Promise<ProcessInfo[]> {
  try {
    return await fromProc();
  } catch {
    return fromPs();
  }
}

/** The processes below `rootPid` (children, their children, …), not `rootPid` itself. */
export function descendantsOf(table: readonly ProcessInfo[], rootPid: number): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  const parents = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const process of table) {
      if (parents.has(process.ppid) && !parents.has(process.pid)) {
        parents.add(process.pid);
        found.push(process);
        grew = true;
      }
    }
  }
  return found;
}

/** What a lab process is, from its command line. */
export function roleOf(command: string): string {
  if (command.includes('kafka.Kafka')) return 'kafka';
  if (/(^|\/)mosquitto /.test(command)) return 'mosquitto';
  if (command.includes('hec/main.ts')) return 'hec';
  if (command.includes('cli/main.ts')) return 'logbridge';
  return 'other';
}

/** Writes `pids.json`. */
export async function writePids(file: string, pids: LabPids): Promise<void> {
  await writeFile(file, `${JSON.stringify(pids, null, 2)}\n`);
}

/** Whether a process exists (possibly as a zombie not yet reaped). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function fromProc(): Promise<ProcessInfo[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const table = await Promise.all(
    pids.map(async (pid) => {
      try {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
        // Fields after the command name, which is in parentheses and may itself hold spaces and parentheses.
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return { pid: Number(pid), ppid, command: cmdline.replaceAll('\0', ' ').trim() };
      } catch {
        return undefined; // it exited while we looked
      }
    }),
  );
  return table.filter((entry) => entry !== undefined);
}

async function fromPs(): Promise<ProcessInfo[]> {
  const { stdout } = await promisify(execFile)('ps', ['-A', '-ww', '-o', 'pid=,ppid=,args=']);
  return stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), command: match[3] ?? '' }));
}
