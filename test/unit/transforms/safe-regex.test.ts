/**
 * User patterns run in V8's linear-time engine: every accepted pattern carries the `l` flag, the attack corpus of
 * issue #12 included, and what the engine cannot run is refused with the reason. The rewrites (ignore case, the first
 * group's position, counted repetitions) are checked against V8's own backtracking engine on random patterns and
 * texts: the same matches, at the same places. Speed is measured in bench/regex.ts, not here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expandCounts,
  foldCase,
  rewriteGroups,
  RewriteProblem,
} from '../../../src/transforms/regex-linear.ts';
import { parseRegex, printRegex } from '../../../src/transforms/regex-syntax.ts';
import {
  compileFindPattern,
  compileReplacePattern,
  compileUserRegex,
  type FindPattern,
} from '../../../src/transforms/safe-regex.ts';

function linear(source: string, ignoreCase = false): RegExp {
  const compiled = compileUserRegex(source, { ignoreCase });
  if (!(compiled instanceof RegExp)) throw new Error(`${source}: ${compiled.problem}`);
  return compiled;
}

describe('user regular expressions', () => {
  it.each([
    '^(shop|pay)$',
    'ERROR|WARN',
    '(\\d{1,3}\\.){3}\\d{1,3}',
    'user=(\\S+) pass=(\\S+)',
    '[a-z]+@[a-z]+\\.com',
    '(?<name>x+)?y',
    '.*error.*',
    '[(+*]+\\(',
    '[0-9a-f]{32}',
    '(?<=id=)\\d+',
    // Catastrophic for a backtracking engine, linear here.
    '(a+)+$',
    '(a|ab)*c',
    '(?:\\w*\\s?)*x',
    '\\d+\\d*x',
  ])('runs %s in the linear-time engine', (source) => {
    expect(linear(source).flags).toContain('l');
  });

  it.each(['\\s+$', '\\s*a\\s*b', '.*a.*a.*a.*b', '(a?){25}a{25}'])(
    'runs the attack corpus pattern %s in the linear-time engine, with the same answers',
    (source) => {
      const regex = linear(source);
      expect(regex.flags).toContain('l');
      for (const text of [' '.repeat(300), `${' '.repeat(300)}x`, 'a'.repeat(60), ' a b', 'xaaab']) {
        expect(regex.exec(text)?.[0], JSON.stringify(text)).toBe(new RegExp(source).exec(text)?.[0]);
      }
    },
  );

  it.each([
    ['(a)\\1', 'has a backreference (\\1)'],
    ['(?<q>["\'])\\k<q>', 'has a backreference (\\k<q>)'],
    ['x(?=y)', 'has a lookahead'],
    ['x(?!y)', 'has a lookahead'],
    ['\\p{L}+', 'uses \\p{L}'],
    ['(?m:^a)', 'uses inline flags m or s'],
    ['((a{100}){100}){100}', 'has counted repetitions that come to about'],
  ])('refuses %s: %s', (source, problem) => {
    const compiled = compileUserRegex(source);
    expect(compiled).toEqual({ problem: expect.stringContaining(problem) as unknown });
  });

  it('refuses invalid syntax', () => {
    expect((compileUserRegex('([') as { problem: string }).problem).toMatch(
      /^is not a valid regular expression/,
    );
  });

  it('ignores case without the i flag, and honours (?i:…)', () => {
    const regex = linear('secret-[a-c]+', true);
    expect(regex.flags).toBe('l');
    expect(regex.test('SeCrEt-AbC')).toBe(true);
    expect(linear('x(?i:ab)').test('xAB')).toBe(true);
    expect(linear('x(?i:ab)').test('XAB')).toBe(false);
    expect(linear('(?-i:a)b', true).test('aB')).toBe(true);
    expect(linear('(?-i:a)b', true).test('AB')).toBe(false);
  });

  it('finds the first group of a mask pattern without the d flag', () => {
    const pattern = compileFindPattern('emp(?:loyee)?[ =:]+(\\w+)', { ignoreCase: true }) as FindPattern;
    expect(pattern.regex.flags).toBe('gl');
    const match = pattern.regex.exec('x EMPLOYEE: bob y');
    expect(match?.index).toBe(2);
    expect(match?.[2]).toBe('bob');
    expect((match?.index ?? 0) + (match?.[1]?.length ?? 0)).toBe('x EMPLOYEE: '.length);
    expect(compileFindPattern('a|(b)')).toEqual({
      problem: expect.stringContaining('put the group at the top level') as unknown,
    });
  });

  it('keeps the groups of a rewrite pattern for $1, and refuses a group it would have to copy', () => {
    const pattern = compileReplacePattern('^acme/(\\w+)/') as RegExp;
    expect('acme/prod/x'.replace(pattern, '$1:')).toBe('prod:x');
    expect(compileReplacePattern('(ab){20}')).toEqual({
      problem: expect.stringContaining('use (?:…) instead of (…)') as unknown,
    });
  });
});

/** Random patterns: the syntax users write, small enough to compare engines on every text. */
const atom = fc.constantFrom(
  'a',
  'b',
  'A',
  'x',
  'é',
  'É',
  '.',
  '\\d',
  '\\w',
  '\\s',
  '\\.',
  '[a-c]',
  '[^b]',
  '[A-Z]',
  '[é\\d]',
  '\\x41',
  '^',
  '$',
  '\\b',
);
const quantifier = fc.constantFrom(
  '',
  '',
  '*',
  '+',
  '?',
  '{2}',
  '{1,3}',
  '{0,2}',
  '{2,}',
  '*?',
  '{1,3}?',
  '{17}',
);
/** Groups repeat less, so that the reference (backtracking) engine stays fast on every text. */
const groupQuantifier = fc.constantFrom('', '', '?', '*', '{2}', '{0,2}', '{1,3}?');
const term = (inner: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(atom, quantifier)
        .map(([a, q]) => (a === '^' || a === '$' || a === '\\b' ? a : a + q)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('(?:', '('), inner, fc.option(inner), groupQuantifier)
        .map(([open, left, right, q]) => `${open}${left}${right === null ? '' : `|${right}`})${q}`),
    },
  );
