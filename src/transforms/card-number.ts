/**
 * Payment card numbers: 13 to 19 digits that pass the Luhn check and start with an issuer prefix (IIN) of a card
 * network at a length that network issues. Requiring both keeps random digit runs, epoch timestamps and order
 * numbers from being taken for cards (a random 16-digit number passes Luhn one time in ten).
 * @module
 */

/** An IIN range over the first `digits` digits, and the card lengths issued in it. */
interface IinRange {
  readonly digits: number;
  readonly from: number;
  readonly to: number;
  readonly lengths: readonly number[];
}

const range = (min: number, max: number): number[] =>
  Array.from({ length: max - min + 1 }, (_, i) => min + i);

/** Major networks' prefixes (ISO/IEC 7812 registrations as the networks publish them). */
const NETWORKS: readonly IinRange[] = [
  { digits: 1, from: 4, to: 4, lengths: [13, 16, 19] }, // Visa
  { digits: 2, from: 51, to: 55, lengths: [16] }, // Mastercard
  { digits: 4, from: 2221, to: 2720, lengths: [16] }, // Mastercard 2-series
  { digits: 2, from: 34, to: 34, lengths: [15] }, // American Express
  { digits: 2, from: 37, to: 37, lengths: [15] }, // American Express
  { digits: 4, from: 6011, to: 6011, lengths: range(16, 19) }, // Discover
  { digits: 3, from: 644, to: 649, lengths: range(16, 19) }, // Discover
  { digits: 2, from: 65, to: 65, lengths: range(16, 19) }, // Discover, RuPay
  { digits: 2, from: 62, to: 62, lengths: range(16, 19) }, // UnionPay
  { digits: 4, from: 3528, to: 3589, lengths: range(16, 19) }, // JCB
  { digits: 3, from: 300, to: 305, lengths: range(14, 19) }, // Diners Club
  { digits: 4, from: 3095, to: 3095, lengths: range(14, 19) }, // Diners Club
  { digits: 2, from: 36, to: 36, lengths: range(14, 19) }, // Diners Club
  { digits: 2, from: 38, to: 39, lengths: range(16, 19) }, // Diners Club
  { digits: 2, from: 50, to: 50, lengths: range(13, 19) }, // Maestro
  { digits: 2, from: 56, to: 58, lengths: range(13, 19) }, // Maestro
  { digits: 2, from: 63, to: 63, lengths: range(13, 19) }, // Maestro
  { digits: 2, from: 67, to: 67, lengths: range(13, 19) }, // Maestro
  { digits: 4, from: 2200, to: 2204, lengths: range(16, 19) }, // Mir
  { digits: 2, from: 60, to: 60, lengths: range(16, 19) }, // RuPay
  { digits: 2, from: 81, to: 82, lengths: range(16, 19) }, // RuPay, UnionPay
];

/** Shortest and longest card numbers. */
export const CARD_DIGITS = { min: 13, max: 19 } as const;

/** @returns true when `digits` (digits only) is a card number: a network's prefix and length, and Luhn-valid. */
export function isCardNumber(digits: string): boolean {
  const length = digits.length;
  if (length < CARD_DIGITS.min || length > CARD_DIGITS.max || !luhnValid(digits)) return false;
  const prefix = Number(digits.slice(0, 4));
  return NETWORKS.some(
    (network) =>
      network.lengths.includes(length) &&
      isWithin(Math.trunc(prefix / 10 ** (4 - network.digits)), network.from, network.to),
  );
}

function isWithin(value: number, from: number, to: number): boolean {
  return value >= from && value <= to;
}

/** @returns true when the digits pass the Luhn (mod 10) check. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let digit = digits.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}
