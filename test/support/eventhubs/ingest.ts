/**
 * What producers send (README.md § Producers): one message, or a batch (message format `0x80013700`, each data
 * section an encoded message), to `<hub>` (partition by `x-opt-partition-key`, else round-robin) or to
 * `<hub>/Partitions/<n>`. Stored, then accepted: the producer's send resolves only once the events are in the log.
 */
import rhea, { type Delivery, type Message } from 'rhea';
import type { EventHub } from './log.ts';

/** AMQP message format of an Event Hubs batch. */
export const BATCH_FORMAT = 0x80013700;

/** Sections of a message that are stored and delivered again (annotations are the broker's to set). */
const KEPT = [
  'body',
  'application_properties',
  'message_id',
  'correlation_id',
  'content_type',
  'subject',
  'user_id',
  'to',
];

export function ingest(
  hub: EventHub,
  partitionId: string | undefined,
  received: Message | Buffer,
  delivery: Delivery,
): void {
  // rhea decodes only messages of format 0; a batch arrives as its bytes.
  const message = Buffer.isBuffer(received)
    ? (rhea.message.decode(received) as unknown as Message)
    : received;
  const format = (delivery as unknown as { format?: number }).format;
  const messages = format === BATCH_FORMAT ? unbatch(message) : [message];
  const batchKey = partitionKeyOf(message);
  const target = partitionId === undefined ? hub.route(batchKey) : hub.partition(partitionId);
  if (target === undefined) {
    delivery.reject({
      condition: 'amqp:not-found',
      description: `partition ${partitionId ?? ''} does not exist`,
    });
    return;
  }
  for (const one of messages) {
    const key = partitionKeyOf(one) ?? batchKey;
    const log = partitionId === undefined && key !== batchKey ? hub.route(key) : target;
    const kept: Record<string, unknown> = {};
    for (const field of KEPT) {
      const value = (one as unknown as Record<string, unknown>)[field];
      if (value !== undefined) kept[field] = value;
    }
    if (one.message_annotations !== undefined)
      kept['message_annotations'] = withoutBrokerAnnotations(one.message_annotations);
    log.append(kept, key, sizeOf(one));
  }
  delivery.accept();
}

function unbatch(message: Message): Message[] {
  const body = message.body as { typecode?: number; content?: unknown } | undefined;
  if (body?.typecode !== 0x75) return [];
  // One data section decodes as its bytes, several as a list of them.
  const sections = Array.isArray(body.content) ? (body.content as Buffer[]) : [body.content as Buffer];
  return sections.map((section) => rhea.message.decode(section) as unknown as Message);
}

function partitionKeyOf(message: Message): string | undefined {
  const key: unknown = message.message_annotations?.['x-opt-partition-key'];
  return typeof key === 'string' ? key : undefined;
}

function withoutBrokerAnnotations(annotations: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(annotations)) {
    if (!['x-opt-sequence-number', 'x-opt-offset', 'x-opt-enqueued-time'].includes(name)) kept[name] = value;
  }
  return kept;
}

function sizeOf(message: Message): number {
  const body = message.body as unknown;
  if (Buffer.isBuffer(body)) return body.length;
  if (typeof body === 'string') return Buffer.byteLength(body);
  const content = (body as { content?: unknown } | undefined)?.content;
  if (Buffer.isBuffer(content)) return content.length;
  return Buffer.byteLength(JSON.stringify(body ?? null));
}
