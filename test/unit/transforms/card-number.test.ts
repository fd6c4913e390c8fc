import { describe, expect, it } from 'vitest';
import { isCardNumber, luhnValid } from '../../../src/transforms/card-number.ts';

describe('card numbers', () => {
  it.each([
    '4111111111111111', // Visa
    '4012888888881881',
    '4222222222222', // Visa 13
    '5555555555554444', // Mastercard
    '2223003122003222', // Mastercard 2-series
    '378282246310005', // American Express
    '6011111111111117', // Discover
    '3530111333300000', // JCB
    '36227206271667', // Diners 14
    '6200000000000005', // UnionPay
    '6759649826438453', // Maestro
  ])('recognises the test number %s', (digits) => {
    expect(isCardNumber(digits)).toBe(true);
  });

  it.each([
    ['4111111111111112', 'fails Luhn'],
    ['1732436102114218', 'an epoch timestamp in microseconds'],
    ['9000000000000008', 'Luhn-valid, no network'],
    ['4111111111111', 'Visa prefix, Luhn-invalid 13 digits'],
    ['37828224631000', 'Amex prefix at the wrong length'],
    ['41111111111111111111', 'too long'],
    ['411111111111', 'too short'],
  ])('refuses %s (%s)', (digits) => {
    expect(isCardNumber(digits)).toBe(false);
  });

  it('computes Luhn over digits only', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('7992739871x')).toBe(false);
  });
});
