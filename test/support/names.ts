import { randomBytes } from 'node:crypto';

/**
 * A name unique to this call, for a topic, consumer group or MQTT topic level: `<prefix>-<time>-<random>`.
 * Uses only `[a-z0-9-]` after the prefix, which Kafka topic and group names and MQTT topic levels all accept.
 *
 * @param prefix what the name is for, e.g. `orders` or `dlq`; keep it short (Kafka topic names stop at 249 chars)
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
