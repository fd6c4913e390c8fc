/**
 * A connector's committed offsets for the REST API (KIP-875): read at any time; altered or reset only while the
 * connector is STOPPED (Kafka Connect's rule and text) and its consumer group has no live member (another replica
 * still running it).
 * @module
 */
import type { Logger } from 'pino';
import type { PartitionLag } from '../engine/index.ts';
import {
  applyPlan,
  deleteGroupOffsets,
  describeGroupOffsets,
  GroupActiveError,
  OffsetsRequestError,
  planReset,
} from '../offsets/index.ts';
import { validateConnector, type ValidConnector } from './build.ts';
import { offsetsAdapterOf, startPolicyKey } from './source-offsets.ts';
import { BadRequestError, ConflictError, InvalidConnectorError } from './errors.ts';
import type { ConnectorSlot } from './slot.ts';

/** One partition's committed offset (null: none committed, or reset). */
export interface OffsetRow {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint | null;
}

/** Reads the committed offsets of a connector's group. */
export async function readOffsets(slot: ConnectorSlot, logger: Logger): Promise<OffsetRow[]> {
  const connector = connectorOf(slot);
  const { source } = connector;
  const offsets = offsetsAdapterOf(connector, logger);
  const states = await describeGroupOffsets(offsets, source.groupId, source.topics);
  return states
    .filter((state) => state.committed !== undefined)
    .map((state) => ({ topic: state.topic, partition: state.partition, offset: state.committed ?? null }));
}

/** Committed and end offsets with lag, for the status of a connector that is not running. */
export async function readPartitionLags(
  name: string,
  config: Readonly<Record<string, unknown>>,
  logger: Logger,
): Promise<readonly PartitionLag[]> {
  const { connector, issues } = validateConnector({ name, config });
  if (connector === undefined) throw new InvalidConnectorError(name, issues);
  const source = connector.source;
  return describeGroupOffsets(offsetsAdapterOf(connector, logger), source.groupId, source.topics);
}

/** Alters committed offsets (`offset: null` resets that partition to the connector's reset policy). */
export async function alterOffsets(
  slot: ConnectorSlot,
  rows: readonly OffsetRow[],
  logger: Logger,
): Promise<void> {
  stoppedOrThrow(slot);
  const connector = connectorOf(slot);
  const { source } = connector;
  const offsets = offsetsAdapterOf(connector, logger);
  await translated(async () => {
    const plan = await planReset(
      offsets,
      { groupId: source.groupId, topics: source.topics },
      { to: 'explicit', offsets: rows },
      { autoOffsetReset: source.autoOffsetReset, policyKey: startPolicyKey(connector.sourceType) },
    );
    await applyPlan(offsets, plan, { connector: slot.name });
  });
}

/** Removes every committed offset of the connector's group. */
export async function resetOffsets(slot: ConnectorSlot, logger: Logger): Promise<void> {
  stoppedOrThrow(slot);
  const connector = connectorOf(slot);
  const { source } = connector;
  await translated(() =>
    deleteGroupOffsets(offsetsAdapterOf(connector, logger), source.groupId, source.topics, {
      connector: slot.name,
      autoOffsetReset: source.autoOffsetReset,
      policyKey: startPolicyKey(connector.sourceType),
    }),
  );
}

function stoppedOrThrow(slot: ConnectorSlot): void {
  if (slot.target !== 'STOPPED' || slot.instance !== undefined) {
    throw new BadRequestError(
      'Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the ' +
        `specified connector by issuing a 'PUT' request to the '/connectors/${slot.name}/stop' endpoint`,
    );
  }
}

function connectorOf(slot: ConnectorSlot): ValidConnector {
  const { connector, issues } = validateConnector({ name: slot.name, config: slot.config });
  if (connector === undefined) throw new InvalidConnectorError(slot.name, issues);
  return connector;
}

async function translated(change: () => Promise<unknown>): Promise<void> {
  try {
    await change();
  } catch (error) {
    if (error instanceof GroupActiveError) throw new ConflictError(error.message, { cause: error });
    if (error instanceof OffsetsRequestError) throw new BadRequestError(error.message, { cause: error });
    throw error;
  }
}
