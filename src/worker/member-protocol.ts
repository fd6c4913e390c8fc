/**
 * The messages between the primary process and its member processes (`workers` > 1) over Node's IPC channel
 * (`serialization: 'advanced'`, so statuses keep their bigint offsets).
 * @module
 */
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { ConnectorStatus } from '../engine/index.ts';
import type { StoreChange, StoredConnector } from './store.ts';

/** What the primary sends a member. */
export type ToMember =
  /** The connectors the primary holds, answering `ready`. */
  | { readonly type: 'connectors'; readonly connectors: readonly StoredConnector[] }
  /** A change the primary's store applied. */
  | { readonly type: 'change'; readonly change: StoreChange }
  /** Asks for the member's metrics. */
  | { readonly type: 'metrics'; readonly id: number }
  /** Stop gracefully (drain, commit, leave the groups) and exit. */
  | { readonly type: 'stop' };

/** What a member sends the primary. */
export type FromMember =
  /** The member listens: send the connectors. */
  | { readonly type: 'ready' }
  /** The status of each connector it runs, about once a second. */
  | { readonly type: 'status'; readonly statuses: readonly ConnectorStatus[] }
  | {
      readonly type: 'metrics';
      readonly id: number;
      readonly metrics: readonly MetricObjectWithValues<MetricValue<string>>[];
    };

/** Members run the connectors whose source balances partitions among a group's members: the Kafka source. */
export function runsInMembers(config: Readonly<Record<string, unknown>>): boolean {
  return config['source.type'] !== 'eventhubs';
}
