/**
 * The REST API, metrics and health endpoints.
 * @module
 */
export { buildApi, type ApiDeps, type ApiServer } from './server.ts';
export { ApiError } from './errors.ts';
export { checkExposure, isLoopback, UnprotectedApiError } from './exposure.ts';
export { PLUGIN_CLASS } from './routes/plugins.ts';
export type {
  ConnectorService,
  ConnectorView,
  LogLevels,
  OffsetRow,
  OptionEntry,
  TargetState,
} from './port.ts';
