/**
 * An event encoded for a topic-based broker, independent of the transport: topic, payload bytes, content type and
 * user properties. The Solace adapter turns it into a `solace.Message`, the MQTT sink into a PUBLISH packet.
 * @module
 */

/** A user property. `int32`/`int64` carry numbers (SMF typed fields); MQTT v5 sends every value as text. */
export type UserProperty =
  | { readonly name: string; readonly type: 'string'; readonly value: string }
  | { readonly name: string; readonly type: 'int32' | 'int64'; readonly value: number };

/** One message to publish. */
export interface OutboundMessage {
  readonly topic: string;
  /** The event body: JSON for objects, UTF-8 text for strings. Always bytes, never a JS string (see docs). */
  readonly payload: Buffer;
  /** `application/json` or `text/plain; charset=utf-8`. */
  readonly contentType: string;
  /** `k_topic`, `k_partition`, `k_offset`, then configured extras and Kafka headers. */
  readonly properties: readonly UserProperty[];
}

/** The text form of a property value (MQTT v5 user properties are UTF-8 string pairs). */
export function propertyText(property: UserProperty): string {
  return typeof property.value === 'string' ? property.value : String(property.value);
}
