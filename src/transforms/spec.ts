/**
 * What every transform type exports for the registry: its type name, its option schema, the prefixes of the keys
 * users name themselves (rules, patterns, field paths), a validator without side effects and a factory. Options are
 * the connector keys `transforms.<alias>.<option>` with the prefix taken off.
 * @module
 */
import type { ConfigIssue, Schema } from '../config/index.ts';
import type { NamedTransform } from '../engine/index.ts';
import type { TransformCounters } from './counters.ts';

/** What a transform's validator and factory know about the connector. */
export interface TransformContext {
  readonly connector: string;
  /** The transform's alias in `transforms=…`: its name in dead letters and metrics. */
  readonly alias: string;
  /** Prefix of issue paths: `config.transforms.<alias>`. */
  readonly path: string;
  /** The source's topics (event hubs). */
  readonly topics: readonly string[];
  /** Event Hubs namespace host name, when the source is configured with one (connection string or Entra ID). */
  readonly eventHubsNamespace: string | undefined;
  /** The source's consumer group. */
  readonly consumerGroup: string;
}

/** Services a transform is built with. */
export interface TransformDeps {
  readonly counters: TransformCounters;
}

/** A transform type. `C` is its validated configuration. */
export interface TransformType<C> {
  /** The value of `transforms.<alias>.type`. */
  readonly type: string;
  /** Options with a fixed key. */
  readonly schema: Schema;
  /** Prefixes of option keys named by the user (`rule.`, `include.`…); `validate` checks what follows them. */
  readonly dynamicPrefixes: readonly string[];
  /** Validates options (prefix taken off); reports issues at `context.path.<option>`. No side effects. */
  validate(
    options: Readonly<Record<string, unknown>>,
    context: TransformContext,
  ): { config?: C; issues: ConfigIssue[] };
  /** Builds the transform from a validated configuration. */
  create(config: C, context: TransformContext, deps: TransformDeps): NamedTransform;
}

/** Erases a type's config type for the registry list (validate and create of one type always pair up). */
export function registerTransform<C>(type: TransformType<C>): TransformType<unknown> {
  return type;
}
