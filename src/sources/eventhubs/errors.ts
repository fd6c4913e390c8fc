/**
 * `@azure/event-hubs` failures classified once (the SDK's `MessagingError.code` is the AMQP condition translated):
 * what to retry and what an operator must fix.
 * @module
 */
import { BridgeError } from '../../engine/index.ts';

/** Event Hubs refused the credentials (a wrong or regenerated key, an expired SAS, a missing role). */
export class EventHubsAuthError extends BridgeError {
  readonly code = 'LB_EVENTHUBS_AUTH';
  readonly disposition = 'fatal';
}

/** The event hub or the consumer group does not exist. */
export class EventHubsNotFoundError extends BridgeError {
  readonly code = 'LB_EVENTHUBS_NOT_FOUND';
  readonly disposition = 'fatal';
}

/** A transient failure: network, throttling, a partition moving to another replica. */
export class EventHubsTransientError extends BridgeError {
  readonly code = 'LB_EVENTHUBS_TRANSIENT';
  readonly disposition = 'retry';
}

/** The checkpoint store cannot be used (Blob container missing or refused, file not writable). */
export class CheckpointStoreError extends BridgeError {
  readonly code = 'LB_EVENTHUBS_CHECKPOINT_STORE';
  readonly disposition = 'retry';
}

interface SdkError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
}

/**
 * Maps an SDK error to a BridgeError; `what` names the operation, the connector's key names the fix.
 * BridgeErrors pass through.
 */
export function classifyEventHubsError(error: unknown, what: string): BridgeError {
  if (error instanceof BridgeError) return error;
  const { code, name, message = String(error) } = (error ?? {}) as SdkError;
  const options = { cause: error };
  if (code === 'UnauthorizedError' || name === 'UnauthorizedError') {
    return new EventHubsAuthError(
      `${what}: Event Hubs refused the credentials (${message}); check eventhubs.connection.string (a policy ` +
        "with Listen, and Send for a dead-letter event hub) or the identity's Event Hubs Data Receiver role",
      options,
    );
  }
  if (
    code === 'MessagingEntityNotFoundError' ||
    (code === 'ServiceCommunicationError' && /could not be found/.test(message))
  ) {
    return new EventHubsNotFoundError(
      `${what}: ${message}; check topics (the event hub) and eventhubs.consumer.group (AMQP consumer groups must ` +
        'be created in the portal first)',
      options,
    );
  }
  return new EventHubsTransientError(`${what}: ${message}`, options);
}
