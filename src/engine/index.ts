/**
 * The engine: vendor-neutral core of logbridge. It imports no client library; sources, sinks and transforms plug in
 * through the interfaces exported here.
 * @module
 */
export type { RecordPosition, SourceRecord, TopicPartition, PartitionKey, CommitOffset } from './record.ts';
export { partitionKey } from './record.ts';
export {
  type Carrier,
  carrierOf,
  type JsonValue,
  type JsonObject,
  type EventMeta,
  type LogEvent,
  recordsOf,
} from './event.ts';
export {
  BridgeError,
  type Disposition,
  InvalidUtf8Error,
  InvalidJsonError,
  OversizeError,
  TransformError,
  UntoleratedError,
  StoppingError,
  UnexpectedError,
  asBridgeError,
} from './errors.ts';
export type { Sink, SinkBatch, SendOutcome, Rejection, Encoded, BatchPolicy, SinkHealth } from './sink.ts';
export type { Source, SourceContext, SourceHealth, PartitionOffsets } from './source.ts';
export { forwardingContext } from './source.ts';
export {
  DROP,
  HOLD,
  type StatefulTransform,
  type TransformFn,
  type TransformResult,
  type TransformSpec,
  type NamedTransform,
} from './transform.ts';
export type { DeadLetterQueue, Failure, FailureStage } from './dead-letter.ts';
export { deadLetterContext } from './dead-letter.ts';
export { createDecoder, type DecodeOptions, type RecordFormat, type Decoded } from './decode.ts';
export { Backoff, type BackoffOptions, sleep } from './backoff.ts';
export { InFlightBudget, footprintOf, type BudgetLimits } from './budget.ts';
export { CheckpointTracker, Ticket, type PartitionSnapshot } from './tracker.ts';
export { createEngineMetrics, type EngineMetrics } from './metrics.ts';
export { Connector, type ConnectorParts, STOP_GRACE_MS, type StopReport } from './connector.ts';
export type { ErrorTolerance } from './pipeline.ts';
export { TransformChain, type ChainListener, type ChainRun } from './chain.ts';
export type { ConnectorState, ConnectorStatus, MemberTaskState, SinkStatus, SourceStatus } from './status.ts';
export type { PartitionLag } from './offsets-watch.ts';
export { compileTemplate, lookup, TemplateSyntaxError, type Template } from './template.ts';
