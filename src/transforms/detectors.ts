/**
 * The mask transform's built-in detectors. Each runs in time linear in the text: hand-written scans anchored on a
 * character the value must contain (`@`, `:`), or regular expressions whose every repetition is either bounded or
 * over characters that cannot start the next part, so no input makes them backtrack. Each appends the spans it
 * finds; overlaps are resolved by the caller.
 * @module
 */
import { isIPv6 } from 'node:net';
import { CARD_DIGITS, isCardNumber } from './card-number.ts';
import type { FindPattern } from './safe-regex.ts';

/** A found value: `text.slice(start, end)`, and the detector (or pattern) that found it. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly kind: string;
}

/** Finds values of one kind in a text. */
export interface Detector {
  readonly kind: string;
  find(text: string, spans: Span[]): void;
}

/** The built-in kinds, in the order they are listed by default. */
export const BUILT_IN_KINDS = ['email', 'ipv4', 'ipv6', 'card', 'bearer', 'jwt', 'azure-secret'] as const;

/** A built-in kind. */
export type BuiltInKind = (typeof BUILT_IN_KINDS)[number];

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAlnum = (c: number): boolean => isDigit(c) || isLetter(c);
/**
 * A letter outside ASCII, for internationalised addresses (`renée@müller.de`): from U+00C0 on, but not the general
 * punctuation and spaces block (U+2000–U+206F) or the ideographic space.
 */
const isWideLetter = (c: number): boolean => c >= 0xc0 && !(c >= 0x2000 && c <= 0x206f) && c !== 0x3000;
const isHex = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const DOT = 46;
const COLON = 58;
const HYPHEN = 45;
const UNDERSCORE = 95;
const SLASH = 47;

/**
 * `local@domain.tld`: a local part of up to 64 characters of `A-Za-z0-9._%+-` and non-ASCII letters, a domain of
 * letters, digits and `-` with a last label of 2 or more letters.
 */
function findEmails(text: string, spans: Span[]): void {
  let at = text.indexOf('@');
  while (at >= 0) {
    let start = at;
    while (start > 0 && at - start < 64 && isLocal(text.charCodeAt(start - 1))) start -= 1;
    while (start < at && text.charCodeAt(start) === DOT) start += 1;
    const end = start < at ? domainEnd(text, at + 1) : -1;
    if (end > 0) spans.push({ start, end, kind: 'email' });
    at = text.indexOf('@', Math.max(end, at + 1));
  }
}

function isLocal(c: number): boolean {
  return (
    isAlnum(c) || isWideLetter(c) || c === DOT || c === HYPHEN || c === UNDERSCORE || c === 37 || c === 43
  ); // % +
}

/** @returns the end of a domain with at least one dot and a last label of 2+ letters starting at `from`, or -1. */
function domainEnd(text: string, from: number): number {
  const limit = Math.min(text.length, from + 253);
  let i = from;
  let label = from;
  let dots = 0;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (isAlnum(c) || isWideLetter(c) || c === HYPHEN) i += 1;
    else if (c === DOT && i > label && i + 1 < limit && isLabelStart(text.charCodeAt(i + 1))) {
      dots += 1;
      i += 1;
      label = i;
    } else break;
  }
  if (dots === 0 || i - label < 2) return -1;
  for (let j = label; j < i; j += 1) {
    const c = text.charCodeAt(j);
    if (!isLetter(c) && !isWideLetter(c)) return -1;
  }
  return i;
}

function isLabelStart(c: number): boolean {
  return isAlnum(c) || isWideLetter(c);
}

/**
 * Dotted quads of 0–255, anchored on each `.`: not inside a longer dotted number (`1.2.3.4.5` is a version, not an
 * address), nor a product version (`Chrome/130.0.0.0` in user agents).
 */
function findIpv4(text: string, spans: Span[]): void {
  let dot = text.indexOf('.');
  while (dot >= 0) {
    let start = dot;
    while (start > 0 && dot - start < 3 && isDigit(text.charCodeAt(start - 1))) start -= 1;
    const end = start < dot && ipv4Alone(text, start) ? quadEnd(text, start) : -1;
    if (end > 0) spans.push({ start, end, kind: 'ipv4' });
    dot = text.indexOf('.', end > 0 ? end : dot + 1);
  }
}

function ipv4Alone(text: string, start: number): boolean {
  const before = text.charCodeAt(start - 1);
  if (isDigit(before)) return false;
  if (before === DOT) return !isDigit(text.charCodeAt(start - 2));
  return !(before === SLASH && isLetter(text.charCodeAt(start - 2)));
}

