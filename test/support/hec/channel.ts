/**
 * The data channel, reference §2: a client-chosen GUID in `X-Splunk-Request-Channel` or `?channel=` (the header wins
 * when both are given). Required when the token has ack on (else 400/10); a value that is not a UUID is 400/11.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Code, isGuid } from './protocol.ts';

/** The request's channel, if any. */
export function channelOf(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const header = headers['x-splunk-request-channel'];
  const value = (Array.isArray(header) ? header[0] : header) ?? query.get('channel') ?? undefined;
  return value === '' ? undefined : value;
}

/** The HEC code refusing the channel (10 missing though `required`, 11 not a GUID), or `undefined` if fine. */
export function channelError(channel: string | undefined, required: boolean): number | undefined {
  if (channel === undefined) return required ? Code.channelMissing : undefined;
  return isGuid(channel) ? undefined : Code.invalidChannel;
}
