/**
 * User patterns under attack (issue #12's corpus): how logbridge compiles each one for V8's linear-time engine and
 * how long one match takes on 64 KiB of hostile text, against V8's backtracking engine as it ran before (with the
 * `--enable-experimental-regexp-engine-on-excessive-backtracks` fallback of the shebang). Backtracking runs go in
 * child processes with a deadline, since they may not finish. Not a test: figures only.
 *
 *   node bench/regex.ts [kib=64] [deadlineSeconds=30]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { compileUserRegex } from '../src/transforms/index.ts';

/** The corpus, each with the text that makes a backtracking engine work hardest. */
const CORPUS: readonly { readonly source: string; readonly text: (chars: number) => string }[] = [
  { source: '\\s+$', text: (n) => `${' '.repeat(n - 1)}x` },
  { source: '\\s*a\\s*b', text: (n) => ' '.repeat(n) },
  { source: '.*a.*a.*a.*b', text: (n) => 'a'.repeat(n) },
  { source: '(a?){25}a{25}', text: (n) => `${'a'.repeat(24)}b`.repeat(Math.ceil(n / 25)).slice(0, n) },
];

const [mode, indexArg, kibArg] = process.argv.slice(2);
if (mode === '--backtracking') {
  // Child: one match with the backtracking engine.
  const entry = CORPUS[Number(indexArg)];
  if (entry === undefined) throw new Error('no such pattern');
  const text = entry.text(Number(kibArg) * 1024);
  const regex = new RegExp(entry.source);
  const start = process.hrtime.bigint();
  regex.test(text);
  console.log(Number(process.hrtime.bigint() - start) / 1e6);
} else {
  main(Number(mode ?? 64), Number(indexArg ?? 30));
}

function main(kib: number, deadlineSeconds: number): void {
  const shebang =
    readFileSync(new URL('../src/cli/main.ts', import.meta.url), 'utf8').split('\n', 1)[0] ?? '';
  const flags = shebang.split(' ').filter((part) => part.startsWith('--'));
  console.log(`one match on ${String(kib)} KiB of hostile text; backtracking runs with ${flags.join(' ')}`);
  console.log(
    'pattern            | compiled for the linear engine        | linear, ms | backtracking, ms (8 KiB, 16 KiB, 64 KiB)',
  );
  CORPUS.forEach((entry, index) => {
    const compiled = compileUserRegex(entry.source);
    if (!(compiled instanceof RegExp)) {
      console.log(`${entry.source.padEnd(18)} | refused: ${compiled.problem}`);
      return;
    }
    const text = entry.text(kib * 1024);
    const linear = bestOf(5, () => compiled.test(text));
    const backtracking = [8, 16, kib].map((size) => childMatch(index, size, flags, deadlineSeconds));
    const shown = compiled.source.length > 36 ? `${compiled.source.slice(0, 33)}...` : compiled.source;
    console.log(
      `${entry.source.padEnd(18)} | /${shown}/${compiled.flags}`.padEnd(61) +
        ` | ${linear.toFixed(1).padStart(10)} | ${backtracking.join(', ')}`,
    );
  });
}

function bestOf(runs: number, run: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    run();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}

function childMatch(index: number, kib: number, flags: readonly string[], deadlineSeconds: number): string {
  const child = spawnSync(
    process.execPath,
    [...flags, new URL(import.meta.url).pathname, '--backtracking', String(index), String(kib)],
    { encoding: 'utf8', timeout: deadlineSeconds * 1000 },
  );
  if (child.signal !== null) return `> ${String(deadlineSeconds)} s`;
  return Number(child.stdout.trim()).toFixed(0);
}
