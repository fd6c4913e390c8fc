import { describe, expect, it } from 'vitest';
import { classifyResponse } from '../../../../src/sinks/splunk-hec/index.ts';

/** The status table of reference/splunk-hec.md §5 with our action per row. */
const TABLE: [number, number | undefined, string][] = [
  [200, 0, 'success'],
  [403, 1, 'fatal:LB_HEC_AUTH'],
  [401, 2, 'fatal:LB_HEC_AUTH'],
  [401, 3, 'fatal:LB_HEC_AUTH'],
  [403, 4, 'fatal:LB_HEC_AUTH'],
  [400, 5, 'fatal:LB_HEC_PROTOCOL'],
  [400, 6, 'invalid-event'],
  [400, 7, 'fatal:LB_HEC_INDEX'],
  [500, 8, 'retry:LB_HEC_SERVER'],
  [503, 9, 'retry:LB_HEC_BUSY'],
  [400, 10, 'fatal:LB_HEC_CHANNEL'],
  [400, 11, 'fatal:LB_HEC_CHANNEL'],
  [400, 12, 'invalid-event'],
  [400, 13, 'invalid-event'],
  [400, 15, 'invalid-event'],
  [400, 16, 'fatal:LB_HEC_AUTH'],
  [429, undefined, 'retry:LB_HEC_BUSY'],
  [502, undefined, 'retry:LB_HEC_SERVER'],
  [504, undefined, 'retry:LB_HEC_SERVER'],
  [408, undefined, 'retry:LB_HEC_SERVER'],
  [404, undefined, 'fatal:LB_HEC_PROTOCOL'],
  [415, undefined, 'fatal:LB_HEC_PROTOCOL'],
  [413, undefined, 'too-large'],
];

describe('classifyResponse', () => {
  it.each(TABLE)('HTTP %i code %s → %s', (status, code, expected) => {
    const verdict = classifyResponse(status, code === undefined ? undefined : { code, text: 'x' });
    const got =
      verdict.kind === 'error' ? `${verdict.error.disposition}:${verdict.error.code}` : verdict.kind;
    expect(got).toBe(expected);
  });

  it('points at the bad event with invalid-event-number', () => {
    const verdict = classifyResponse(400, {
      text: 'Invalid data format',
      code: 6,
      'invalid-event-number': 3,
    });
    expect(verdict).toMatchObject({ kind: 'invalid-event', index: 3 });
  });

  it('reads Retry-After in seconds, capped at 5 minutes', () => {
    expect(classifyResponse(429, undefined, '7')).toMatchObject({ retryAfterMs: 7000 });
    expect(classifyResponse(503, { code: 9 }, '9999')).toMatchObject({ retryAfterMs: 300_000 });
  });

  it('leaves the event number undefined when HEC gives none, so the batch is halved to find it', () => {
    expect(classifyResponse(400, { text: 'Invalid data format', code: 6 })).toMatchObject({
      kind: 'invalid-event',
      index: undefined,
    });
  });

  it('names the refused index when the caller can tell it', () => {
    const verdict = classifyResponse(
      400,
      { text: 'Incorrect index', code: 7, 'invalid-event-number': 1 },
      undefined,
      (n) => (n === 1 ? 'secret' : undefined),
    );
    expect(verdict.kind === 'error' && verdict.error.message).toMatch(/index "secret"/);
  });

  it('treats a 503 carrying invalid-event-number (busy) as busy, not as a bad event', () => {
    const verdict = classifyResponse(503, { text: 'Server is busy', code: 9, 'invalid-event-number': 0 });
    expect(verdict.kind === 'error' && verdict.error.code).toBe('LB_HEC_BUSY');
  });

  it('ignores a Retry-After that is not a number of seconds', () => {
    expect(classifyResponse(429, undefined, 'Wed, 21 Oct 2015 07:28:00 GMT')).not.toHaveProperty(
      'retryAfterMs',
    );
  });

  it('returns the ack id on success', () => {
    expect(classifyResponse(200, { text: 'Success', code: 0, ackId: 4 })).toEqual({
      kind: 'success',
      ackId: 4,
    });
  });
});
