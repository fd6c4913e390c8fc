/**
 * The endpoints the console reads, in Kafka Connect's style (resources under `/connectors/{name}/`, JSON bodies,
 * errors as `{"error_code", "message"}`, the server's bearer token):
 *
 * - `GET  /connectors/{name}/partitions`      committed, end, lag in records and seconds, in flight, paused
 * - `GET  /connectors/{name}/throughput`      records in and events out per sink per second, latency p50/p99
 * - `GET  /connectors/{name}/dead-letters`    counts by stage and reason, the latest few (`?limit=`, ≤ 50)
 * - `POST /connectors/{name}/offsets/plan`    a reset plan (`{"to": "earliest"|"latest"|"datetime", "at"?}`)
 * - `POST /connectors/{name}/preview`         sample records through the transforms and encoders
 *
 * A reset is then carried out with Kafka Connect's calls: `PUT …/stop`, `PATCH …/offsets`, `PUT …/resume`.
 * The two POSTs change nothing (the preview sends, commits and dead-letters nothing; the plan only reads offsets),
 * so `rest.read.only` serves them. Their bodies name no file and no environment value: a preview runs the samples
 * it is given, or records of the connector's own topics, through the connector as its operator defined it.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.ts';
import type { ConnectorService } from '../port.ts';
import type { History } from './history.ts';
import type { ConsoleService, ResetRequest } from './port.ts';

/** `POST /connectors/{name}/preview` and `…/offsets/plan`: the POSTs that are reads. */
const READ_POST = /^\/connectors\/[^/]+\/(?:preview|offsets\/plan)$/;

/** Whether a POST to `path` (no query) only computes an answer. */
export function isConsoleReadPost(path: string): boolean {
  return READ_POST.test(path);
}

interface Named {
  Params: { name: string };
}

/** Registers the console's endpoints. */
export function consoleRoutes(
  app: FastifyInstance,
  deps: { readonly service: ConnectorService; readonly ui: ConsoleService; readonly history: History },
): void {
  const { service, ui, history } = deps;
  const known = (name: string): string => service.slot(name).name;
  app.get<Named>('/connectors/:name/partitions', async (request) => ({
    partitions: await ui.partitions(known(request.params.name)),
  }));
  app.get<Named>('/connectors/:name/throughput', (request) => ({
    points: history.points(known(request.params.name)),
  }));
  app.get<Named & { Querystring: { limit?: string } }>('/connectors/:name/dead-letters', (request) => {
    const limit = Math.min(50, Math.max(1, Number(request.query.limit ?? '10') || 10));
    return ui.deadLetters(known(request.params.name), limit);
  });
  app.post<Named & { Body: unknown }>('/connectors/:name/offsets/plan', (request) =>
    ui.planReset(known(request.params.name), resetRequestOf(request.body)),
  );
  app.post<Named & { Body: unknown }>('/connectors/:name/preview', (request) =>
    ui.preview(known(request.params.name), request.body),
  );
}

function resetRequestOf(body: unknown): ResetRequest {
  const { to, at } = (body ?? {}) as { to?: unknown; at?: unknown };
  if (to === 'earliest' || to === 'latest') return { to };
  if (to === 'datetime') {
    const time = typeof at === 'string' ? new Date(at) : undefined;
    if (time === undefined || Number.isNaN(time.getTime()) || !/(Z|[+-]\d{2}:\d{2})$/i.test(String(at))) {
      throw new ApiError(400, '"at" must be an ISO 8601 time with its zone, e.g. 2026-11-24T08:00:00Z');
    }
    return { to, at: time };
  }
  throw new ApiError(
    400,
    'the body must be {"to": "earliest"}, {"to": "latest"} or {"to": "datetime", "at": "<ISO>"}',
  );
}