/** @returns the end of four dot-separated numbers of 0–255 from `start`, standing alone, or -1. */
function quadEnd(text: string, start: number): number {
  let i = start;
  for (let octet = 0; octet < 4; octet += 1) {
    if (octet > 0) {
      if (text.charCodeAt(i) !== DOT) return -1;
      i += 1;
    }
    let value = 0;
    const from = i;
    while (i < text.length && i - from < 3 && isDigit(text.charCodeAt(i)))
      value = value * 10 + text.charCodeAt(i++) - 48;
    if (i === from || value > 255) return -1;
  }
  const after = text.charCodeAt(i);
  if (isDigit(after) || (after === DOT && isDigit(text.charCodeAt(i + 1)))) return -1;
  return i;
}

/** Longest IPv6 text form (with an embedded IPv4 address). */
const IPV6_MAX = 45;

/**
 * IPv6 addresses: a run of hex digits, `:` and `.` around a `:`, standing alone, that node:net accepts, with at
 * least two groups (so `::1`, `std::` and times such as `12:30:00` are left alone).
 */
function findIpv6(text: string, spans: Span[]): void {
  let colon = text.indexOf(':');
  while (colon >= 0) {
    // Most colons (JSON, key: value) have no address character beside them: skip them at once.
    if (!isAddressChar(text.charCodeAt(colon - 1)) && !isAddressChar(text.charCodeAt(colon + 1))) {
      colon = text.indexOf(':', colon + 1);
      continue;
    }
    let start = colon;
    while (start > 0 && isAddressChar(text.charCodeAt(start - 1))) start -= 1;
    let next = colon + 1;
    while (next < text.length && isAddressChar(text.charCodeAt(next))) next += 1;
    const end = trimmedEnd(text, start, next);
    if (isAlone(text, start, end) && end - start <= IPV6_MAX && couldBeIpv6(text, start, end)) {
      if (isAddress(text.slice(start, end))) spans.push({ start, end, kind: 'ipv6' });
    }
    colon = text.indexOf(':', next);
  }
}

/** A run's end without a sentence's final dots or a trailing single `:` (`fe80::1: closed`). */
function trimmedEnd(text: string, start: number, end: number): number {
  let trimmed = end;
  while (trimmed > start && text.charCodeAt(trimmed - 1) === DOT) trimmed -= 1;
  if (text.charCodeAt(trimmed - 1) === COLON && text.charCodeAt(trimmed - 2) !== COLON) trimmed -= 1;
  return trimmed;
}

function isAlone(text: string, start: number, end: number): boolean {
  return !isAlnum(text.charCodeAt(start - 1)) && !isAlnum(text.charCodeAt(end));
}

/** Cheap test before the full parse: `::` somewhere, or the 7 colons of a full address. */
function couldBeIpv6(text: string, start: number, end: number): boolean {
  let colons = 0;
  for (let at = text.indexOf(':', start); at >= 0 && at < end; at = text.indexOf(':', at + 1)) {
    if (text.charCodeAt(at + 1) === COLON) return true;
    colons += 1;
  }
  return colons >= 7;
}

function isAddressChar(c: number): boolean {
  return isHex(c) || c === COLON || c === DOT;
}

function isAddress(candidate: string): boolean {
  let groups = 0;
  for (const group of candidate.split(':')) if (group !== '') groups += 1;
  return groups >= 2 && isIPv6(candidate);
}

/**
 * Card numbers: within a run of 13 or more digits in groups separated by single spaces or hyphens (a digit run),
 * consecutive whole groups forming a card number (`4111 1111 1111 1111`, `4111-1111-…`).
 * A group touching a letter or a decimal point is not a card's (hex ids, decimals).
 */
function findCards(text: string, spans: Span[]): void {
  forEachDigitRun(text, (start, end) => {
    findCardInGroups(digitGroups(text, start, end), spans);
  });
}

const isCardSeparator = (c: number): boolean => c === 0x20 || c === HYPHEN;

/** A digit, or a space or hyphen between two digits: what a digit run is made of. */
function inDigitRun(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return (
    isDigit(c) || (isCardSeparator(c) && isDigit(text.charCodeAt(at - 1)) && isDigit(text.charCodeAt(at + 1)))
  );
}

/** Digits a run needs to hold a card number (the shortest, 13). */
const MIN_RUN_DIGITS = 13;

/**
 * Calls `visit(start, end)` for each run of 13 or more digits in groups separated by single spaces or hyphens, left
 * to right: the matches of `/\d(?:[ -]?\d){12,}/g`. A run is at least 13 characters long, so it holds one of every
 * 13th position: the scan looks at those and reads the characters around one only when it can be part of a run,
 * about twice as fast as the regular expression on log text.
 */
