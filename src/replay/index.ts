/**
 * Replay: re-send a time window of a connector's topics to its sinks with a consumer group of its own, marking
 * every event (`logbridge replay`). This folder holds the engine-level pieces (the window source, the replay's
 * definition, progress); `src/cli/replay-run.ts` runs them against Kafka.
 * @module
 */
export { WindowSource, type PartitionWindow, type WindowProgress } from './window-source.ts';
export {
  REPLAY_MARKER,
  newReplayId,
  replayDefinition,
  replayGroupId,
  sinksOf,
  type ReplayChanges,
} from './definition.ts';
export { RateMeter, progressLine, duration, type ProgressSample } from './progress.ts';
