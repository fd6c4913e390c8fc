/**
 * The `$management` node (README.md § Management): `READ` of `com.microsoft:eventhub` (name, creation time,
 * partition ids) and of `com.microsoft:partition` (sequence numbers, last offset and time, empty), each request
 * carrying a SAS token in `security_token` that is checked like a `put-token`.
 */
import type { Message } from 'rhea';
import type { EventHub } from './log.ts';
import { covers, type SasPolicy, SasError, verifySasToken } from './sas.ts';

/** What the node needs of the peer. */
export interface ManagementContext {
  readonly host: string;
  readonly policies: readonly SasPolicy[];
  hub(name: string): EventHub | undefined;
}

/** Answers one management request. */
export function managementReply(request: Message, context: ManagementContext, nowMs: number): Message {
  const properties = request.application_properties ?? {};
  const reply = (status: number, description: string, body?: unknown): Message =>
    ({
      correlation_id: request.message_id,
      to: request.reply_to,
      application_properties: { 'status-code': status, 'status-description': description },
      ...(body === undefined ? {} : { body }),
    }) as unknown as Message;
  if (properties['operation'] !== 'READ')
    return reply(400, `unsupported operation ${String(properties['operation'])}`);
  const name = String(properties['name'] ?? '');
  try {
    const token = verifySasToken(String(properties['security_token'] ?? ''), context.policies, nowMs);
    if (!covers(token.resource, `${context.host}/${name}`)) {
      return reply(401, `InvalidAudience: the token is for ${token.resource}`);
    }
  } catch (error) {
    return reply(401, error instanceof SasError ? error.message : String(error));
  }
  const hub = context.hub(name);
  if (hub === undefined)
    return reply(404, `The messaging entity 'sb://${context.host}/${name}' could not be found.`);
  switch (properties['type']) {
    case 'com.microsoft:eventhub':
      return reply(200, 'OK', {
        name: hub.name,
        type: 'com.microsoft:eventhub',
        created_at: hub.createdAt,
        partition_count: hub.partitions.length,
        partition_ids: hub.partitions.map((p) => p.id),
      });
    case 'com.microsoft:partition': {
      const partition = hub.partition(String(properties['partition'] ?? ''));
      if (partition === undefined)
        return reply(404, `partition ${String(properties['partition'])} does not exist`);
      const last = partition.last;
      return reply(200, 'OK', {
        name: hub.name,
        type: 'com.microsoft:partition',
        partition: partition.id,
        begin_sequence_number: partition.beginSequenceNumber,
        last_enqueued_sequence_number: partition.lastSequenceNumber,
        last_enqueued_offset: last?.offset ?? '-1',
        last_enqueued_time_utc: new Date(last?.enqueuedTimeMs ?? 0),
        is_partition_empty: partition.size === 0,
      });
    }
    default:
      return reply(400, `unsupported type ${String(properties['type'])}`);
  }
}
