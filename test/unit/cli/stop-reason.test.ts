/** The reason the last log line gives for a stop, from each connector's stop report. */
import { describe, expect, it } from 'vitest';
import { stopReason } from '../../../src/cli/run.ts';
import type { StopReport } from '../../../src/engine/index.ts';

const clean: StopReport = {
  started: true,
  drained: true,
  undelivered: 0,
  drainTimeoutMs: 30000,
  cutShort: [],
};

describe('stopReason', () => {
  it('says every connector drained when each did', () => {
    expect(
      stopReason(
        new Map([
          ['a', clean],
          ['b', clean],
        ]),
      ),
    ).toBe('every connector drained and committed');
  });

  it('names each connector that did not drain, never started, or had steps cut short', () => {
    const reason = stopReason(
      new Map<string, StopReport>([
        ['ok', clean],
        ['slow', { ...clean, drained: false, undelivered: 1234 }],
        ['nowhere', { ...clean, started: false, cutShort: ['leaving the group (source stop)'] }],
      ]),
    );
    expect(reason).toBe(
      'slow: drain timed out after 30000 ms: 1234 records not delivered (not committed: they are read again on ' +
        'restart); nowhere: never started (its source had not joined its group); nowhere: leaving the group ' +
        '(source stop) cut short after 4000 ms',
    );
  });

  it('says so when nothing ran', () => {
    expect(stopReason(new Map())).toBe('no connector was running');
  });
});
