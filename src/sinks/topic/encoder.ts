/**
 * Encodes an event for the `solace` and `mqtt` sinks: the topic (builder.ts), the body as bytes and the Kafka
 * coordinates as user properties, as the Solace Kafka sink connector does (`k_topic` string, `k_partition` int32,
 * `k_offset`), so that consumers can find duplicates. Refuses, with a `reject` error, an event whose topic cannot be
 * made valid or whose message is over the size limit: it is dead-lettered and never sent.
 * @module
 */
import type { Encoded, LogEvent, Template } from '../../engine/index.ts';
import { MessageTooLargeError, TopicInvalidError } from './errors.ts';
import type { OutboundMessage, UserProperty } from './message.ts';
import type { TopicBuilder } from './builder.ts';

/** How `k_offset` is typed in SMF: `int64` (the connector's Long) or `string`. */
export type OffsetType = 'int64' | 'string';

/** Encoder settings. */
export interface EncoderSettings {
  readonly topics: TopicBuilder;
  /** Largest message (payload + topic + user properties), bytes. */
  readonly maxMessageBytes: number;
  /** The key that sets `maxMessageBytes`, named in the rejection. */
  readonly maxMessageKey: string;
  readonly offsetType: OffsetType;
  /** Further user properties: a name and a template rendered per event (empty values are left out). */
  readonly extraProperties: readonly { readonly name: string; readonly template: Template }[];
  /** Add each Kafka header as a string property (the connector's `sol.emit.kafka.record.headers.enabled`). */
  readonly emitHeaders: boolean;
}

/**
 * solclientjs encodes INT64 fields from JS numbers over 48 bits only, and fails to read larger ones
 * (reference/solace.md §9): such offsets go as strings, whatever `offsetType` says.
 */
const INT64_SAFE_LIMIT = 2n ** 48n;
const JSON_TYPE = 'application/json';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/** Builds the encoder. */
export function createMessageEncoder(
  settings: EncoderSettings,
): (event: LogEvent) => Encoded<OutboundMessage> {
  return (event) => {
    const built = settings.topics.build(event);
    if ('problem' in built) throw new TopicInvalidError(`no valid topic for the event: ${built.problem}`);
    const payload =
      event.bodyAsRead === true && event.record.value !== null
        ? event.record.value
        : Buffer.from(typeof event.body === 'string' ? event.body : JSON.stringify(event.body), 'utf8');
    const properties = propertiesOf(event, settings);
    const bytes = payload.length + Buffer.byteLength(built.topic, 'utf8') + propertyBytes(properties);
    if (bytes > settings.maxMessageBytes) {
      throw new MessageTooLargeError(
        `the message is ${bytes} bytes (payload, topic and user properties), over ` +
          `${settings.maxMessageKey}=${settings.maxMessageBytes}`,
      );
    }
    const contentType = event.bodyAsRead !== true && typeof event.body === 'string' ? TEXT_TYPE : JSON_TYPE;
    return { payload: { topic: built.topic, payload, contentType, properties }, bytes };
  };
}

function propertiesOf(event: LogEvent, settings: EncoderSettings): UserProperty[] {
  const { position, headers } = event.record;
  const offset: UserProperty =
    settings.offsetType === 'int64' && position.offset < INT64_SAFE_LIMIT
      ? { name: 'k_offset', type: 'int64', value: Number(position.offset) }
      : { name: 'k_offset', type: 'string', value: position.offset.toString() };
  const properties: UserProperty[] = [
    { name: 'k_topic', type: 'string', value: position.topic },
    { name: 'k_partition', type: 'int32', value: position.partition },
    offset,
  ];
  const taken = new Set(['k_topic', 'k_partition', 'k_offset']);
  const add = (name: string, value: string): void => {
    if (value === '' || taken.has(name)) return;
    taken.add(name);
    properties.push({ name, type: 'string', value: value.toWellFormed() });
  };
  for (const { name, template } of settings.extraProperties) add(name, template.render(event));
  if (settings.emitHeaders) {
    for (const [name, value] of Object.entries(headers)) add(name, value.toString('utf8'));
  }
  return properties;
}

function propertyBytes(properties: readonly UserProperty[]): number {
  let bytes = 0;
  for (const p of properties) {
    bytes += Buffer.byteLength(p.name, 'utf8');
    bytes += typeof p.value === 'string' ? Buffer.byteLength(p.value, 'utf8') : 8;
  }
  return bytes;
}
