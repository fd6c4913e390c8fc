/**
 * The process logger: pino JSON lines on stdout, secrets redacted.
 * @module
 */
import { pino, type Logger } from 'pino';
import { LOG_REDACT_PATHS } from '../config/index.ts';

/** Creates the root logger. */
export function createLogger(level: string, workerId: string): Logger {
  return pino({
    level,
    base: { worker: workerId },
    redact: { paths: LOG_REDACT_PATHS, censor: '[hidden]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
