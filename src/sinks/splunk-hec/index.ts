/**
 * The Splunk HTTP Event Collector sink.
 * @module
 */
export type { HecSinkConfig, HecMetadata } from './config.ts';
export type { HecPayload } from './encoder.ts';
export { HecSink, type HecSinkDeps } from './sink.ts';
export {
  HecEventTooLargeError,
  HecInvalidEventError,
  HecAuthError,
  HecIndexError,
  HecChannelError,
  HecBusyError,
  HecServerError,
  HecNetworkError,
  HecUnavailableError,
  HecAckTimeoutError,
  HecAckLostError,
  HecProtocolError,
  HecRequestTooLargeError,
  classifyResponse,
  type HecVerdict,
  type HecReply,
} from './errors.ts';
export { hecSinkSchema } from './schema.ts';
export { hecMetrics, type HecMetrics } from './metrics.ts';
export { splunkHecSpec } from './spec.ts';
