/**
 * Who is calling: the token from `?token=` or `Authorization`, reference §2. Codes: missing token 401/2, an
 * `Authorization` header in no known scheme 401/3, an unknown token 403/4, a disabled one 403/1, `?token=` on a token
 * without `allowQueryStringAuth` 400/16.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ResolvedToken } from './options.ts';
import { Code } from './protocol.ts';

/** The authenticated token, or the HEC code that refuses the request. */
export type AuthOutcome =
  | { readonly ok: true; readonly token: string; readonly config: ResolvedToken }
  | { readonly ok: false; readonly code: number };

const SPLUNK_SCHEME = /^Splunk\s+(\S+)\s*$/i;
const BASIC_SCHEME = /^Basic\s+(\S+)\s*$/i;

/**
 * The token in an `Authorization` header: `Splunk <token>`, or Basic with the token as password (listed by the
 * reference, unconfirmed: any user name is accepted). `undefined` when the header is in neither form.
 */
function tokenOfHeader(header: string): string | undefined {
  const splunk = SPLUNK_SCHEME.exec(header);
  if (splunk !== null) return splunk[1];
  const basic = BASIC_SCHEME.exec(header);
  if (basic === null) return undefined;
  const credentials = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
  const password = credentials.slice(credentials.indexOf(':') + 1);
  return password === '' ? undefined : password;
}

function check(token: string, tokens: ReadonlyMap<string, ResolvedToken>, viaQuery: boolean): AuthOutcome {
  const config = tokens.get(token);
  if (config === undefined) return { ok: false, code: Code.invalidToken };
  if (viaQuery && !config.allowQueryStringAuth) return { ok: false, code: Code.queryStringAuthDisabled };
  if (config.disabled) return { ok: false, code: Code.tokenDisabled };
  return { ok: true, token, config };
}

/**
 * Authenticates a request. A non-empty `?token=` takes precedence over the header even when the token does not
 * allow query-string auth (reference §2: then 400/16).
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  tokens: ReadonlyMap<string, ResolvedToken>,
): AuthOutcome {
  const queryToken = query.get('token');
  if (queryToken !== null && queryToken !== '') return check(queryToken, tokens, true);
  const header = headers.authorization;
  if (header === undefined || header.trim() === '') return { ok: false, code: Code.tokenRequired };
  const token = tokenOfHeader(header);
  if (token === undefined) return { ok: false, code: Code.invalidAuthorization };
  return check(token, tokens, false);
}
