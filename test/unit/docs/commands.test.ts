/**
 * Every shell command shown in README.md, docs/ and connectors/examples/README.md stays true: `./logbridge`
 * commands name commands and options that exist, the ones that run offline are run (help, `validate --offline`,
 * blocks marked `<!-- docs-test: run -->`), and none is written as a bare `logbridge` (the checkout has
 * `./logbridge`). The rules are in CONTRIBUTING.md, "Commands in the docs".
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPlaceholder, markdownFiles, type ShownCommand, shownCommands, wordsOf } from './shell-blocks.ts';

const root = join(import.meta.dirname, '../../..');
const commands = markdownFiles(root).flatMap((file) => shownCommands(root, file));
const TIMEOUT_MS = 120_000;

interface Help {
  readonly commands: readonly string[];
  readonly options: readonly string[];
}
const helps = new Map<string, Help>();

function sh(text: string): { code: number; output: string } {
  const result = spawnSync('bash', ['-c', text], { cwd: root, encoding: 'utf8', timeout: TIMEOUT_MS });
  return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** What `./logbridge <path> --help` lists. */
function helpOf(path: readonly string[]): Help {
  const key = path.join(' ');
  const known = helps.get(key);
  if (known !== undefined) return known;
  const { code, output } = sh(`./logbridge ${key} --help`);
  if (code !== 0) throw new Error(`./logbridge ${key} --help exited ${String(code)}:\n${output}`);
  const section = (name: string): string[] => {
    const start = output.indexOf(`\n${name}:\n`);
    if (start === -1) return [];
    const rest = output.slice(start + name.length + 3);
    return rest.slice(0, rest.search(/\n\S|$/)).split('\n');
  };
  const help = {
    commands: section('Commands').flatMap((line) => /^ {2}([a-z][\w-]*)/.exec(line)?.[1] ?? []),
    options: [
      ...section('Options')
        .join('\n')
        .matchAll(/--[a-z][\w-]*/g),
    ].map((m) => m[0]),
  };
  helps.set(key, help);
  return help;
}

/** The first word that is not an environment assignment. */
function programOf(words: readonly string[]): { program: string; rest: string[] } {
  const at = words.findIndex((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word));
  return { program: words[at] ?? '', rest: words.slice(at + 1) };
}

/** The command path (`offsets reset`) and the problems with its commands and options. */
function check(rest: readonly string[]): { path: string[]; problems: string[] } {
  const path: string[] = [];
  const problems: string[] = [];
  for (const word of rest) {
    if (word.startsWith('-') || isPlaceholder(word)) break;
    const alternatives = word.split('|');
    const known = helpOf(path).commands;
    if (!alternatives.every((alt) => known.includes(alt))) {
      if (known.length > 0 && path.length === 0) problems.push(`"${word}" is not a logbridge command`);
      break;
    }
    if (alternatives.length > 1) {
      for (const alt of alternatives) helpOf([...path, alt]);
      path.push(alternatives[0] ?? '');
      break;
    }
    path.push(word);
  }
  const options = new Set([...helpOf(path).options, '--help', '--version']);
  for (const word of rest) {
    const flag = word.split('=')[0] ?? '';
    if (/^--[a-z]/.test(flag) && !options.has(flag)) {
      problems.push(`${flag} is not an option of logbridge ${path.join(' ')}`);
    }
  }
  return { path, problems };
}

function runsOffline(command: ShownCommand, path: readonly string[], rest: readonly string[]): boolean {
  if (command.run) return true;
  if (rest.some((word) => ['--help', '-h', '--version', '-V'].includes(word))) return true;
  return path[0] === 'validate' && rest.includes('--offline') && !rest.some(isPlaceholder);
}

const where = (c: ShownCommand): string => `${c.file}:${String(c.line)}: ${c.text}`;

describe('commands in the docs', () => {
  it('finds the commands of README.md and docs/', () => {
    expect(commands.filter((c) => c.text.startsWith('./logbridge ')).length).toBeGreaterThan(10);
  });

  it('writes logbridge commands as ./logbridge (the checkout entry point)', () => {
    const bare = commands.filter((c) => programOf(wordsOf(c.text)).program === 'logbridge');
    expect(bare.map(where)).toEqual([]);
  });

  it(
    'names logbridge commands and options that exist, and each one that can run offline runs (exit 0)',
    () => {
      const problems: string[] = [];
      for (const command of commands) {
        const { program, rest } = programOf(wordsOf(command.text));
        if (program !== './logbridge' && !command.run) continue;
        const checked = program === './logbridge' ? check(rest) : { path: [], problems: [] };
        problems.push(...checked.problems.map((p) => `${where(command)}\n  ${p}`));
        if (checked.problems.length > 0 || !runsOffline(command, checked.path, rest)) continue;
        const { code, output } = sh(command.text);
        if (code !== 0) problems.push(`${where(command)}\n  exited ${String(code)}:\n${output}`);
      }
      expect(problems).toEqual([]);
    },
    TIMEOUT_MS * 4,
  );
});
