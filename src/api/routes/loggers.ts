/**
 * `/admin/loggers` (KIP-495, KIP-976's `last_modified`): read and change log levels at run time, in Kafka Connect's
 * shapes: upper-case log4j level names, a PUT on a name no logger has yet creates it and answers the names changed.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.ts';
import type { LoggerLevel, LogLevels } from '../port.ts';

/** pino's level names as log4j (Kafka Connect) writes them. */
const TO_LOG4J: Readonly<Record<string, string>> = {
  fatal: 'FATAL',
  error: 'ERROR',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBUG',
  trace: 'TRACE',
  silent: 'OFF',
};
const FROM_LOG4J: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(TO_LOG4J).map(([pino, log4j]) => [log4j, pino])),
  ALL: 'trace',
  WARNING: 'warn',
};

/** Registers the logger routes. */
export function loggerRoutes(app: FastifyInstance, levels: LogLevels): void {
  app.get('/admin/loggers', () =>
    Object.fromEntries(Object.entries(levels.list()).map(([name, entry]) => [name, shown(entry)])),
  );
  app.get<{ Params: { logger: string } }>('/admin/loggers/:logger', (request) => {
    const found = levels.list()[request.params.logger];
    if (found === undefined) throw new ApiError(404, `Logger ${request.params.logger} not found.`);
    return shown(found);
  });
  app.put<{ Params: { logger: string }; Body: unknown }>('/admin/loggers/:logger', (request) => {
    const level = (request.body as { level?: unknown } | null)?.level;
    if (typeof level !== 'string') throw new ApiError(400, 'The request body must be {"level": "<level>"}');
    const pinoLevel = FROM_LOG4J[level.toUpperCase()];
    if (pinoLevel === undefined) {
      throw new ApiError(
        400,
        `Invalid log level '${level}'; use one of ${Object.values(TO_LOG4J).join(', ')}`,
      );
    }
    return levels.set(request.params.logger, pinoLevel);
  });
}

function shown(entry: LoggerLevel): { level: string; last_modified: number | null } {
  return { level: TO_LOG4J[entry.level] ?? entry.level.toUpperCase(), last_modified: entry.last_modified };
}
