/**
 * Previews of a connector definition: its decoder, transforms and sinks built as `run` builds them (sinks created,
 * never connected), sample records from a file, a REST body or a throwaway read of the topics, and the report of
 * `runPreview`. Nothing is sent, committed or dead-lettered.
 * @module
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createDecoder, type RecordFormat, type SourceRecord } from '../engine/index.ts';
import {
  type PreviewParts,
  type PreviewReport,
  runPreview,
  SampleError,
  samplesFromList,
} from '../preview/index.ts';
import { createKafka, readLatestRecords } from '../sources/kafka/index.ts';
import { createTransforms, NO_COUNTERS } from '../transforms/index.ts';
import { kafkaSourceOf, type ValidConnector } from './build.ts';

/** Largest number of records one preview takes. */
export const MAX_PREVIEW_RECORDS = 200;

/** Builds a connector's parts for a preview and runs it on `samples`; the sinks are closed afterwards. */
export async function previewConnector(
  valid: ValidConnector,
  samples: readonly SourceRecord[],
  nowMs = Date.now(),
): Promise<PreviewReport> {
  const silent = pino({ level: 'silent' });
  const context = { connector: valid.name, topics: valid.source.topics, path: 'config' };
  const sinks = valid.sinks.map(({ spec, config }) => ({
    sink: spec.create(config, context, { logger: silent, registry: new Registry() }),
    raw: (config as { raw?: unknown }).raw === true,
  }));
  const { common } = valid;
  const parts: PreviewParts = {
    name: valid.name,
    decode: createDecoder({
      format: common['record.format'] as RecordFormat,
      maxRecordBytes: common['record.max.bytes'],
    }),
    transforms: createTransforms(valid.transforms, () => NO_COUNTERS),
    sinks,
    tolerance: common['errors.tolerance'] as 'none' | 'all',
    deadLetterTopic: common['errors.deadletterqueue.topic.name'],
  };
  try {
    return runPreview(parts, samples, nowMs);
  } finally {
    await Promise.all(sinks.map(({ sink }) => sink.close(0).catch(() => undefined)));
  }
}

/** The latest `count` records of the connector's topics, read with a throwaway consumer group. */
export async function sampleFromTopics(
  valid: ValidConnector,
  options: { readonly count: number; readonly partitions?: readonly number[] },
): Promise<SourceRecord[]> {
  const source = kafkaSourceOf(valid, 'preview from the topic');
  const kafka = createKafka(source, pino({ level: 'silent' }));
  return readLatestRecords(kafka, {
    connector: valid.name,
    topics: source.topics,
    count: Math.min(options.count, MAX_PREVIEW_RECORDS),
    ...(options.partitions === undefined ? {} : { partitions: options.partitions }),
  });
}

/** What `POST /connectors/{name}/preview` accepts. */
export interface PreviewRequest {
  /** Sample records (strings are record values); see samples.ts. */
  readonly records?: readonly unknown[];
  /** Read the latest records of the topics instead, this many. */
  readonly from_topic?: { readonly count?: number; readonly partitions?: readonly number[] };
}

/** The samples a REST request names. @throws SampleError for a malformed request. */
export async function samplesOfRequest(valid: ValidConnector, body: unknown): Promise<SourceRecord[]> {
  const request = (body ?? {}) as PreviewRequest;
  if (request.from_topic !== undefined) {
    const count = request.from_topic.count ?? 10;
    if (!Number.isInteger(count) || count < 1)
      throw new SampleError('from_topic.count must be a positive integer');
    const partitions = request.from_topic.partitions;
    return sampleFromTopics(valid, { count, ...(partitions === undefined ? {} : { partitions }) });
  }
  if (!Array.isArray(request.records) || request.records.length === 0) {
    throw new SampleError(
      'the body must be {"records": [ … ]} (record values or records) or {"from_topic": {"count": n}}',
    );
  }
  if (request.records.length > MAX_PREVIEW_RECORDS) {
    throw new SampleError(`at most ${MAX_PREVIEW_RECORDS} records per preview`);
  }
  return samplesFromList(request.records, {
    topic: valid.source.topics[0] ?? 'preview',
    timestampMs: Date.now(),
  });
}
