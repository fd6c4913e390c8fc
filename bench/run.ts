/**
 * Runs every benchmark one after the other, each in its own process with the heap settings of the `logbridge`
 * command, and prints their figures. `make bench` calls it; pass names to run some: `node bench/run.ts engine hec`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const here = new URL('.', import.meta.url);
const shebang = readFileSync(new URL('../src/cli/main.ts', import.meta.url), 'utf8').split('\n', 1)[0] ?? '';
const heapFlags = shebang.split(' ').filter((part) => part.startsWith('--'));
/** Benchmarks that are tools rather than figures of a component, or need flags of their own. */
const SPECIAL: Readonly<Record<string, readonly string[]>> = { 'memory-per-record': ['--expose-gc'] };
// e2e has its own target (make bench-e2e): it runs for minutes.
const SKIP = new Set(['run', 'report', 'e2e']);

const all = readdirSync(here)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => name.slice(0, -3))
  .filter((name) => !SKIP.has(name));
const wanted = process.argv.slice(2);
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n=== bench/${name}.ts`);
  const flags = [...heapFlags, ...(SPECIAL[name] ?? [])];
  const result = spawnSync(process.execPath, [...flags, new URL(`${name}.ts`, here).pathname], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed === 0 ? 0 : 1;
