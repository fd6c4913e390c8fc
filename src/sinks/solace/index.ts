/**
 * The `solace` sink: Solace PubSub+ over SMF with solclientjs, guaranteed delivery to topics built by `../topic/`.
 * @module
 */
export { solaceSpec } from './spec.ts';
export { SolaceSink, type SolaceSinkOptions } from './sink.ts';
export { solaceSinkSchema, type SolaceSinkConfig } from './config.ts';
export {
  Subcode,
  OperationRefusedError,
  type SessionEvent,
  type SessionPort,
  type SessionFactory,
  type SessionSettings,
  type PreparedMessage,
  type DeliveryMode,
} from './session.ts';
export { loadSolclient } from './solclient.ts';
export {
  SolaceNoSubscriberError,
  SolaceTooLargeError,
  SolaceAclError,
  SolaceSpoolFullError,
  SolaceRejectedError,
  SolaceLoginError,
  SolaceConfigError,
  SolaceConnectionError,
  SolaceLibraryError,
} from './errors.ts';
