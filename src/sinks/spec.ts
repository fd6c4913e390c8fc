/**
 * What every sink folder exports for the registry: its type name, its option schema, a validator (no side effects)
 * and a factory.
 * @module
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ConfigIssue, Schema } from '../config/index.ts';
import type { Sink } from '../engine/index.ts';

/** What a sink's validator and factory know about the connector. */
export interface SinkContext {
  readonly connector: string;
  readonly topics: readonly string[];
  /** Prefix of issue paths. */
  readonly path: string;
}

/** Services a sink is built with (passed in, never imported as singletons). */
export interface SinkDeps {
  readonly logger: Logger;
  readonly registry: Registry;
}

/** A sink type. `C` is its validated configuration. */
export interface SinkSpec<C> {
  readonly type: string;
  readonly schema: Schema;
  /** Validates properties; no I/O except reading referenced files. */
  validate(
    properties: Readonly<Record<string, unknown>>,
    context: SinkContext,
  ): { config?: C; issues: ConfigIssue[] };
  /** Builds the sink from a validated configuration. */
  create(config: C, context: SinkContext, deps: SinkDeps): Sink;
}

/** Erases a spec's config type for the registry list (validate and create of one spec always pair up). */
export function registerSink<C>(spec: SinkSpec<C>): SinkSpec<unknown> {
  return spec;
}
