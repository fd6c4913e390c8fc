// The console's calls to the REST API, with the bearer token kept in sessionStorage only (gone with the tab).
const TOKEN_KEY = 'logbridge.token';

/** An answer that was not 2xx, with Kafka Connect's error body. */
export class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** @returns {string | null} */
export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** @param {string | null} value */
export function setToken(value) {
  if (value === null || value === '') sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, value);
}

/**
 * Calls the API; resolves with the parsed JSON body (undefined when empty).
 * @param {string} method @param {string} path @param {unknown} [body]
 */
export async function call(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  const saved = token();
  if (saved !== null) headers.authorization = `Bearer ${saved}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
  });
  const text = await response.text();
  const parsed = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const message = parsed && typeof parsed.message === 'string' ? parsed.message : response.statusText;
    throw new ApiError(response.status, message);
  }
  return parsed;
}

/** @param {string} name */
export const connectorPath = (name) => `/connectors/${encodeURIComponent(name)}`;
