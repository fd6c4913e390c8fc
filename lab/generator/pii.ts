/**
 * Personal data and secrets as they leak into real logs: e-mail addresses, IPv4 and IPv6 addresses, card numbers
 * that pass the Luhn check, bearer tokens. Every value is made up; domains and address blocks are the ones
 * reserved for documentation (RFC 2606, RFC 5737, RFC 3849) except private IPv4 ranges.
 * @module
 */
import type { SeededRandom } from './random.ts';

const firstNames = [
  'jane',
  'john',
  'zoe',
  'lukasz',
  'amelie',
  'mohammed',
  'sofia',
  'kenji',
  'ines',
  'oliver',
];
const lastNames = [
  'doe',
  'smith',
  'kowalski',
  'muller',
  'garcia',
  'tanaka',
  'rossi',
  'dubois',
  'nguyen',
  'brown',
];
const mailDomains = ['example.com', 'example.org', 'mail.example.net', 'corp.example.com'];

/** An e-mail address such as `jane.doe@example.com` or `kenji.tanaka+orders@example.org`. */
export function email(random: SeededRandom): string {
  const first = random.pick(firstNames);
  const last = random.pick(lastNames);
  const local = random.pick([
    `${first}.${last}`,
    `${first}${String(random.int(1, 99))}`,
    `${first[0] ?? 'x'}${last}`,
    `${first}.${last}+orders`,
  ]);
  return `${local}@${random.pick(mailDomains)}`;
}

/** A client IPv4 address: documentation blocks for the public side, RFC 1918 ranges for pods and nodes. */
export function ipv4(random: SeededRandom): string {
  const prefix = random.pick(['203.0.113', '198.51.100', '192.0.2', `10.244.${String(random.int(0, 15))}`]);
  return `${prefix}.${String(random.int(1, 254))}`;
}

/** An IPv6 address in the documentation prefix 2001:db8::/32, compressed as clients print it. */
export function ipv6(random: SeededRandom): string {
  const group = (): string => random.int(0, 0xffff).toString(16);
  return random.chance(0.5)
    ? `2001:db8:${group()}:${group()}::${group()}`
    : `2001:db8:${group()}:${group()}:${group()}:${group()}:${group()}:${group()}`;
}

/** Card schemes and their prefixes and lengths (ISO/IEC 7812 issuer identification numbers). */
const cardSchemes = [
  { prefixes: ['4'], length: 16 },
  { prefixes: ['51', '52', '53', '54', '55', '2221', '2720'], length: 16 },
  { prefixes: ['34', '37'], length: 15 },
] as const;

/**
 * A card number (PAN) that passes the Luhn check: Visa, Mastercard or American Express, written as logs show them:
 * plain digits, or in groups separated by spaces or dashes.
 */
export function cardNumber(random: SeededRandom): string {
  const scheme = random.pick(cardSchemes);
  let digits = random.pick(scheme.prefixes);
  while (digits.length < scheme.length - 1) digits += String(random.int(0, 9));
  digits += String(luhnCheckDigit(digits));
  const separator = random.pick(['', '', ' ', '-']);
  if (separator === '') return digits;
  const groups = scheme.length === 15 ? [4, 6, 5] : [4, 4, 4, 4];
  let at = 0;
  return groups
    .map((size) => {
      const group = digits.slice(at, at + size);
      at += size;
      return group;
    })
    .join(separator);
}

/** The digit that makes `payload` + digit pass the Luhn check. */
export function luhnCheckDigit(payload: string): number {
  const sum = luhnSum(`${payload}0`);
  return (10 - (sum % 10)) % 10;
}

/** Whether a number passes the Luhn check; spaces and dashes are ignored, any other non-digit fails it. */
export function luhnValid(number: string): boolean {
  const digits = number.replace(/[ -]/g, '');
  return /^\d{12,19}$/.test(digits) && luhnSum(digits) % 10 === 0;
}

function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum;
}

const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A bearer token: mostly JWT-shaped (`eyJ….….…`), sometimes opaque. Without the `Bearer ` prefix. */
export function bearerToken(random: SeededRandom): string {
  if (random.chance(0.2)) return random.chars(base64url, 40);
  const header = Buffer.from('{"alg":"RS256","typ":"JWT","kid":"lab"}').toString('base64url');
  const claims = Buffer.from(
    JSON.stringify({ sub: random.uuid(), aud: 'api://acme', exp: 1_900_000_000 + random.int(0, 1e6) }),
  ).toString('base64url');
  return `${header}.${claims}.${random.chars(base64url, 86)}`;
}
