import { describe, expect, it } from 'vitest';
import { isKafkajsNegativeTimeout, warningText } from '../../../src/cli/warnings.ts';

function warning(name: string, stack: string, code?: string): Error {
  return Object.assign(new Error('-1796278000000 is a negative number.'), { name, stack, code });
}

describe('process warnings', () => {
  it("contains only kafkajs' negative throttle-check timeout", () => {
    const kafkajs =
      'TimeoutNegativeWarning: …\n    at new Timeout (node:internal/timers:195:17)\n    at setTimeout (node:timers:120:19)\n' +
      '    at RequestQueue.scheduleCheckPendingRequests (/app/node_modules/kafkajs/src/network/requestQueue/index.js:317:37)';
    expect(isKafkajsNegativeTimeout(warning('TimeoutNegativeWarning', kafkajs))).toBe(true);
    const ours =
      'TimeoutNegativeWarning: …\n    at setTimeout (node:timers:120:19)\n    at file:///app/src/engine/committer.ts:40:5';
    expect(isKafkajsNegativeTimeout(warning('TimeoutNegativeWarning', ours))).toBe(false);
    expect(isKafkajsNegativeTimeout(warning('DeprecationWarning', kafkajs))).toBe(false);
  });

  it('prints other warnings on one line, as Node does', () => {
    expect(warningText(Object.assign(warning('DeprecationWarning', 'x'), { code: 'DEP0123' }))).toBe(
      '[DEP0123] DeprecationWarning: -1796278000000 is a negative number.',
    );
  });
});
