/**
 * The offsets tooling, source-neutral: reset targets and plans, applying them with the checks (no live member,
 * read back), logbridge's offsets file and KIP-875 rows, and the checkpoints of AMQP consumers (the Splunk MSCS
 * add-on's file, Azure Blob checkpoints) to import. A source plugs in through {@link OffsetsAdapter}.
 * @module
 */
export {
  describeGroupOffsets,
  groupActivity,
  isGroupActive,
  partitionKey,
  withLag,
  type GroupActivity,
  type OffsetsAdapter,
  type OffsetsSession,
  type PartitionState,
  type PositionToApply,
} from './adapter.ts';
export {
  GroupActiveError,
  OffsetsRequestError,
  OffsetsFileError,
  OffsetsNotAppliedError,
  type OffsetMismatch,
} from './errors.ts';
export {
  describeSpec,
  planTargets,
  rowEffect,
  selectPartitions,
  type AutoOffsetReset,
  type ExplicitOffset,
  type PartitionSelection,
  type PlannedOffset,
  type ResetSpec,
  type TargetContext,
} from './reset-targets.ts';
export {
  planReset,
  plannedChanges,
  type GroupTopics,
  type PlanOptions,
  type ResetPlan,
} from './reset-plan.ts';
export {
  applyPlan,
  deleteGroupOffsets,
  type ApplyResult,
  type ChangeOptions,
  type DeleteResult,
} from './apply.ts';
export {
  exportOffsets,
  formatOffsetsDocument,
  offsetsDocument,
  parseConnectOffsets,
  parseOffsetsDocument,
  toConnectOffsets,
  OFFSETS_FILE_FORMAT,
  OFFSETS_FILE_VERSION,
  type ConnectOffsetRow,
  type OffsetsDocument,
  type ParsedOffsetsFile,
} from './offsets-file.ts';
export {
  addOnFileEventHub,
  checkpointOffsets,
  parseAddOnCheckpointFile,
  parseAddOnOwnerships,
  parseBlobCheckpoints,
  type EventHubCheckpoint,
} from './checkpoint-files.ts';
export {
  readOffsetsFile,
  detectOffsetsFormat,
  OFFSETS_FILE_FORMATS,
  type ImportedOffsets,
  type OffsetsFileFormat,
  type ReadOffsetsOptions,
} from './offsets-import.ts';