const sequence = (inner: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.array(term(inner), { minLength: 1, maxLength: 3 }).map((terms) => terms.join(''));
const leaf = sequence(atom);
/** Patterns nest groups two deep at most. */
const pattern: fc.Arbitrary<string> = sequence(sequence(leaf));
const text = fc.string({
  unit: fc.constantFrom('a', 'A', 'b', 'B', 'x', 'é', 'É', '1', ' ', '.', '-'),
  maxLength: 14,
});

function matchOf(regex: RegExp, input: string): [number, string] | null {
  const match = regex.exec(input);
  return match === null ? null : [match.index, match[0]];
}

describe('rewrites, against V8 backtracking engine', () => {
  it('parse and print round-trip', () => {
    fc.assert(
      fc.property(pattern, text, (source, input) => {
        const printed = printRegex(parseRegex(source));
        expect(matchOf(new RegExp(printed), input)).toEqual(matchOf(new RegExp(source), input));
      }),
      { numRuns: 400 },
    );
  });

  it('case folding matches what the i flag matches', () => {
    fc.assert(
      fc.property(pattern, text, (source, input) => {
        const folded = printRegex(foldCase(parseRegex(source), true));
        expect(matchOf(new RegExp(folded), input)).toEqual(matchOf(new RegExp(source, 'i'), input));
      }),
      { numRuns: 400 },
    );
  });

  it('written-out counted repetitions match the same text in the same order of preference', () => {
    fc.assert(
      fc.property(pattern, text, (source, input) => {
        const { tree } = rewriteGroups(parseRegex(source), 'none');
        let expanded: string;
        try {
          expanded = printRegex(expandCounts(tree, 100_000));
        } catch (error) {
          if (error instanceof RewriteProblem) return; // refused, with its reason
          throw error;
        }
        expect(matchOf(new RegExp(expanded), input)).toEqual(matchOf(new RegExp(source), input));
      }),
      { numRuns: 400 },
    );
  });

  it('the compiled conditions answer as the backtracking engine does, with and without ignore case', () => {
    fc.assert(
      fc.property(pattern, text, fc.boolean(), (source, input, ignoreCase) => {
        const compiled = compileUserRegex(source, { ignoreCase });
        if (!(compiled instanceof RegExp)) return;
        expect(compiled.flags).toBe('l');
        expect(matchOf(compiled, input)).toEqual(matchOf(new RegExp(source, ignoreCase ? 'i' : ''), input));
      }),
      { numRuns: 400 },
    );
  });

  it('mask patterns find the span of the first group that the d flag reports', () => {
    const grouped = fc.tuple(pattern, pattern, pattern).map(([a, b, c]) => `${a}(${b})${c}`);
    fc.assert(
      fc.property(grouped, text, (source, input) => {
        const compiled = compileFindPattern(source);
        if ('problem' in compiled) return;
        const reference = new RegExp(source, 'dg');
        const ours = new RegExp(compiled.regex.source, compiled.regex.flags);
        const expected = [...input.matchAll(reference)].map((m) => m.indices?.[1] ?? null);
        const found = [...input.matchAll(ours)].map((m) => {
          const start = m.index + (m[1]?.length ?? 0);
          return [start, start + (m[2]?.length ?? 0)];
        });
        expect(found).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });
});
