/**
 * The worker: builds connectors from definitions and runs them.
 * @module
 */
export { Worker, InvalidConnectorError } from './worker.ts';
export { validateConnector, buildConnector, type ValidConnector, type BuildDeps } from './build.ts';
