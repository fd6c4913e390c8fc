/**
 * `logbridge run`: starts the worker with connector files (standalone) or the config topic (distributed), serves
 * the REST API, and stops gracefully on SIGTERM/SIGINT (drain, commit, leave the group, exit 0). A second signal
 * exits at once.
 * @module
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { collectDefaultMetrics } from 'prom-client';
import type { AddressInfo } from 'node:net';
import { type ApiServer, buildApi, checkExposure, UnprotectedApiError } from '../api/index.ts';
import { STOP_GRACE_MS, type StopReport } from '../engine/index.ts';
import {
  type ConnectorDefinition,
  formatIssue,
  loadWorkerConfig,
  readDefinitionFile,
  type WorkerConfig,
} from '../config/index.ts';
import {
  type ConfigStore,
  configTopicStore,
  InvalidConnectorError,
  MemberProcesses,
  MemoryConfigStore,
  mergedMetrics,
  MirroredStore,
  Worker,
  workerProcesses,
} from '../worker/index.ts';
import { spawnMember } from './spawn-member.ts';
import { LogLevels } from './logger.ts';
import { SummaryLog } from './summary.ts';

/** Exit codes of `logbridge` (documented in the README). */
export const EXIT = { ok: 0, invalid: 1, usage: 2, failed: 3, refused: 4, interrupted: 130 } as const;

/** Options of `run`. */
export interface RunOptions {
  readonly config?: string;
  /** Reported by `GET /`. */
  readonly version: string;
}

/** Runs until a signal; resolves with the exit code. */
export async function run(files: readonly string[], options: RunOptions): Promise<number> {
  const config = loadWorkerConfig(options.config);
  const levels = new LogLevels(config.log.level, config.worker.id);
  const logger = levels.root;
  const definitions = readDefinitions([...files, ...filesIn(config.connectors.dir)], logger);
  if (definitions === undefined) return EXIT.invalid;
  const { store, members, processes } = storesFor(config, definitions, options.config, logger);
  const worker = new Worker(config, logger, {
    store,
    operatorDefinitions: definitions,
    ...(members === undefined ? {} : { members }),
  });
  if (!allValid(worker, definitions, logger)) return EXIT.invalid;
  const api = await startApi(worker, options.version, levels, members).catch(refusedWith(logger));
  if (api === undefined) return EXIT.invalid;
  const summary = new SummaryLog(worker, logger, config.log.summary_interval_ms);
  let reason = 'not stopped';
  const stopped = onSignals(async (signal) => {
    summary.stop();
    logger.info({ signal }, 'stopping: draining in-flight records, then committing');
    reason = stopReason(await worker.stop());
    await api.close();
  });
  try {
    // A signal during start-up (a broker that never answers) stops without waiting for the start to finish.
    await Promise.race([worker.open().then(() => seed(worker, definitions)), stopped]);
  } catch (error) {
    logger.error({ err: error }, 'worker start failed');
    await worker.stop().catch(() => undefined);
    await api.close();
    return error instanceof InvalidConnectorError ? EXIT.invalid : EXIT.failed;
  }
  logger.info({ mode: worker.mode, connectors: worker.names(), processes }, 'logbridge running');
  summary.start();
  await stopped;
  logger.info({ reason }, 'logbridge stopped');
  return EXIT.ok;
}

/**
 * Where the worker keeps its connectors: files in memory (standalone) or the config topic (distributed), mirrored
 * to member processes when `workers` asks for more than one process.
 */
function storesFor(
  config: WorkerConfig,
  definitions: readonly ConnectorDefinition[],
  configFile: string | undefined,
  logger: Logger,
): { store: ConfigStore; members: MemberProcesses | undefined; processes: number } {
  const stored: ConfigStore =
    config.mode === 'distributed'
      ? configTopicStore(config, logger)
      : new MemoryConfigStore(
          definitions.map((d) => ({ name: d.name, config: d.config, target: 'RUNNING' })),
        );
  const processes = workerProcesses(config.workers);
  if (processes === 1) return { store: stored, members: undefined, processes };
  const members = new MemberProcesses(processes - 1, spawnMember(config, configFile), logger);
  return { store: new MirroredStore(stored, members), members, processes };
}

