/**
 * Encodes events as HEC `/event` envelopes (reference/splunk-hec.md §3): `time` in epoch seconds with milliseconds,
 * `host`/`source`/`sourcetype`/`index` from the route or the sink defaults, and flat indexed `fields` carrying the
 * Kafka coordinates (`kafka_topic`, `kafka_partition`, `kafka_offset`, as `splunk.hec.track.data` does) so that
 * duplicates can be found in Splunk.
 * @module
 */
import type { Encoded, LogEvent } from '../../engine/index.ts';
import type { HecMetadata, HecSinkConfig } from './config.ts';
import { HecEventTooLargeError } from './errors.ts';

/** One encoded envelope, newline-terminated, as a string (batches are joined before compression). */
export type Envelope = string;

/** Builds the encoder for a sink's defaults. */
export function createEncoder(config: HecSinkConfig): (event: LogEvent) => Encoded<Envelope> {
  const byTopic = new Map<string, HecMetadata>();
  const metadataFor = (topic: string): HecMetadata => {
    let found = byTopic.get(topic);
    if (found === undefined) byTopic.set(topic, (found = config.metadataFor(topic)));
    return found;
  };
  return (event) => {
    const { position } = event.record;
    const meta = event.meta;
    const defaults = metadataFor(position.topic);
    const envelope = {
      time: Math.round(event.timeMs) / 1000,
      ...optional('host', meta.host ?? defaults.host),
      ...optional('source', meta.source ?? defaults.source),
      ...optional('sourcetype', meta.sourcetype ?? defaults.sourcetype),
      ...optional('index', meta.index ?? defaults.index),
      event: event.body,
      fields: {
        kafka_topic: position.topic,
        kafka_partition: String(position.partition),
        kafka_offset: position.offset.toString(),
      },
    };
    const json = JSON.stringify(envelope) + '\n';
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > config.maxEventBytes) {
      throw new HecEventTooLargeError(
        `event is ${bytes} bytes once encoded, over splunk.hec.max.event.bytes (${config.maxEventBytes})`,
      );
    }
    return { payload: json, bytes };
  };
}

function optional(key: string, value: string | undefined): Record<string, string> {
  return value === undefined || value === '' ? {} : { [key]: value };
}
