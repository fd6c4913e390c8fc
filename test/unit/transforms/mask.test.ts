import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../src/engine/index.ts';
import { maskType } from '../../../src/transforms/mask.ts';
import { build, event, issuesOf, run } from './events.ts';

const SECRET = 'a-test-secret-of-32-characters!!';
const hmac = (value: string): string => createHmac('sha256', SECRET).update(value).digest('hex');

describe('mask', () => {
  it('redacts every built-in kind in every string of the body by default', () => {
    const { transform, counters } = build(maskType, {});
    const [out] = run(
      transform,
      event({
        log: 'user jane@example.com from 203.0.113.9 paid with 4111 1111 1111 1111',
        nested: { list: ['Bearer abc.def', 'ok'], key: 'AccountKey=Zm9vYmFy;' },
        n: 1,
      }),
    );
    expect(out?.body).toEqual({
      log: 'user [REDACTED:email] from [REDACTED:ipv4] paid with [REDACTED:card]',
      nested: { list: ['Bearer [REDACTED:bearer]', 'ok'], key: 'AccountKey=[REDACTED:azure-secret];' },
      n: 1,
    });
    expect(counters.snapshot()).toEqual({
      masked_email: 1,
      masked_ipv4: 1,
      masked_card: 1,
      masked_bearer: 1,
      'masked_azure-secret': 1,
    });
  });

  it('masks text bodies and card numbers written as JSON numbers', () => {
    const { transform } = build(maskType, {});
    expect(run(transform, event('mail bob@example.org'))[0]?.body).toBe('mail [REDACTED:email]');
    expect(run(transform, event({ pan: 4111111111111111, qty: 3, ts: 1732436102114 }))[0]?.body).toEqual({
      pan: '[REDACTED:card]',
      qty: 3,
      ts: 1732436102114,
    });
  });

  it('masks a value each time it comes, while clean values seen before are passed through', () => {
    const { transform, counters } = build(maskType, {});
    const body = { pod: 'orders-7d9f', owner: 'jane@example.com', image: 'acmecr.azurecr.io/orders:1.2.3' };
    for (let i = 0; i < 3; i += 1) {
      expect(run(transform, event({ ...body }))[0]?.body).toEqual({ ...body, owner: '[REDACTED:email]' });
    }
    expect(counters.snapshot()).toEqual({ masked_email: 3 });
    // Enough one-off clean values to roll the remembered ones over twice: findings are still found.
    for (let i = 0; i < 10_000; i += 1) run(transform, event({ id: `req-${i}` }));
    expect(run(transform, event({ ...body }))[0]?.body).toEqual({ ...body, owner: '[REDACTED:email]' });
    expect(run(transform, event({ id: 'req-3 from 203.0.113.9' }))[0]?.body).toEqual({
      id: 'req-3 from [REDACTED:ipv4]',
    });
    expect(counters.snapshot()).toEqual({ masked_email: 4, masked_ipv4: 1 });
  });

  it('returns the same event when nothing is found', () => {
    const { transform } = build(maskType, {});
    const input = event({ log: 'nothing to see', k: { a: [1, 'b'] } });
    expect(run(transform, input)[0]).toBe(input);
  });

  it('shows the last 4 characters in partial mode, cards keeping their shape', () => {
    const { transform } = build(maskType, { mode: 'partial' });
    const [out] = run(
      transform,
      event({ a: 'card 4111-1111-1111-1111', b: 'jane.doe@example.com', c: 'ip 10.0.0.1' }),
    );
    expect(out?.body).toEqual({ a: 'card ****-****-****-1111', b: '****.com', c: 'ip ****' });
  });

  it('replaces values with a keyed hash that stays the same across events and spellings', () => {
    const { transform } = build(maskType, { mode: 'hash', 'hash.secret': SECRET, 'mode.ipv4': 'redact' });
    const [first] = run(transform, event({ log: 'Jane@Example.com at 10.1.2.3' }));
    const [second] = run(transform, event({ who: 'jane@example.com', card: '4111-1111-1111-1111' }));
    const email = `[HMAC:email:${hmac('jane@example.com').slice(0, 16)}]`;
    expect(first?.body).toEqual({ log: `${email} at [REDACTED:ipv4]` });
    expect(second?.body).toEqual({
      who: email,
      card: `[HMAC:card:${hmac('4111111111111111').slice(0, 16)}]`,
    });
    const long = build(maskType, { mode: 'hash', 'hash.secret': SECRET, 'hash.chars': '64' }).transform;
    expect(run(long, event('x@example.com'))[0]?.body).toBe(`[HMAC:email:${hmac('x@example.com')}]`);
  });

  it('masks only the fields listed, less those excluded, arrays being transparent', () => {
    const { transform } = build(maskType, {
      fields: 'log,records.properties',
      'fields.exclude': 'records.properties.requester',
    });
    const [out] = run(
      transform,
      event({
        log: 'a@example.com',
        other: 'b@example.com',
        records: [
          { properties: { caller: 'c@example.com', requester: 'd@example.com' }, top: 'e@example.com' },
        ],
      }),
    );
    expect(out?.body).toEqual({
      log: '[REDACTED:email]',
      other: 'b@example.com',
      records: [
        { properties: { caller: '[REDACTED:email]', requester: 'd@example.com' }, top: 'e@example.com' },
      ],
    });
  });

  it('runs only the detectors listed, and custom patterns (their first group when they have one)', () => {
    const { transform, counters } = build(maskType, {
      detectors: 'email',
      patterns: 'ticket,employee',
      'pattern.ticket.regex': 'INC-\\d{6}',
      'pattern.employee.regex': 'emp(?:loyee)?[ =:]+(\\w+)',
      'pattern.employee.ignore.case': 'true',
      'mode.ticket': 'partial',
    });
    const [out] = run(
      transform,
      event({ log: 'INC-123456 by EMPLOYEE: jdoe99 (jd@example.com) at 10.0.0.1' }),
    );
    expect(out?.body).toEqual({
      log: '****3456 by EMPLOYEE: [REDACTED:employee] ([REDACTED:email]) at 10.0.0.1',
    });
    expect(counters.get('masked_ticket')).toBe(1);
  });

  it('redacts whole a value too long for custom patterns, or refuses the record', () => {
    const options = {
      detectors: 'none',
      patterns: 'x',
      'pattern.x.regex': 'secret',
      'patterns.max.chars': '64',
    };
    const { transform, counters } = build(maskType, options);
    expect(run(transform, event({ log: 'y'.repeat(65), short: 'a secret' }))[0]?.body).toEqual({
      log: '[REDACTED:oversize]',
      short: 'a [REDACTED:x]',
    });
    expect(counters.get('oversize')).toBe(1);
    const strict = build(maskType, { ...options, 'patterns.oversize': 'reject' }).transform;
    let error: unknown;
    try {
      run(strict, event({ log: 'y'.repeat(65) }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BridgeError);
    expect(error).toMatchObject({ code: 'LB_MASK_OVERSIZE', disposition: 'reject' });
    expect((error as Error).message).not.toContain('yyyy');
  });

  it('reports every invalid option with its path', () => {
    expect(
      issuesOf(maskType, {
        detectors: 'email,phone',
        mode: 'hash',
        'hash.secret': 'short',
        'mode.emial': 'redact',
        'mode.email': 'blur',
        patterns: 'ok,email,Bad',
        'pattern.ok.regex': '(a+)\\1',
        'pattern.ok.ignore.cases': 'true',
        'pattern.stray.regex': 'x',
        fields: 'a.[b',
      }),
    ).toEqual([
      'config.transforms.t.detectors: "phone" is not a detector; known: email, ipv4, ipv6, card, bearer, jwt, azure-secret',
      'config.transforms.t.pattern.stray: is not listed in patterns; add "stray" to it',
      'config.transforms.t.pattern.ok.ignore.cases: is not a known option; did you mean "ignore.case"?',
      'config.transforms.t.pattern.ok.regex: has a backreference (\\1), which no linear-time engine can run: rewrite the pattern without it',
      'config.transforms.t.patterns: "email" must be lower-case letters, digits, "-" or "_", and not a built-in detector\'s name',
      'config.transforms.t.patterns: "Bad" must be lower-case letters, digits, "-" or "_", and not a built-in detector\'s name',
      'config.transforms.t.mode.emial: "emial" is not a detector or pattern in use; did you mean "email"?',
      'config.transforms.t.mode.email: must be one of redact, partial, hash, got "blur"',
      'config.transforms.t.hash.secret: is required with the hash mode, at least 16 characters (keep it secret: it makes hashes unguessable)',
      'config.transforms.t.fields: "a.[b": expected ["…"] or [\'…\'] at 2',
    ]);
    expect(issuesOf(maskType, { detectors: 'none' })).toEqual([
      'config.transforms.t.detectors: no detector and no pattern: nothing to mask',
    ]);
  });
});
