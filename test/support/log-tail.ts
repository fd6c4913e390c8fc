import { open } from 'node:fs/promises';

const maxTailBytes = 256 * 1024;

/** Java stack frames (`\tat …`, `\t... 22 more`): in an error message they crowd out the lines that say what failed. */
const stackFrame = /^\s+(at |\.\.\. \d+ more)/;

/** Lines that say what went wrong: log4j ERROR/FATAL lines and Java exception causes. */
const errorLine = /\] (ERROR|FATAL) |^Caused by: |^Error: /;

/**
 * The last lines of a log file, for error messages, without Java stack frames (the exception and `Caused by:` lines
 * stay). Never throws: an unreadable file yields a note saying so.
 *
 * @param file path of the log
 * @param lines how many lines at most @default 40
 */
export async function logTail(file: string, lines = 40): Promise<string> {
  const kept = (await readEnd(file)).filter((line) => !stackFrame.test(line));
  return kept.slice(-lines).join('\n');
}

/**
 * The ERROR/FATAL and `Caused by:` lines near the end of a log file (the last 256 KiB), the most telling part of
 * a failed start; `(none)` when there are none. Never throws.
 *
 * @param max how many lines at most, the first ones found @default 8
 */
export async function logErrors(file: string, max = 8): Promise<string> {
  const errors = (await readEnd(file)).filter((line) => errorLine.test(line)).slice(0, max);
  return errors.length === 0 ? '(none)' : errors.join('\n');
}

async function readEnd(file: string): Promise<string[]> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, maxTailBytes);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      return buffer.toString('utf8').trimEnd().split('\n');
    } finally {
      await handle.close();
    }
  } catch (error) {
    return [`(could not read ${file}: ${error instanceof Error ? error.message : String(error)})`];
  }
}
