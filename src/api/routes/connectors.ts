/**
 * `/connectors`: Kafka Connect's connector resource — list, create, read, configure, status, pause, resume, stop,
 * restart, delete, tasks and topics — with secrets shown as `[hidden]`.
 * @module
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ApiError } from '../errors.ts';
import type { ConnectorService, ConnectorView, TargetState } from '../port.ts';
import { statusView } from '../status-view.ts';

type Config = Record<string, unknown>;
interface Named {
  Params: { name: string };
}

const INITIAL_STATES = new Set<TargetState>(['RUNNING', 'PAUSED', 'STOPPED']);

/** Helpers shared by the route groups. */
interface Views {
  info(slot: ConnectorView): Record<string, unknown>;
  status(slot: ConnectorView): Record<string, unknown>;
}

/** Who answers: the worker id and the plugin version that status shows (Kafka Connect 4.1 shows `version`). */
export interface Answering {
  readonly workerId: string;
  readonly version: string;
}

/** Registers the connector routes. */
export function connectorRoutes(app: FastifyInstance, service: ConnectorService, who: Answering): void {
  const views: Views = {
    info: (slot) => ({
      name: slot.name,
      config: { ...service.redact(slot.config), name: slot.name },
      tasks: taskIds(slot).map((task) => ({ connector: slot.name, task })),
      type: 'sink',
    }),
    // From the state the connector keeps: a reading of the offsets starts in the background, never awaited.
    status: (slot) => {
      if (slot.refreshOffsets === undefined) void slot.instance?.refreshOffsets();
      else slot.refreshOffsets();
      return statusView(slot.status(), who);
    },
  };
  readRoutes(app, service, views);
  writeRoutes(app, service);
  lifecycleRoutes(app, service, who);
  taskRoutes(app, service, views);
}

function readRoutes(app: FastifyInstance, service: ConnectorService, views: Views): void {
  const info = (slot: ConnectorView): Record<string, unknown> => views.info(slot);
  const status = (slot: ConnectorView): Record<string, unknown> => views.status(slot);
  app.get<{ Querystring: { expand?: string | string[] } }>('/connectors', (request) => {
    const expand = [request.query.expand ?? []].flat();
    if (expand.length === 0) return service.names();
    // No prototype: a name is data, never `__proto__` of the answer.
    const out = Object.create(null) as Record<string, Record<string, unknown>>;
    for (const name of service.names()) {
      const slot = service.slot(name);
      out[name] = {
        ...(expand.includes('status') ? { status: status(slot) } : {}),
        ...(expand.includes('info') ? { info: info(slot) } : {}),
      };
    }
    return out;
  });

  app.get<Named>('/connectors/:name', (request) => info(service.slot(request.params.name)));
  app.get<Named>('/connectors/:name/config', (request) => {
    const slot = service.slot(request.params.name);
    return { ...service.redact(slot.config), name: slot.name };
  });
  app.get<Named>('/connectors/:name/status', (request) => status(service.slot(request.params.name)));
  app.get<Named>('/connectors/:name/topics', (request) => {
    const slot = service.slot(request.params.name);
    const topics = typeof slot.config.topics === 'string' ? slot.config.topics.split(',') : [];
    return { [slot.name]: { topics: topics.map((t) => t.trim()).filter((t) => t !== '') } };
  });
}

function writeRoutes(app: FastifyInstance, service: ConnectorService): void {
  app.post<{ Body: unknown }>('/connectors', async (request, reply) => {
    const { name, config, initial } = creationOf(request.body);
    await service.create({ name, config }, initial);
    void reply.status(201).header('location', `/connectors/${encodeURIComponent(name)}`);
    // Kafka Connect 4.1 answers with the task it will run (none for a connector created STOPPED).
    const tasks = initial === 'STOPPED' ? [] : [{ connector: name, task: 0 }];
    return { name, config: { ...service.redact(config), name }, tasks, type: 'sink' };
  });

  app.put<Named & { Body: unknown }>('/connectors/:name/config', async (request, reply) => {
    const { name } = request.params;
    const config = configOf(request.body, name);
    const created = await service.putConfig(name, config);
    void reply.status(created ? 201 : 200);
    return {
      name,
      config: { ...service.redact(config), name },
      tasks: [{ connector: name, task: 0 }],
      type: 'sink',
    };
  });
  app.patch<Named & { Body: unknown }>('/connectors/:name/config', async (request) => {
    const { name } = request.params;
    // Entries, not assignments: a key `__proto__` stays a key (and is refused as unknown), never a prototype.
    const patch = Object.entries(configOf(request.body, name));
    const merged: Config = Object.fromEntries([
      ...Object.entries(service.slot(name).config).filter(([key]) => !patch.some(([k]) => k === key)),
      ...patch.filter(([, value]) => value !== null),
    ]);
    await service.putConfig(name, merged);
    return {
      name,
      config: { ...service.redact(merged), name },
      tasks: [{ connector: name, task: 0 }],
      type: 'sink',
    };
  });

  app.delete<Named>('/connectors/:name', async (request, reply) => {
    await service.delete(request.params.name);
    return reply.status(204).send();
  });
}

