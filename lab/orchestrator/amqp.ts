/**
 * The lab's Event Hubs over AMQP: the AMQP test peer (`test/support/eventhubs/`, in the supervisor's process) with
 * the event hub the generator writes its Fluent Bit records to and the AMQP connector reads, and the books of that
 * connector at the stop: events enqueued, checkpointed (its file checkpoint store) and delivered to HEC.
 * @module
 */
import { FileCheckpointStore } from '../../src/sources/eventhubs/file-store.ts';
import {
  startEventHubsPeer,
  trustCertificate,
  type EventHub,
  type EventHubsPeer,
} from '../../test/support/eventhubs/index.ts';
import { resolveLabValue, type LabConnector } from './connector.ts';
import type { HecCounts } from './progress.ts';
import { countOf } from './progress.ts';

/** The namespace the peer plays: `logbridge-lab.servicebus.windows.net` in the connection string. */
const NAMESPACE = 'logbridge-lab';

/** Partitions of the AMQP connector's event hub (as of the Kafka topics). */
export const AMQP_PARTITIONS = 4;

/**
 * How long the peer keeps an event: it holds every event in this process's memory, so, as Event Hubs' retention
 * does (an hour at least there), older events are dropped, whether read or not. At the default rate (about 100
 * Fluent Bit records a second, 1.9 KB each on average) 10 minutes are about 110 MB of bodies.
 */
export const AMQP_RETENTION_MS = 10 * 60_000;

/** The running peer and what the AMQP connector reads there. */
export interface LabAmqp {
  readonly peer: EventHubsPeer;
  readonly connector: LabConnector;
  /** The connector's event hub, with its consumer group declared. */
  readonly eventHub: EventHub;
  /** The connector's dead-letter event hub, when it names one. */
  readonly deadLetterHub: EventHub | undefined;
  /** What the connector's `${env:…}` references and a person's shell get. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops the retention timer and the peer. */
  close(): Promise<void>;
}

/**
 * Starts the peer, makes this process trust its CA (for the generator's producer: the SDK takes no CA option), and
 * creates the connector's event hub with its consumer group (AMQP groups exist only once declared, as on Event
 * Hubs) and its dead-letter event hub.
 */
export async function startLabAmqp(connector: LabConnector, checkpointFile: string): Promise<LabAmqp> {
  const peer = await startEventHubsPeer({ namespace: NAMESPACE });
  trustCertificate(peer.caPem);
  const [hub = ''] = connector.topics;
  const eventHub = peer.createEventHub(hub, {
    partitions: AMQP_PARTITIONS,
    consumerGroups: [connector.groupId],
  });
  const deadLetterHub =
    connector.deadLetterTopic === ''
      ? undefined
      : peer.createEventHub(connector.deadLetterTopic, { partitions: 1 });
  const retention = setInterval(() => {
    expireOlderThan(Date.now() - AMQP_RETENTION_MS, [eventHub, deadLetterHub]);
  }, 30_000);
  retention.unref();
  return {
    peer,
    connector,
    eventHub,
    deadLetterHub,
    async close() {
      clearInterval(retention);
      await peer.close();
    },
    env: {
      LAB_AMQP_CONNECTION_STRING: peer.connectionString(),
      LAB_AMQP_ENDPOINT: peer.endpoint,
      LAB_AMQP_CA_FILE: peer.caFile,
      LAB_AMQP_CHECKPOINT_FILE: checkpointFile,
    },
  };
}

/** The AMQP connector's numbers at the stop. */
export interface AmqpFinalCount {
  readonly connector: string;
  /** Events enqueued in the event hub: per partition, the last sequence number + 1. */
  readonly produced: number;
  /** Per partition, the checkpoint's sequence number + 1; undefined when the connector has no file checkpoint store. */
  readonly checkpointed: number | undefined;
  readonly hecReceived: number;
  readonly deadLetters: number;
}

/** Reads the count from the peer, the checkpoint file and HEC's counts. */
export async function amqpFinalCount(
  amqp: LabAmqp,
  hec: HecCounts,
  env: Readonly<Record<string, string>>,
): Promise<AmqpFinalCount> {
  const file = resolveLabValue(amqp.connector.checkpointFile, env);
  let checkpointed: number | undefined;
  if (file !== '') {
    const checkpoints = await new FileCheckpointStore(file).listCheckpoints(
      amqp.peer.host,
      amqp.eventHub.name,
      amqp.connector.groupId,
    );
    checkpointed = checkpoints.reduce((sum, checkpoint) => sum + checkpoint.sequenceNumber + 1, 0);
  }
  return {
    connector: amqp.connector.name,
    produced: enqueued(amqp.eventHub),
    checkpointed,
    hecReceived: countOf(hec, amqp.connector.topics),
    deadLetters: amqp.deadLetterHub === undefined ? 0 : enqueued(amqp.deadLetterHub),
  };
}

const grouped = new Intl.NumberFormat('en-US');

/** One line, ending in ✓ when every event enqueued was checkpointed (settled), else saying what is left. */
export function amqpFinalCountLine(c: AmqpFinalCount): string {
  const n = (value: number): string => grouped.format(value);
  const settled =
    c.checkpointed === undefined
      ? 'checkpointed ? (not a file checkpoint store)'
      : `checkpointed ${n(c.checkpointed)} ${
          c.checkpointed === c.produced
            ? '✓ all settled'
            : `left in the event hub ${n(c.produced - c.checkpointed)}`
        }`;
  return (
    `final count ${c.connector} (AMQP): produced ${n(c.produced)}; ${settled}; ` +
    `events at HEC ${n(c.hecReceived)}, dead letters ${n(c.deadLetters)}`
  );
}

/** Drops the events enqueued before `cutoffMs` (the sequence numbers of those left are unchanged). */
export function expireOlderThan(cutoffMs: number, hubs: readonly (EventHub | undefined)[]): void {
  for (const hub of hubs)
    for (const partition of hub?.partitions ?? [])
      partition.expire(
        partition.firstWhere((event) => event.enqueuedTimeMs >= cutoffMs) - partition.beginSequenceNumber,
      );
}

/** Events ever enqueued in a hub (its sequence numbers start at 0 per partition). */
function enqueued(hub: EventHub): number {
  return hub.partitions.reduce((sum, partition) => sum + partition.lastSequenceNumber + 1, 0);
}
