import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWithCutEdges, hasCutEdges, repairCutEdges } from '../../../src/engine/utf8-boundary.ts';

describe('characters cut at record boundaries', () => {
  it('decodes fragments cut anywhere and joins them back to the original text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.nat(), fc.nat(), (text, a, b) => {
        const bytes = Buffer.from(text, 'utf8');
        const cuts = [a % (bytes.length + 1), b % (bytes.length + 1)].sort((x, y) => x - y);
        const parts = [bytes.subarray(0, cuts[0]), bytes.subarray(cuts[0], cuts[1]), bytes.subarray(cuts[1])];
        const decoded = parts.map((part) => decodeWithCutEdges(part));
        // Each part is at most cut at its edges, so each decodes; together they repair to the original.
        for (const d of decoded) expect(d).toBeDefined();
        expect(repairCutEdges(decoded.join(''))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses values invalid in the middle, and leaves whole text untouched', () => {
    expect(decodeWithCutEdges(Buffer.from([0x61, 0xc3, 0x28, 0x62]))).toBeUndefined();
    expect(decodeWithCutEdges(Buffer.from('héllo'))).toBe('héllo');
    expect(hasCutEdges('héllo')).toBe(false);
  });

  it('marks a fragment ending inside a character, and a lone cut stays invalid', () => {
    const e = Buffer.from('é', 'utf8');
    const head = decodeWithCutEdges(Buffer.concat([Buffer.from('caf'), e.subarray(0, 1)]));
    expect(head).toBeDefined();
    expect(hasCutEdges(head ?? '')).toBe(true);
    expect(repairCutEdges(head ?? '')).toBeUndefined();
    expect(repairCutEdges({ log: `${head ?? ''}${decodeWithCutEdges(e.subarray(1)) ?? ''}`, n: 1 })).toEqual({
      log: 'café',
      n: 1,
    });
  });
});
