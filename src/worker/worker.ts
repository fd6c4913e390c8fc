/**
 * The worker: the process that runs connectors (Kafka Connect's term). It validates and builds each connector,
 * starts it, and stops every one gracefully on shutdown.
 * @module
 */
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { ConfigIssue, ConnectorDefinition, WorkerConfig } from '../config/index.ts';
import { Connector, createEngineMetrics, type EngineMetrics } from '../engine/index.ts';
import { buildConnector, validateConnector } from './build.ts';

/** Thrown when a connector definition is invalid; carries every issue. */
export class InvalidConnectorError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(name: string, issues: readonly ConfigIssue[]) {
    super(`connector ${name} is invalid:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'InvalidConnectorError';
    this.issues = issues;
  }
}

/** Runs connectors in this process. */
export class Worker {
  readonly config: WorkerConfig;
  readonly registry: Registry;
  readonly #logger: Logger;
  readonly #metrics: EngineMetrics;
  readonly #connectors = new Map<string, Connector>();

  constructor(config: WorkerConfig, logger: Logger, registry = new Registry()) {
    this.config = config;
    this.registry = registry;
    this.#logger = logger;
    this.#metrics = createEngineMetrics(registry);
  }

  /** The running connectors, by name. */
  get connectors(): ReadonlyMap<string, Connector> {
    return this.#connectors;
  }

  /**
   * Validates, builds and starts a connector.
   * @throws InvalidConnectorError listing every problem; Error when the name is taken.
   */
  async start(definition: ConnectorDefinition): Promise<Connector> {
    if (this.#connectors.has(definition.name)) throw new Error(`connector ${definition.name} already exists`);
    const { connector: valid, issues } = validateConnector(definition);
    if (valid === undefined) throw new InvalidConnectorError(definition.name, issues);
    const connector = new Connector(
      buildConnector(valid, { logger: this.#logger, registry: this.registry, metrics: this.#metrics }),
    );
    this.#connectors.set(definition.name, connector);
    await connector.start();
    return connector;
  }

  /** Stops every connector gracefully (each drains, commits and leaves its group). */
  async stop(): Promise<void> {
    await Promise.all([...this.#connectors.values()].map((connector) => connector.stop()));
  }
}
