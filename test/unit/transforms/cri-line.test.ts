import { describe, expect, it } from 'vitest';
import { parseCriLine, parseCriTime } from '../../../src/transforms/cri-line.ts';

describe('parseCriLine', () => {
  it('parses time, stream, tag and content, keeping the nanoseconds as written', () => {
    expect(parseCriLine('2024-11-24T08:16:00.000120001Z stdout F hello world')).toEqual({
      time: '2024-11-24T08:16:00.000120001Z',
      timeMs: Date.UTC(2024, 10, 24, 8, 16, 0, 0),
      stream: 'stdout',
      logtag: 'F',
      partial: false,
      content: 'hello world',
    });
  });

  it('reads P fragments, stderr, extra tags, offsets and keeps spaces inside the content', () => {
    const line = parseCriLine('2024-11-24T10:16:00.5+02:00 stderr P:x   two  spaces ');
    expect(line).toMatchObject({ stream: 'stderr', logtag: 'P:x', partial: true, content: '  two  spaces ' });
    expect(line?.timeMs).toBe(Date.UTC(2024, 10, 24, 8, 16, 0, 500));
  });

  it('takes one trailing newline as the line end, and allows empty content', () => {
    expect(parseCriLine('2024-11-24T08:16:00Z stdout F text\n')?.content).toBe('text');
    expect(parseCriLine('2024-11-24T08:16:00Z stdout F \n')?.content).toBe('');
    expect(parseCriLine('2024-11-24T08:16:00Z stdout F')?.content).toBe('');
    expect(parseCriLine('2024-11-24T08:16:00Z stdout F a\n\n')?.content).toBe('a\n');
  });

  it.each([
    'plain text line',
    '2024-11-24T08:16:00Z stdin F text',
    '2024-11-24T08:16:00Z stdout X text',
    '2024-11-24 08:16:00Z stdout F text',
    '2024-11-24T08:16:00 stdout F text',
    '2024-13-45T08:16:00Z stdout F text',
    '2024-11-24T08:16:00.1234567890Z stdout F too many fraction digits',
    '2024-11-24T08:16:00Z stdout',
    '',
  ])('refuses %j', (text) => {
    expect(parseCriLine(text)).toBeUndefined();
  });

  it('parses RFC 3339 times only', () => {
    expect(parseCriTime('2024-11-24T08:15:02.114218391Z')).toBe(Date.UTC(2024, 10, 24, 8, 15, 2, 114));
    expect(parseCriTime('Sun, 24 Nov 2024 08:15:02 GMT')).toBeUndefined();
  });
});