function lifecycleRoutes(app: FastifyInstance, service: ConnectorService, who: Answering): void {
  const target = async (
    name: string,
    state: TargetState,
    reply: FastifyReply,
    code: number,
  ): Promise<FastifyReply> => {
    await service.setTarget(name, state);
    return reply.status(code).send();
  };
  app.put<Named>('/connectors/:name/pause', (request, reply) =>
    target(request.params.name, 'PAUSED', reply, 202),
  );
  app.put<Named>('/connectors/:name/resume', (request, reply) =>
    target(request.params.name, 'RUNNING', reply, 202),
  );
  app.put<Named>('/connectors/:name/stop', (request, reply) =>
    target(request.params.name, 'STOPPED', reply, 204),
  );

  app.post<Named & { Querystring: { includeTasks?: string; onlyFailed?: string } }>(
    '/connectors/:name/restart',
    async (request, reply) => {
      const slot = service.slot(request.params.name);
      const includeTasks = request.query.includeTasks === 'true';
      const onlyFailed = request.query.onlyFailed === 'true';
      const restarting = !onlyFailed || slot.state === 'FAILED';
      // Connect answers with the states before the restart, RESTARTING on what is being restarted.
      const view = statusView(slot.status(), who) as { connector: object; tasks: object[] };
      await service.restart(slot.name, onlyFailed);
      if (!includeTasks && !onlyFailed) return reply.status(204).send();
      const state = restarting ? { state: 'RESTARTING' } : {};
      return reply.status(202).send({
        ...view,
        connector: { ...view.connector, ...state },
        tasks: view.tasks.map((task) => ({ ...task, ...(includeTasks ? state : {}) })),
      });
    },
  );
}

function taskRoutes(app: FastifyInstance, service: ConnectorService, views: Views): void {
  const status = (slot: ConnectorView): Record<string, unknown> => views.status(slot);
  app.get<Named>('/connectors/:name/tasks', (request) => {
    const slot = service.slot(request.params.name);
    const config = { ...service.redact(slot.config), name: slot.name };
    return taskIds(slot).map((task) => ({ id: { connector: slot.name, task }, config }));
  });
  app.get<Named & { Params: { id: string } }>('/connectors/:name/tasks/:id/status', (request) => {
    const view = status(service.slot(request.params.name)) as { tasks: { id: number }[] };
    const task = view.tasks.find((t) => String(t.id) === request.params.id);
    if (task === undefined)
      throw new ApiError(404, `Task ${request.params.name}-${request.params.id} not found`);
    return task;
  });
  app.post<Named & { Params: { id: string } }>(
    '/connectors/:name/tasks/:id/restart',
    async (request, reply) => {
      const slot = service.slot(request.params.name);
      // One definition runs in every process: restarting a task restarts the connector everywhere.
      if (!taskIds(slot).some((task) => String(task) === request.params.id)) {
        throw new ApiError(404, `Task ${request.params.name}-${request.params.id} not found`);
      }
      await service.restart(slot.name, false);
      return reply.status(204).send();
    },
  );
}

/** Task 0 is this process, then one per member process running the connector (`workers` > 1); none while STOPPED. */
function taskIds(slot: ConnectorView): number[] {
  if (slot.target === 'STOPPED') return [];
  return [0, ...(slot.status().members ?? []).map((m) => m.id)];
}

function creationOf(body: unknown): { name: string; config: Config; initial: TargetState } {
  if (typeof body !== 'object' || body === null)
    throw new ApiError(400, 'Request body must be a JSON object');
  const {
    name,
    config,
    initial_state: initial,
  } = body as { name?: unknown; config?: unknown; initial_state?: unknown };
  if (typeof name !== 'string' || name === '')
    throw new ApiError(400, 'Connector name must be a non-empty string');
  const state = initial === undefined ? 'RUNNING' : initial;
  if (typeof state !== 'string' || !INITIAL_STATES.has(state as TargetState)) {
    throw new ApiError(
      400,
      `Invalid initial_state ${JSON.stringify(initial)}: use RUNNING, PAUSED or STOPPED`,
    );
  }
  return { name, config: configOf(config ?? {}, name), initial: state as TargetState };
}

function configOf(body: unknown, name: string): Config {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'Connector configuration must be a JSON object of string properties');
  }
  const config = { ...(body as Config) };
  if (Object.hasOwn(config, '__proto__'))
    throw new ApiError(400, 'Connector configuration key __proto__ is not allowed');
  if ('name' in config && config.name !== name) {
    throw new ApiError(
      400,
      `Connector name configuration (${String(config.name)}) doesn't match connector name in the URL (${name})`,
    );
  }
  Reflect.deleteProperty(config, 'name');
  return config;
}
