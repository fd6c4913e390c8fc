/**
 * The REST API (Kafka Connect's shape, port 8083), `/metrics`, `/healthz` and `/readyz`. `buildApi` returns the
 * fastify instance without listening, so tests use `inject()` and the CLI alone listens.
 * @module
 */
import fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { AccessControl } from './auth.ts';
import { ApiError, type ErrorBody } from './errors.ts';
import type { ConnectorService, LogLevels } from './port.ts';
import { connectorRoutes } from './routes/connectors.ts';
import { loggerRoutes } from './routes/loggers.ts';
import { offsetRoutes } from './routes/offsets.ts';
import { pluginRoutes } from './routes/plugins.ts';
import { History } from './ui/history.ts';
import type { ConsoleService } from './ui/port.ts';
import { consoleRoutes, isConsoleReadPost } from './ui/routes.ts';
import { isConsoleFile, staticRoutes } from './ui/static.ts';

/** What the API serves. */
export interface ApiDeps {
  readonly service: ConnectorService;
  readonly workerId: string;
  readonly version: string;
  readonly registry: Registry;
  /**
   * The metrics `/metrics` and the console's charts read, when they are more than `registry` (`workers` > 1: the
   * member processes' metrics merged in). @default `registry`
   */
  readonly metrics?: (() => Promise<Registry>) | undefined;
  readonly logger: Logger;
  readonly levels: LogLevels;
  /** When set, every request but /healthz, /readyz and the console's files needs `Authorization: Bearer <token>`. */
  readonly authToken?: string | undefined;
  /** A second token, for `GET /metrics` only. */
  readonly metricsToken?: string | undefined;
  /** Serve reads only; every change is refused with 403 (the console's preview and reset plan are reads). */
  readonly readOnly?: boolean | undefined;
  /** The console at `/ui` and its endpoints, when given. */
  readonly console?: ConsoleService | undefined;
  /** How often the console's charts are sampled, ms. @default 5000 */
  readonly historyIntervalMs?: number;
}

const STATUS_OF_KIND: Readonly<Record<string, number>> = { invalid: 400, 'not-found': 404, conflict: 409 };

/** The API server: `listen`, `close` and, in tests, `inject`. */
export type ApiServer = FastifyInstance;

/** Builds the API (not listening). */
export function buildApi(deps: ApiDeps): ApiServer {
  const logger: FastifyBaseLogger = deps.logger.child({ component: 'api' });
  const app = fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  const access = accessControlOf(deps);
  access.install(app);
  acceptEmptyJson(app);
  app.setErrorHandler((error: Error & { statusCode?: number; kind?: string }, request, reply) => {
    const status =
      error instanceof ApiError
        ? error.statusCode
        : (STATUS_OF_KIND[error.kind ?? ''] ??
          (error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500));
    if (status >= 500) logger.error({ err: error, url: request.url }, 'REST request failed');
    const body: ErrorBody = { error_code: status, message: error.message };
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error_code: 404, message: `${request.method} ${request.url} not found` });
  });

  app.get('/', () => ({
    version: deps.version,
    commit: '',
    kafka_cluster_id: '',
    logbridge: { mode: deps.service.mode },
  }));
  connectorRoutes(app, deps.service, { workerId: deps.workerId, version: deps.version });
  offsetRoutes(app, deps.service);
  pluginRoutes(app, deps.service, deps.version);
  loggerRoutes(app, deps.levels);
  healthRoutes(app, deps, access);
  if (deps.console !== undefined) consoleOf(app, deps, deps.console);
  return app;
}

/** Who may call what: the tokens, read-only mode, and what the console adds to both. */
function accessControlOf(deps: ApiDeps): AccessControl {
  const withConsole = deps.console !== undefined;
  return new AccessControl({
    token: deps.authToken,
    metricsToken: deps.metricsToken,
    readOnly: deps.readOnly,
    // The console's page, script and styles hold no data: the browser fetches them before it has a token.
    isOpen: withConsole ? isConsoleFile : undefined,
    // A preview and a reset plan change nothing: a read-only console still shows them.
    isReadPost: withConsole ? isConsoleReadPost : undefined,
  });
}

/** The console at /ui, its endpoints and the sampler of its charts (stopped when the server closes). */
function consoleOf(app: FastifyInstance, deps: ApiDeps, ui: ConsoleService): void {
  const history = new History(metricsOf(deps));
  history.start(deps.historyIntervalMs ?? 5000);
  app.addHook('onClose', (_instance, done) => {
    history.stop();
    done();
  });
  consoleRoutes(app, { service: deps.service, ui, history });
  staticRoutes(app);
}

/**
 * `/metrics`, `/healthz` (the process works) and `/readyz` (every connector not STOPPED is RUNNING or PAUSED; the
 * waiting connectors are named to an authenticated caller only).
 */
function healthRoutes(app: FastifyInstance, deps: ApiDeps, access: AccessControl): void {
  const metrics = metricsOf(deps);
  app.get('/metrics', async (_request, reply) => {
    const registry = await metrics();
    void reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', (request, reply) => {
    const waiting = deps.service
      .names()
      .map((name) => deps.service.slot(name))
      .filter((slot) => slot.target !== 'STOPPED' && slot.state !== 'RUNNING' && slot.state !== 'PAUSED')
      .map((slot) => `${slot.name}: ${slot.state}`);
    void reply.status(waiting.length === 0 ? 200 : 503);
    const named = waiting.length > 0 && access.accessOf(request) === 'admin';
    return { ready: waiting.length === 0, ...(named ? { waiting } : {}) };
  });
}

function metricsOf(deps: ApiDeps): () => Promise<Registry> {
  return deps.metrics ?? (() => Promise.resolve(deps.registry));
}

/** Kafka Connect clients send `Content-Type: application/json` with no body on PUT pause/resume/stop. */
function acceptEmptyJson(app: FastifyInstance): void {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new ApiError(400, `Request body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });
}
