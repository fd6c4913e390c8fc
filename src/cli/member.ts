/**
 * `logbridge member`: a member process of `logbridge run` with `workers` > 1, started by it (never by hand). It runs
 * the primary's Kafka-source connectors as another member of their consumer groups, with no REST API of its own:
 * connectors and changes come from the primary over the IPC channel, statuses go back about once a second and
 * metrics when asked. It stops gracefully (drain, commit, leave the groups) when the primary asks, on
 * SIGTERM/SIGINT, and when the primary is gone.
 * @module
 */
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { loadWorkerConfig } from '../config/index.ts';
import type { FromMember, PrimaryChannel, ToMember } from '../worker/index.ts';
import { PrimaryStore, Worker } from '../worker/index.ts';
import { LogLevels } from './logger.ts';
import { EXIT, stopReason } from './run.ts';
import { SummaryLog } from './summary.ts';

/** How often a member reports its statuses, ms. */
const STATUS_INTERVAL_MS = 1000;

/** Runs until the primary, a signal or the primary's absence stops it; resolves with the exit code. */
export async function runMember(options: { readonly config?: string }): Promise<number> {
  if (process.send === undefined) {
    console.error('logbridge member is started by `logbridge run` when workers > 1, not by hand');
    return EXIT.usage;
  }
  const channel = process as unknown as PrimaryChannel;
  const config = loadWorkerConfig(options.config);
  const levels = new LogLevels(config.log.level, config.worker.id);
  const logger = levels.root;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'logbridge_' });
  const worker = new Worker(config, logger, { store: new PrimaryStore(channel), registry });
  const send = (message: FromMember): void => {
    if (process.connected) channel.send(message);
  };
  const report = setInterval(() => {
    send({ type: 'status', statuses: worker.names().map((name) => worker.slot(name).status()) });
  }, STATUS_INTERVAL_MS);
  const summary = new SummaryLog(worker, logger, config.log.summary_interval_ms);
  const stopped = stopsOnRequest(channel, logger, async () => {
    clearInterval(report);
    summary.stop();
    logger.info({ reason: stopReason(await worker.stop()) }, 'member stopped');
  });
  channel.on('message', (message: ToMember) => {
    if (message.type === 'metrics') {
      void registry.getMetricsAsJSON().then((metrics) => {
        send({ type: 'metrics', id: message.id, metrics });
      });
    }
  });
  await Promise.race([worker.open(), stopped]);
  logger.info({ connectors: worker.names() }, 'member running');
  summary.start();
  await stopped;
  return EXIT.ok;
}

/**
 * Runs `stop` once, when the primary asks, on SIGTERM/SIGINT, or when the IPC channel closes (the primary is gone);
 * resolves when it finished.
 */
function stopsOnRequest(channel: PrimaryChannel, logger: Logger, stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const once = (why: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info({ why }, 'member stopping: draining in-flight records, then committing');
      void stop().finally(resolve);
    };
    channel.on('message', (message: ToMember) => {
      if (message.type === 'stop') once('asked by the primary process');
    });
    process.once('disconnect', () => {
      once('the primary process is gone');
    });
    process.on('SIGTERM', () => {
      once('SIGTERM');
    });
    process.on('SIGINT', () => {
      once('SIGINT');
    });
  });
}
