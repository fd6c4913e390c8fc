/**
 * The REST API (Kafka Connect's shape, port 8083), `/metrics`, `/healthz` and `/readyz`. `buildApi` returns the
 * fastify instance without listening, so tests use `inject()` and `main` alone listens.
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Connector } from '../engine/index.ts';
import { ApiError, connectorNotFound, type ErrorBody } from './errors.ts';
import { statusView } from './status-view.ts';

/** What the API serves. */
export interface ApiDeps {
  readonly connectors: () => ReadonlyMap<string, Connector>;
  readonly workerId: string;
  readonly version: string;
  readonly registry: Registry;
  readonly logger: Logger;
  /** When set, every request but /healthz and /readyz needs `Authorization: Bearer <token>`. */
  readonly authToken?: string | undefined;
}

const OPEN_PATHS = new Set(['/healthz', '/readyz']);

/** The API server: `listen`, `close` and, in tests, `inject`. */
export type ApiServer = FastifyInstance;

/** Builds the API (not listening). */
export function buildApi(deps: ApiDeps): ApiServer {
  const logger: FastifyBaseLogger = deps.logger.child({ component: 'api' });
  const app = fastify({ loggerInstance: logger, disableRequestLogging: true });
  if (deps.authToken !== undefined && deps.authToken !== '') app.addHook('onRequest', bearer(deps.authToken));
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = error instanceof ApiError ? error.statusCode : (error.statusCode ?? 500);
    const body: ErrorBody = { error_code: status, message: error.message };
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error_code: 404, message: `${request.method} ${request.url} not found` });
  });
  const find = (name: string): Connector => {
    const connector = deps.connectors().get(name);
    if (connector === undefined) throw connectorNotFound(name);
    return connector;
  };

  app.get('/', () => ({ version: deps.version, commit: '', kafka_cluster_id: '', logbridge: true }));
  app.get('/connectors', () => [...deps.connectors().keys()]);
  app.get<{ Params: { name: string } }>('/connectors/:name/status', async (request) => {
    const connector = find(request.params.name);
    await connector.refreshOffsets();
    return statusView(connector.status(), deps.workerId);
  });
  app.get('/metrics', async (_request, reply) => {
    void reply.header('content-type', deps.registry.contentType);
    return deps.registry.metrics();
  });
  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', (_request, reply) => {
    const notReady = [...deps.connectors().values()]
      .filter((c) => c.state !== 'RUNNING' && c.state !== 'PAUSED')
      .map((c) => `${c.name}: ${c.state}`);
    void reply.status(notReady.length === 0 ? 200 : 503);
    return { ready: notReady.length === 0, ...(notReady.length > 0 ? { waiting: notReady } : {}) };
  });
  return app;
}

function bearer(token: string): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const expected = Buffer.from(`Bearer ${token}`);
  return async (request, reply) => {
    if (OPEN_PATHS.has(request.url.split('?')[0] ?? '')) return;
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      await reply.status(401).send({ error_code: 401, message: 'missing or wrong bearer token' });
    }
  };
}
