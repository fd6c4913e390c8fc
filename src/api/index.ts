/**
 * The REST API, metrics and health endpoints.
 * @module
 */
export { buildApi, type ApiDeps, type ApiServer } from './server.ts';
export { ApiError } from './errors.ts';