/** One line on how the connectors stopped: what the operator reads in the last log line. */
export function stopReason(reports: ReadonlyMap<string, StopReport>): string {
  const notes: string[] = [];
  for (const [name, report] of reports) {
    if (!report.started) {
      notes.push(`${name}: never started (its source had not joined its group)`);
    } else if (!report.drained) {
      notes.push(
        `${name}: drain timed out after ${String(report.drainTimeoutMs)} ms: ${String(report.undelivered)} ` +
          'records not delivered (not committed: they are read again on restart)',
      );
    }
    if (report.cutShort.length > 0) {
      notes.push(`${name}: ${report.cutShort.join(', ')} cut short after ${String(STOP_GRACE_MS)} ms`);
    }
  }
  if (reports.size === 0) return 'no connector was running';
  return notes.length === 0 ? 'every connector drained and committed' : notes.join('; ');
}

/** Checks every definition completely, logging the problems of the first invalid one. */
function allValid(worker: Worker, definitions: readonly ConnectorDefinition[], logger: Logger): boolean {
  try {
    for (const definition of definitions) worker.check(definition);
    return true;
  } catch (error) {
    logger.error((error as Error).message);
    return false;
  }
}

/** Logs an UnprotectedApiError (start-up refused: the operator must act) and resolves undefined; rethrows others. */
function refusedWith(logger: Logger): (error: unknown) => undefined {
  return (error) => {
    if (!(error instanceof UnprotectedApiError)) throw error;
    logger.error({ err: error }, error.message);
    return undefined;
  };
}

/** Distributed mode: files on the command line create the connectors the config topic does not hold yet. */
async function seed(worker: Worker, definitions: readonly ConnectorDefinition[]): Promise<void> {
  if (worker.mode !== 'distributed') return;
  for (const definition of definitions) {
    if (!worker.names().includes(definition.name)) await worker.create(definition, 'RUNNING', 'operator');
  }
}

/**
 * Serves the REST API, metrics and health (unless rest.port is 0) from before the connectors start.
 * @throws UnprotectedApiError when it would listen on a non-loopback address without a token.
 */
async function startApi(
  worker: Worker,
  version: string,
  levels: LogLevels,
  members: MemberProcesses | undefined,
): Promise<ApiServer> {
  const { config } = worker;
  const { auth } = config.rest;
  const open = checkExposure({ host: config.rest.host, token: auth.token, required: auth.required });
  collectDefaultMetrics({ register: worker.registry, prefix: 'logbridge_' });
  const api = buildApi({
    service: worker,
    workerId: config.worker.id,
    version,
    registry: worker.registry,
    ...(members === undefined ? {} : { metrics: () => mergedMetrics(worker.registry, members) }),
    logger: levels.root,
    levels,
    authToken: auth.token,
    metricsToken: config.rest.metrics.token,
    readOnly: config.rest.read.only,
    console: worker,
  });
  if (config.rest.port !== 0) {
    await api.listen({ host: config.rest.host, port: config.rest.port });
    logListening(api, config, open, levels.root);
  }
  return api;
}

function logListening(api: ApiServer, config: WorkerConfig, open: boolean, logger: Logger): void {
  const { auth } = config.rest;
  const bound = api.server.address() as AddressInfo;
  const listening = {
    address: bound.family === 'IPv6' ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}`,
    auth: auth.token === '' ? 'none' : 'bearer token',
    metricsToken: config.rest.metrics.token !== '',
    readOnly: config.rest.read.only,
  };
  logger.info(listening, 'REST API listening');
  if (open) {
    logger.warn(
      listening,
      `REST API open to anyone who can reach ${listening.address}: no token and rest.auth.required=false; ` +
        'they can create connectors, read status and change offsets',
    );
  }
}

function readDefinitions(files: readonly string[], logger: Logger): ConnectorDefinition[] | undefined {
  const list: ConnectorDefinition[] = [];
  let problems = 0;
  for (const file of files) {
    const { definition, issues } = readDefinitionFile(file);
    if (definition !== undefined) list.push(definition);
    for (const issue of issues) logger.error(formatIssue(file, issue));
    problems += issues.length;
  }
  return problems > 0 ? undefined : list;
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
      if (stopping) process.exit(130);
      stopping = true;
      void handler(signal).finally(resolve);
    };
    process.on('SIGTERM', listener);
    process.on('SIGINT', listener);
  });
}
