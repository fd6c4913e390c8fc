/**
 * Keys every connector has, whatever its source and sinks: error handling (Kafka Connect's names), the in-flight
 * budget, commits and record decoding.
 * @module
 */
import { defineSchema } from './schema.ts';

/** Common connector keys. */
export const connectorSchema = defineSchema({
  'connector.class': {
    type: 'string',
    default: 'logbridge',
    doc: 'Accepted for Kafka Connect compatibility; logbridge has one connector class.',
  },
  'tasks.max': {
    type: 'int',
    min: 1,
    default: 1,
    doc: 'Accepted for Kafka Connect compatibility; scale with replicas.',
  },
  'source.type': {
    type: 'enum',
    values: ['kafka', 'eventhubs'],
    default: 'kafka',
    doc: "kafka: Event Hubs' Kafka endpoint or any Kafka cluster (kafkajs); eventhubs: Event Hubs over AMQP (Basic tier, port 5671, the Heavy Forwarder's consumer groups).",
  },
  sinks: {
    type: 'list',
    default: ['splunk-hec'],
    doc: 'Sinks every event goes to, comma-separated (splunk-hec, solace, mqtt). The checkpoint is their minimum.',
  },
  'record.format': {
    type: 'enum',
    values: ['auto', 'json', 'text'],
    default: 'auto',
    doc: 'auto: JSON objects are parsed, other values stay text; json: values must be JSON objects; text: never parse.',
  },
  'record.max.bytes': {
    type: 'int',
    min: 1,
    default: 1048576,
    doc: 'Largest record value accepted, bytes; larger records are dead-lettered.',
  },
  'errors.tolerance': {
    type: 'enum',
    values: ['none', 'all'],
    default: 'none',
    doc: 'none: a record that cannot be delivered fails the connector; all: it goes to the dead-letter topic.',
  },
  'errors.deadletterqueue.topic.name': {
    type: 'string',
    default: '',
    doc: 'Dead-letter topic (event hub); needed with errors.tolerance=all. Records keep key, value and headers.',
  },
  'errors.deadletterqueue.max.bytes': {
    type: 'int',
    min: 65536,
    default: 1000000,
    doc: 'Largest dead-letter record, bytes (Event Hubs refuses 1 MB requests); larger values are truncated.',
  },
  'errors.retry.backoff.initial.ms': { type: 'int', min: 1, default: 200, doc: 'First retry ceiling, ms.' },
  'errors.retry.delay.max.ms': {
    type: 'int',
    min: 1,
    default: 60000,
    doc: 'Largest retry wait, ms (full jitter).',
  },
  'inflight.max.records': {
    type: 'int',
    min: 1,
    default: 40000,
    doc:
      'Records read and not yet committed before the source pauses: bounds what a crash can deliver twice. ' +
      'Under pressure logbridge commits up to 4 times a second, so throughput can reach about 4x this per second.',
  },
  'inflight.max.bytes': {
    type: 'int',
    min: 65536,
    default: 50331648,
    doc:
      'Estimated memory of records read and not yet delivered before the source pauses (each record counts ' +
      '2 x its size + 1.25 KiB): bounds memory.',
  },
  'offset.flush.interval.ms': { type: 'int', min: 250, default: 5000, doc: 'Commit period, ms.' },
  'drain.timeout.ms': {
    type: 'int',
    min: 0,
    default: 30000,
    doc: 'On stop, how long in-flight records get to settle before the last commit, ms.',
  },
});
