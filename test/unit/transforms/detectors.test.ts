import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BUILT_IN_KINDS,
  builtInDetectors,
  forEachDigitRun,
  type Span,
} from '../../../src/transforms/detectors.ts';

const detectors = builtInDetectors();

/** The values each built-in detector finds in `text`. */
function found(text: string): string[] {
  const spans: Span[] = [];
  for (const kind of BUILT_IN_KINDS) detectors[kind].find(text, spans);
  return spans.sort((a, b) => a.start - b.start).map((s) => `${s.kind}:${text.slice(s.start, s.end)}`);
}

describe('built-in detectors', () => {
  it('finds e-mail addresses', () => {
    expect(found('to jane.doe+eu@mail.example.com, cc "o\'brien"@x.org; bob@localhost; @@; a@b.c')).toEqual([
      'email:jane.doe+eu@mail.example.com',
    ]);
    expect(found('owner=ops_team@shop.example.co.uk.')).toEqual(['email:ops_team@shop.example.co.uk']);
    expect(found('user "renée.müller@bücher.de" and 用户@例子.广告')).toEqual([
      'email:renée.müller@bücher.de',
      'email:用户@例子.广告',
    ]);
  });

  it('finds IPv4 addresses, not versions, dates or octets above 255', () => {
    expect(
      found('from 203.0.113.45:8080 via 10.0.0.1. v1.2.3.4.5 999.1.1.1 2024.11.24 Chrome/130.0.0.0'),
    ).toEqual(['ipv4:203.0.113.45', 'ipv4:10.0.0.1']);
  });

  it('finds IPv6 addresses, not times, MACs, loopback or C++ scopes', () => {
    expect(
      found(
        'peer [2001:db8:85a3::8a2e:370:7334]:443 fe80::1%eth0 ::ffff:192.0.2.1 at 12:30:45 mac 00:1a:2b:3c:4d:5e ::1 std::vector',
      ),
    ).toEqual([
      'ipv6:2001:db8:85a3::8a2e:370:7334',
      'ipv6:fe80::1',
      'ipv6:::ffff:192.0.2.1',
      'ipv4:192.0.2.1',
    ]);
  });

  it('finds card numbers written with spaces or hyphens, not random digit runs or ids', () => {
    expect(
      found(
        'card 4111 1111 1111 1111, 5555-5555-5555-4444 and 378282246310005; order 41111111111111111111 id a4111111111111111b ts 1732436102114218 3.4111111111111111',
      ),
    ).toEqual(['card:4111 1111 1111 1111', 'card:5555-5555-5555-4444', 'card:378282246310005']);
  });

  it('finds a card among neighbouring digit groups', () => {
    expect(found('qty 5 4111111111111111 x')).toEqual(['card:4111111111111111']);
  });

  it('finds bearer tokens and JWTs', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_nature';
    expect(found(`Authorization: Bearer ${jwt}`)).toEqual([`bearer:${jwt}`, `jwt:${jwt}`]);
    expect(found('authorization: bearer abc.DEF~ghi+/= next')).toEqual(['bearer:abc.DEF~ghi+/=']);
    expect(found(`token=${jwt}&x=1`)).toEqual([`jwt:${jwt}`]);
  });

  it('finds Azure keys, SAS signatures and connection-string passwords', () => {
    expect(
      found(
        'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=q4Lr0n8c+/Zz==;EndpointSuffix=core.windows.net',
      ),
    ).toEqual(['azure-secret:q4Lr0n8c+/Zz==']);
    expect(found('https://acme.blob.core.windows.net/c?sv=2022-11-02&sig=AbC%2Bd%3D&se=2024')).toEqual([
      'azure-secret:AbC%2Bd%3D',
    ]);
    expect(found('Endpoint=sb://x/;SharedAccessKeyName=l;SharedAccessKey=Zm9v')).toEqual([
      'azure-secret:Zm9v',
    ]);
    expect(found('Server=tcp:db;User Id=app;Password=S3cr3t!;')).toEqual(['azure-secret:S3cr3t!']);
  });

  it('runs in linear time on hostile input', () => {
    const hostile = [
      'a'.repeat(200_000) + '@',
      '@'.repeat(200_000),
      '1 '.repeat(100_000),
      '1-'.repeat(100_000),
      ':'.repeat(200_000),
      'a:'.repeat(100_000),
      '1.'.repeat(100_000),
      'bearer '.repeat(30_000),
      'eyJ'.repeat(60_000),
      'sig='.repeat(50_000),
      'x@x.'.repeat(50_000),
    ];
    for (const text of hostile) expect(found(text).length).toBeLessThan(text.length);
  });
});

describe('digit runs (where card numbers are looked for)', () => {
  const runs = (text: string): Array<[number, number]> => {
    const found: Array<[number, number]> = [];
    forEachDigitRun(text, (start, end) => found.push([start, end]));
    return found;
  };
  const byRegex = (text: string): Array<[number, number]> =>
    [...text.matchAll(/\d(?:[ -]?\d){12,}/g)].map((match) => [match.index, match.index + match[0].length]);

  it('finds runs of 13 or more digits with single spaces or hyphens between groups', () => {
    expect(runs('4111 1111 1111 1111')).toEqual([[0, 19]]);
    expect(runs('x 1-2-3-4-5-6-7-8-9-0-1-2-3 y')).toEqual([[2, 27]]);
    expect(runs('123456789012 3')).toEqual([[0, 14]]);
    expect(runs('123456789012')).toEqual([]);
    expect(runs('1234567 -890123456')).toEqual([]);
    expect(runs('1234567  890123456')).toEqual([]);
    expect(runs('a1234567890123b 1234567890123')).toEqual([
      [1, 14],
      [16, 29],
    ]);
  });

  it('finds what the regular expression /\\d(?:[ -]?\\d){12,}/g matches, on any text', () => {
    // Digit groups with what may or may not join them, so that runs of about 13 digits are common.
    const group = fc.stringMatching(/^\d{1,14}$/);
    const joint = fc.constantFrom('', ' ', '-', '  ', ' -', 'a', '.', 'é', 'x y');
    const text = fc
      .array(fc.tuple(group, joint), { maxLength: 12 })
      .chain((parts) => fc.tuple(fc.string({ maxLength: 13 }), fc.constant(parts)))
      .map(([lead, parts]) => lead + parts.map(([digits, glue]) => digits + glue).join(''));
    fc.assert(
      fc.property(text, (sample) => {
        expect(runs(sample)).toEqual(byRegex(sample));
      }),
      { numRuns: 3000 },
    );
  });
});
