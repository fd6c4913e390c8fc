/**
 * `logbridge run`: starts the worker with connector files, stops it gracefully on SIGTERM/SIGINT (drain, commit,
 * leave the group, exit 0). A second signal exits at once.
 * @module
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { collectDefaultMetrics } from 'prom-client';
import { type ApiServer, buildApi } from '../api/index.ts';
import { loadWorkerConfig, readDefinitionFile, type ConnectorDefinition } from '../config/index.ts';
import { InvalidConnectorError, Worker } from '../worker/index.ts';
import { createLogger } from './logger.ts';

/** Exit codes of `logbridge` (documented in the README). */
export const EXIT = { ok: 0, invalid: 1, usage: 2, failed: 3 } as const;

/** Options of `run`. */
export interface RunOptions {
  readonly config?: string;
  /** Reported by `GET /`. */
  readonly version: string;
}

/** Runs until a signal; resolves with the exit code. */
export async function run(files: readonly string[], options: RunOptions): Promise<number> {
  const config = loadWorkerConfig(options.config);
  const logger = createLogger(config.log.level, config.worker.id);
  const definitions = readDefinitions([...files, ...filesIn(config.connectors.dir)]);
  if ('problems' in definitions) {
    for (const problem of definitions.problems) logger.error(problem);
    return EXIT.invalid;
  }
  if (definitions.list.length === 0) {
    logger.error('no connector to run: pass connector files, or set connectors.dir');
    return EXIT.usage;
  }
  const worker = new Worker(config, logger);
  const api = await startApi(worker, options.version, logger);
  const stopped = onSignals(async (signal) => {
    logger.info({ signal }, 'stopping: draining in-flight records, then committing');
    await worker.stop();
    await api.close();
  });
  try {
    for (const definition of definitions.list) await worker.start(definition);
  } catch (error) {
    if (error instanceof InvalidConnectorError) logger.error(error.message);
    else logger.error({ err: error }, 'connector start failed');
    await worker.stop();
    await api.close();
    return EXIT.invalid;
  }
  logger.info({ connectors: definitions.list.map((d) => d.name) }, 'logbridge running');
  await stopped;
  logger.info('logbridge stopped');
  return EXIT.ok;
}

/** Serves the REST API, metrics and health (unless rest.port is 0) from before the connectors start. */
async function startApi(worker: Worker, version: string, logger: Logger): Promise<ApiServer> {
  const { config } = worker;
  collectDefaultMetrics({ register: worker.registry, prefix: 'logbridge_' });
  const api = buildApi({
    connectors: () => worker.connectors,
    workerId: config.worker.id,
    version,
    registry: worker.registry,
    logger,
    authToken: config.rest.auth.token,
  });
  if (config.rest.port !== 0) {
    const address = await api.listen({ host: config.rest.host, port: config.rest.port });
    logger.info({ address }, 'REST API listening');
  }
  return api;
}

function readDefinitions(files: readonly string[]): { list: ConnectorDefinition[] } | { problems: string[] } {
  const list: ConnectorDefinition[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const { definition, issues } = readDefinitionFile(file);
    if (definition !== undefined) list.push(definition);
    problems.push(...issues.map((issue) => `${issue.path}: ${issue.message}`));
  }
  return problems.length > 0 ? { problems } : { list };
}

function filesIn(dir: string): string[] {
  if (dir === '') return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(dir, name));
}

/** Resolves after the first SIGTERM/SIGINT's handler finished; a second signal exits at once. */
function onSignals(handler: (signal: NodeJS.Signals) => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const listener = (signal: NodeJS.Signals): void => {
      if (stopping) {
        process.exit(130);
      }
      stopping = true;
      void handler(signal).finally(resolve);
    };
    process.on('SIGTERM', listener);
    process.on('SIGINT', listener);
  });
}
