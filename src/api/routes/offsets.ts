/**
 * `/connectors/{name}/offsets` (KIP-875): read, alter and reset a connector's committed offsets, with Kafka
 * Connect's shapes (`kafka_topic`, `kafka_partition`, `kafka_offset`) and texts.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.ts';
import type { ConnectorService, OffsetRow } from '../port.ts';

interface Named {
  Params: { name: string };
}

/** Registers the offsets routes. */
export function offsetRoutes(app: FastifyInstance, service: ConnectorService): void {
  app.get<Named>('/connectors/:name/offsets', async (request) => {
    const rows = await service.offsets(request.params.name);
    return {
      offsets: rows.map((row) => ({
        partition: { kafka_topic: row.topic, kafka_partition: row.partition },
        offset: row.offset === null ? null : { kafka_offset: Number(row.offset) },
      })),
    };
  });
  app.patch<Named & { Body: unknown }>('/connectors/:name/offsets', async (request) => {
    await service.alterOffsets(request.params.name, rowsOf(request.body));
    return { message: 'The offsets for this connector have been altered successfully' };
  });
  app.delete<Named>('/connectors/:name/offsets', async (request) => {
    await service.resetOffsets(request.params.name);
    return { message: 'The offsets for this connector have been reset successfully' };
  });
}

function rowsOf(body: unknown): OffsetRow[] {
  const offsets = (body as { offsets?: unknown } | null)?.offsets;
  if (!Array.isArray(offsets) || offsets.length === 0) {
    throw new ApiError(400, 'The request body must contain a non-empty "offsets" list');
  }
  return offsets.map((entry: unknown, index) => {
    const { partition, offset } = (entry ?? {}) as { partition?: unknown; offset?: unknown };
    const { kafka_topic: topic, kafka_partition: number } = (partition ?? {}) as Record<string, unknown>;
    if (typeof topic !== 'string' || typeof number !== 'number' || !Number.isInteger(number) || number < 0) {
      throw new ApiError(
        400,
        `offsets[${index}].partition must be {"kafka_topic": string, "kafka_partition": integer}`,
      );
    }
    if (offset === null) return { topic, partition: number, offset: null };
    const value = (offset as { kafka_offset?: unknown } | undefined)?.kafka_offset;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new ApiError(400, `offsets[${index}].offset must be {"kafka_offset": integer >= 0} or null`);
    }
    return { topic, partition: number, offset: BigInt(value) };
  });
}
