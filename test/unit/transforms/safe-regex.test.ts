import { describe, expect, it } from 'vitest';
import { backtrackingProblem, compileUserRegex } from '../../../src/transforms/safe-regex.ts';

describe('user regular expressions', () => {
  it.each([
    '^(shop|pay)$',
    'ERROR|WARN',
    '(\\d{1,3}\\.){3}\\d{1,3}',
    'user=(\\S+) pass=(\\S+)',
    '[a-z]+@[a-z]+\\.com',
    '(?:ab)+c',
    '(?<name>x+)?y',
    '.*error.*',
    'a{2,5}b*',
    '[(+*]+\\(',
  ])('accepts %s', (source) => {
    expect(backtrackingProblem(source)).toBeUndefined();
    expect(compileUserRegex(source)).toBeInstanceOf(RegExp);
  });

  it.each([
    ['(a+)+$', 'repeats a group that contains a repetition'],
    ['(?:\\w*\\s?)*x', 'repeats a group that contains a repetition'],
    ['((ab)*c)+', 'repeats a group that contains a repetition'],
    ['(a{1,20}){1,20}', 'repeats a group that contains a repetition'],
    ['(a|ab)*c', 'repeats a group that contains an alternation'],
    ['(?:x|(y))+', 'repeats a group that contains an alternation'],
    ['\\d+\\d*x', 'has two unbounded repetitions in a row'],
    ['.*.*=.*', 'has two unbounded repetitions in a row'],
    ['(a)\\1', 'has a backreference'],
    ['(?<q>["\'])\\k<q>', 'has a backreference'],
  ])('refuses %s: %s', (source, problem) => {
    expect(backtrackingProblem(source)).toBe(problem);
    expect(compileUserRegex(source)).toEqual({ problem: `${problem} (a ReDoS risk); rewrite the pattern` });
  });

  it('refuses invalid syntax and compiles the flags asked for', () => {
    expect((compileUserRegex('([') as { problem: string }).problem).toMatch(
      /^is not a valid regular expression/,
    );
    const regex = compileUserRegex('secret', { ignoreCase: true, findAll: true });
    expect(regex).toBeInstanceOf(RegExp);
    expect((regex as RegExp).flags).toBe('dgi');
  });
});
