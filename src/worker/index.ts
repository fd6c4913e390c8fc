/**
 * The worker: builds connectors from definitions and runs them, in standalone or distributed mode.
 * @module
 */
export { Worker, type WorkerOptions } from './worker.ts';
export {
  validateConnector,
  buildConnector,
  kafkaSourceOf,
  type ValidConnector,
  type BuildDeps,
} from './build.ts';
export {
  OperationError,
  InvalidConnectorError,
  ConnectorNotFoundError,
  ConnectorExistsError,
  BadRequestError,
  ConflictError,
  type OperationErrorKind,
} from './errors.ts';
export { ConnectorSlot } from './slot.ts';
export { offsetsAdapterOf, startPolicyKey } from './source-offsets.ts';
export {
  MemoryConfigStore,
  type ConfigStore,
  type StoreChange,
  type StoredConnector,
  type TargetState,
} from './store.ts';
export { configTopicStore } from './distributed.ts';
export { previewConnector, sampleFromTopics, MAX_PREVIEW_RECORDS } from './preview.ts';
export { MemberProcesses, MirroredStore, mergedMetrics, type SpawnMember } from './members.ts';
export { PrimaryStore, type PrimaryChannel } from './primary-store.ts';
export type { FromMember, ToMember } from './member-protocol.ts';
export { containerLimits, type Limits, memoryPerProcess, workerProcesses } from './processes.ts';
