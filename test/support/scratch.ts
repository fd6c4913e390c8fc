import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { scratchRoot } from './paths.ts';

const ownerFile = 'owner.pid';
const keepFile = 'KEEP';

/** A directory under `.tmp/` owned by this process, for one peer's data, config and log. */
export interface ScratchDir {
  /** Absolute path, `.tmp/<kind>-<random>`. */
  readonly path: string;
  /** Marks it to be kept by {@link ScratchDir.remove} and by later sweeps (after a failure, or on request). */
  keep(reason: string): Promise<void>;
  /** Deletes it, unless {@link ScratchDir.keep} was called and `evenIfKept` is not set. */
  remove(options?: { readonly evenIfKept?: boolean }): Promise<void>;
}

/**
 * Creates `.tmp/<kind>-<random>` and first deletes the `<kind>-*` directories left by runs that died without
 * cleaning up (their owner process is gone and they were not marked to be kept).
 *
 * @param kind short peer name, e.g. `kafka` or `mosquitto`
 */
export async function createScratchDir(kind: string): Promise<ScratchDir> {
  await mkdir(scratchRoot, { recursive: true });
  await sweepAbandoned(kind);
  const path = `${scratchRoot}/${kind}-${randomBytes(4).toString('hex')}`;
  await mkdir(path);
  await writeFile(`${path}/${ownerFile}`, `${process.pid}\n`);
  let kept = false;
  return {
    path,
    async keep(reason) {
      kept = true;
      await writeFile(`${path}/${keepFile}`, `${reason}\n`);
    },
    async remove(options = {}) {
      if (!kept || options.evenIfKept === true) await rm(path, { recursive: true, force: true });
    },
  };
}

async function sweepAbandoned(kind: string): Promise<void> {
  const names = (await readdir(scratchRoot)).filter((name) => name.startsWith(`${kind}-`));
  await Promise.all(
    names.map(async (name) => {
      const path = `${scratchRoot}/${name}`;
      if (await isAbandoned(path)) await rm(path, { recursive: true, force: true });
    }),
  );
}

async function isAbandoned(path: string): Promise<boolean> {
  if (await exists(`${path}/${keepFile}`)) return false;
  const owner = Number.parseInt(await readFile(`${path}/${ownerFile}`, 'utf8').catch(() => ''), 10);
  return Number.isInteger(owner) && !isAlive(owner);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
