/**
 * A protocol-faithful Splunk HEC server for tests, benchmarks and the lab; see README.md in this folder and
 * `shared/reference/splunk-hec.md`.
 */
export { startHecServer } from './server.ts';
export type { HecServer } from './server.ts';
export { DEFAULT_TOKEN } from './options.ts';
export type { AckLimits, AckSettings, HecServerOptions, TokenConfig } from './options.ts';
export type { HecEvent } from './event.ts';
export type { FaultHandle, FaultRequest, FaultRule } from './faults.ts';
export type { HecRequestRecord } from './recorder.ts';
export { Code, HEC_CODES } from './protocol.ts';
export type { Endpoint, HecReply, HecStatus } from './protocol.ts';
export { createTestCertificates } from './test-certificates.ts';
export type { TestCertificates } from './test-certificates.ts';
