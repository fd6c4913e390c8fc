/**
 * The Splunk HTTP Event Collector sink.
 * @module
 */
export type { HecSinkConfig } from './config.ts';
export { HecSink } from './sink.ts';
export {
  HecEventTooLargeError,
  HecInvalidEventError,
  HecAuthError,
  HecIndexError,
  HecBusyError,
  HecServerError,
  HecNetworkError,
  HecProtocolError,
  HecRequestTooLargeError,
  classifyResponse,
  type HecVerdict,
  type HecReply,
} from './errors.ts';
export { hecSinkSchema, type HecMetadata } from './config.ts';
export { splunkHecSpec } from './spec.ts';
