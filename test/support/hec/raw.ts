/**
 * `/raw` bodies: bytes through "normal parsing", metadata from the query string only (reference §1, §3). The server
 * breaks lines with a configurable breaker, Splunk's default `LINE_BREAKER = ([\r\n]+)`; line merging and timestamp
 * extraction (props.conf) are not modelled, and empty lines are dropped as Splunk drops them.
 */
import type { DraftEvent, EventDefaults, ParsedBody } from './event.ts';
import { Code } from './protocol.ts';

/** Splunk's default `LINE_BREAKER`. */
export const DEFAULT_LINE_BREAKER = /[\r\n]+/;

/**
 * Splits a decoded `/raw` body into events. No line → code 5; an index outside the token's `indexes` → code 7
 * (request-wide, so no `invalid-event-number`).
 */
export function parseRawBody(text: string, defaults: EventDefaults, lineBreaker: RegExp): ParsedBody {
  if (defaults.allowedIndexes?.has(defaults.index) === false) {
    return { events: [], error: { code: Code.incorrectIndex, invalidEventNumber: undefined } };
  }
  const events: DraftEvent[] = [];
  for (const line of text.split(lineBreaker)) {
    if (line.length === 0) continue;
    events.push({
      endpoint: 'raw',
      event: line,
      time: defaults.time,
      host: defaults.host,
      source: defaults.source,
      sourcetype: defaults.sourcetype,
      index: defaults.index,
      fields: undefined,
      channel: defaults.channel,
      token: defaults.token,
      ackId: undefined,
    });
  }
  if (events.length === 0) return { events, error: { code: Code.noData, invalidEventNumber: undefined } };
  return { events, error: undefined };
}
