/**
 * The shell commands shown in the project's Markdown, as the docs test reads them (rules in CONTRIBUTING.md,
 * "Commands in the docs"): fenced blocks tagged `sh`, `bash`, `shell` or `console` are commands line by line; in
 * untagged blocks only `$ ` lines are. Comments, heredoc bodies and output lines are not commands.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One command as shown: where, the text, and how its block is marked. */
export interface ShownCommand {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** `<!-- docs-test: run -->` before the block: run it whatever it is. */
  readonly run: boolean;
}

const SHELL = new Set(['sh', 'bash', 'shell', 'console']);

/** README.md, docs/**.md and connectors/examples/README.md, relative to `root`. */
export function markdownFiles(root: string): string[] {
  const docs = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? docs(join(dir, entry.name))
        : entry.name.endsWith('.md')
          ? [join(dir, entry.name)]
          : [],
    );
  return ['README.md', 'connectors/examples/README.md', ...docs('docs')];
}

/** Every command of a Markdown file, with blocks marked `<!-- docs-test: skip -->` left out. */
export function shownCommands(root: string, file: string): ShownCommand[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const out: ShownCommand[] = [];
  let i = 0;
  while (i < lines.length) {
    const fence = /^(\s*)```(\S*)/.exec(lines[i] ?? '');
    if (fence === null) {
      i += 1;
      continue;
    }
    const mark = markBefore(lines, i);
    const shell = SHELL.has(fence[2] ?? '');
    const end = lines.findIndex((line, at) => at > i && /^\s*```\s*$/.test(line));
    const body = lines.slice(i + 1, end === -1 ? lines.length : end);
    if (mark !== 'skip' && (shell || fence[2] === '')) {
      for (const command of commandsOf(body, shell)) {
        out.push({
          file: relative(root, join(root, file)),
          line: i + 2 + command.at,
          text: command.text,
          run: mark === 'run',
        });
      }
    }
    i = end === -1 ? lines.length : end + 1;
  }
  return out;
}

/** `run` or `skip` from a `<!-- docs-test: … -->` comment on the last non-blank line before line `at`. */
function markBefore(lines: readonly string[], at: number): string | undefined {
  let i = at - 1;
  while (i >= 0 && (lines[i] ?? '').trim() === '') i -= 1;
  return /<!--\s*docs-test:\s*(run|skip)\s*-->/.exec(lines[i] ?? '')?.[1];
}

function commandsOf(body: readonly string[], shell: boolean): { at: number; text: string }[] {
  const out: { at: number; text: string }[] = [];
  let heredoc: string | undefined;
  let pending: { at: number; text: string } | undefined;
  body.forEach((raw, at) => {
    if (heredoc !== undefined) {
      if (raw.trim() === heredoc) heredoc = undefined;
      return;
    }
    const prompt = /^\s*\$ (.*)$/.exec(raw);
    if (pending === undefined && !shell && prompt === null) return;
    let line = pending === undefined ? (prompt?.[1] ?? raw) : raw;
    if (pending === undefined && (line.trim() === '' || line.trim().startsWith('#'))) return;
    line = withoutComment(line);
    const continued = line.endsWith('\\');
    const text = `${pending?.text ?? ''}${continued ? line.slice(0, -1) : line} `;
    pending = { at: pending?.at ?? at, text };
    if (continued) return;
    const command = { at: pending.at, text: pending.text.replace(/\s+/g, ' ').trim() };
    pending = undefined;
    heredoc = /<<-?'?"?(\w+)'?"?/.exec(command.text)?.[1];
    out.push(command);
  });
  return out;
}

/** The line without a trailing `# comment` (a `#` after whitespace, outside quotes). */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) {
      return line.slice(0, i).trimEnd();
    }
  }
  return line.trimEnd();
}

/** The words of a command (quotes kept together, brackets of optional parts taken off). */
export function wordsOf(text: string): string[] {
  return (text.match(/'[^']*'|"[^"]*"|\S+/g) ?? []).map((word) => word.replace(/^\[+|\]+$/g, ''));
}

/** A word that stands for something the reader fills in. */
export function isPlaceholder(word: string): boolean {
  return /[<>…]|\.\.\./.test(word) || word === '';
}
