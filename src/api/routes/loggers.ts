/**
 * `/admin/loggers` (KIP-495): read and change log levels at run time.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.ts';
import type { LogLevels } from '../port.ts';

/** Registers the logger routes. */
export function loggerRoutes(app: FastifyInstance, levels: LogLevels): void {
  app.get('/admin/loggers', () => levels.list());
  app.get<{ Params: { logger: string } }>('/admin/loggers/:logger', (request) => {
    const found = levels.list()[request.params.logger];
    if (found === undefined) throw new ApiError(404, `Logger ${request.params.logger} not found`);
    return found;
  });
  app.put<{ Params: { logger: string }; Body: unknown }>('/admin/loggers/:logger', (request) => {
    const level = (request.body as { level?: unknown } | null)?.level;
    if (typeof level !== 'string') throw new ApiError(400, 'The request body must be {"level": "<level>"}');
    try {
      return levels.set(request.params.logger, level.toLowerCase());
    } catch (error) {
      throw new ApiError(400, (error as Error).message);
    }
  });
}
