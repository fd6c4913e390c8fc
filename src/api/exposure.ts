/**
 * Closed by default: the REST API binds to loopback unless told otherwise, and never listens on another address
 * without a token unless the operator says so (`rest.auth.required=false`). The start-up line says where it really
 * listens and whether it asks for a token.
 * @module
 */
import { isIP } from 'node:net';
import { BridgeError } from '../engine/index.ts';

/** The REST API would listen on a non-loopback address without a token. */
export class UnprotectedApiError extends BridgeError {
  readonly code = 'LB_REST_UNPROTECTED';
  readonly disposition = 'fatal';
}

/** Where and how the API is to listen. */
export interface Exposure {
  readonly host: string;
  readonly token: string;
  /** `rest.auth.required`. */
  readonly required: boolean;
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::ffff:127.0.0.1';
}

/**
 * Checks the exposure before listening.
 * @returns true when the API will be open to anyone who can reach the address (the caller warns).
 * @throws UnprotectedApiError when a non-loopback address has no token and `rest.auth.required` is true.
 */
export function checkExposure(exposure: Exposure): boolean {
  if (isLoopback(exposure.host) || exposure.token !== '') return false;
  if (!exposure.required) return true;
  throw new UnprotectedApiError(
    `the REST API would listen on ${exposure.host} without a token: set rest.auth.token ` +
      '(LOGBRIDGE_REST_AUTH_TOKEN or LOGBRIDGE_REST_AUTH_TOKEN_FILE), or bind to loopback (LOGBRIDGE_REST_HOST=127.0.0.1), ' +
      'or accept an open API with rest.auth.required=false (LOGBRIDGE_REST_AUTH_REQUIRED=false)',
  );
}
