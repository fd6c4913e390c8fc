/**
 * The eventhubs source (Event Hubs over AMQP, `@azure/event-hubs`, loaded only when a connector uses it): the SDK's
 * load balancing through a checkpoint store (Azure Blob, or a local file), our watermark as the only checkpoint, and
 * dead letters to an event hub.
 * @module
 */
export type { EventHubsSourceConfig, CheckpointStoreSettings } from './config.ts';
export { eventHubsSourceSchema } from './config.ts';
export { validateEventHubsSource, createEventHubsSource, eventHubsSourceKeys } from './spec.ts';
export type { EventHubsDeadLetterSettings } from './dead-letter.ts';
export { EventHubsSource, type EventHubsClientFactory } from './source.ts';
export { FileCheckpointStore } from './file-store.ts';
export { eventHubsOffsets } from './offsets.ts';
export {
  EventHubsAuthError,
  EventHubsNotFoundError,
  EventHubsTransientError,
  CheckpointStoreError,
} from './errors.ts';