export function forEachDigitRun(text: string, visit: (start: number, end: number) => void): void {
  let probe = MIN_RUN_DIGITS - 1;
  while (probe < text.length) {
    if (!inDigitRun(text, probe)) {
      probe += MIN_RUN_DIGITS;
      continue;
    }
    let start = probe;
    while (inDigitRun(text, start - 1)) start -= 1;
    let end = probe + 1;
    while (inDigitRun(text, end)) end += 1;
    let digits = 0;
    for (let at = start; at < end; at += 1) if (isDigit(text.charCodeAt(at))) digits += 1;
    if (digits >= MIN_RUN_DIGITS) visit(start, end);
    // The next run starts at `end` or later, so it holds `end + 12`.
    probe = Math.max(probe + MIN_RUN_DIGITS, end + MIN_RUN_DIGITS - 1);
  }
}

interface DigitGroup {
  readonly start: number;
  readonly end: number;
  readonly digits: string;
}

function digitGroups(text: string, start: number, end: number): DigitGroup[] {
  const groups: DigitGroup[] = [];
  let from = start;
  for (let i = start; i <= end; i += 1) {
    if (i < end && isDigit(text.charCodeAt(i))) continue;
    groups.push({ start: from, end: i, digits: text.slice(from, i) });
    from = i + 1;
  }
  const before = text.charCodeAt(start - 1);
  if (isLetter(before) || before === UNDERSCORE || (before === DOT && isDigit(text.charCodeAt(start - 2))))
    groups.shift();
  const after = text.charCodeAt(end);
  if (isLetter(after) || after === UNDERSCORE || (after === DOT && isDigit(text.charCodeAt(end + 1))))
    groups.pop();
  return groups;
}

function findCardInGroups(groups: readonly DigitGroup[], spans: Span[]): void {
  for (let i = 0; i < groups.length; i += 1) {
    let digits = '';
    for (let j = i; j < groups.length; j += 1) {
      digits += groups[j]?.digits ?? '';
      if (digits.length > CARD_DIGITS.max) break;
      if (digits.length >= CARD_DIGITS.min && isCardNumber(digits)) {
        spans.push({ start: groups[i]?.start ?? 0, end: groups[j]?.end ?? 0, kind: 'card' });
        i = j;
        break;
      }
    }
  }
}

/** Finds the first capture group of every match of a `gd` regex (the whole match when it has no group). */
function findGroups(regex: RegExp, kind: string, text: string, spans: Span[]): void {
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    const [start, end] = match.indices?.[1] ?? [match.index, match.index + match[0].length];
    if (end > start) spans.push({ start, end, kind });
    else regex.lastIndex += 1;
  }
}

/**
 * A fresh set of the built-in detectors, by kind. Their regular expressions keep a match position, so each compiled
 * transform has its own set.
 */
export function builtInDetectors(): Readonly<Record<BuiltInKind, Detector>> {
  // RFC 6750 token characters after "Bearer ".
  const bearer = /\bbearer[ \t]+([A-Za-z0-9\-._~+/]+=*)/dgi;
  // base64url header `eyJ…` (`{"`), payload and signature (empty for unsigned tokens).
  const jwt = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
  // Values of connection-string and SAS token secrets, and of passwords in connection strings and forms.
  const azure =
    /\b(?:AccountKey|SharedAccessKey|SharedAccessSignature|sig|Password|Pwd|client_secret)=([^;&\s"'<>,]+)/dgi;
  return {
    email: { kind: 'email', find: findEmails },
    ipv4: { kind: 'ipv4', find: findIpv4 },
    ipv6: { kind: 'ipv6', find: findIpv6 },
    card: { kind: 'card', find: findCards },
    bearer: patternDetector('bearer', bearer),
    jwt: {
      kind: 'jwt',
      find: (text, spans) => {
        if (text.includes('eyJ')) findGroups(jwt, 'jwt', text, spans);
      },
    },
    'azure-secret': {
      kind: 'azure-secret',
      find: (text, spans) => {
        if (text.includes('=')) findGroups(azure, 'azure-secret', text, spans);
      },
    },
  };
}

/** A detector for a built-in pattern (compiled with the `g` and `d` flags): its first group, or the whole match. */
function patternDetector(kind: string, regex: RegExp): Detector {
  return {
    kind,
    find: (text, spans) => {
      findGroups(regex, kind, text, spans);
    },
  };
}

/**
 * A detector for a user pattern (linear-time engine, no `d` flag: safe-regex.ts): the masked group's span comes
 * from the lengths of the prefix group and the group, or the whole match when the pattern has no group.
 */
export function userPatternDetector(kind: string, pattern: FindPattern): Detector {
  const { regex, prefixed } = pattern;
  return {
    kind,
    find: (text, spans) => {
      regex.lastIndex = 0;
      for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
        const start = match.index + (prefixed ? (match[1]?.length ?? 0) : 0);
        const end = start + (prefixed ? (match[2]?.length ?? 0) : match[0].length);
        if (end > start) spans.push({ start, end, kind });
        if (match[0] === '') regex.lastIndex += 1;
      }
    },
  };
}
