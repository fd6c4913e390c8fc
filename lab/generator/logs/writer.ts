/**
 * The contract of a log writer: given a container and a moment, the line or lines that its process writes to
 * stdout or stderr in one go (a log statement, or a statement followed by its stack trace).
 * @module
 */
import type { Container } from '../fleet.ts';
import type { SeededRandom } from '../random.ts';

/** The stream a line was written to, as CRI log files record it. */
export type Stream = 'stdout' | 'stderr';

/** One line a process wrote, without its newline. */
export interface LogLine {
  readonly stream: Stream;
  readonly text: string;
}

/** What a writer works with. */
export interface LineContext {
  readonly random: SeededRandom;
  readonly container: Container;
  /** When the process wrote the line, epoch milliseconds (the CRI timestamp comes a little later). */
  readonly timeMs: number;
}

/** Writes one log statement: one line, or several (a stack trace). Pure: all randomness comes from `random`. */
export type LogWriter = (context: LineContext) => readonly LogLine[];

/** Severity, as the app-domain messages pick it; each writer spells it its own way. */
export type Level = 'debug' | 'info' | 'warn' | 'error';

/** A level with the mix of a busy production service: mostly info, some debug and warn, a few errors. */
export function pickLevel(random: SeededRandom): Level {
  const roll = random.next();
  if (roll < 0.1) return 'debug';
  if (roll < 0.8) return 'info';
  if (roll < 0.93) return 'warn';
  return 'error';
}
