/**
 * The template language shared by routing (HEC index, sourcetype, source, host) and topics: `${path}` references
 * with shell-like defaults, and nothing else (no code is evaluated).
 *
 * - `${kubernetes.namespace_name}` — a field of the body, by dotted path; `${labels["app.kubernetes.io/name"]}` for
 *   keys with dots or other characters.
 * - `${a:-b}` — `a`, or the text `b` when `a` is missing or empty; defaults nest: `${a:-${b:-unknown}}`.
 * - Record references: `${key}` (the Kafka key as UTF-8), `${topic}`, `${partition}`, `${offset}`,
 *   `${header.NAME}`; they win over body fields of the same name (reach those as `${["topic"]}`).
 * - `$$` writes a literal `$`.
 *
 * Values render as text: strings as they are, numbers and booleans with `String`, objects and arrays as JSON;
 * missing values and `null` render as the empty string.
 * @module
 */
import type { JsonValue, LogEvent } from './event.ts';

/** A syntax error in a template, with the offending position. */
export class TemplateSyntaxError extends Error {
  constructor(template: string, position: number, problem: string) {
    super(`template "${template}" at ${position}: ${problem}`);
    this.name = 'TemplateSyntaxError';
  }
}

/** A reference: a path and an optional default (itself a template). */
interface Reference {
  readonly kind: 'ref';
  readonly path: readonly string[];
  /** True when the first segment was bracketed: a body field even if it is named like a record reference. */
  readonly bodyOnly: boolean;
  readonly fallback: readonly Part[] | undefined;
}
type Part = string | Reference;

/** A compiled template. */
export interface Template {
  readonly source: string;
  /** True when the template has no reference (a constant). */
  readonly constant: boolean;
  /**
   * Renders for an event. `escape` is applied to each substituted value (not to literal text), e.g. to sanitise a
   * topic level.
   */
  render(event: LogEvent, escape?: (value: string) => string): string;
}

const RECORD_NAMES = new Set(['key', 'topic', 'partition', 'offset']);

/**
 * Compiles a template.
 * @throws TemplateSyntaxError on an unclosed `${`, an empty path or a bad bracket segment.
 */
export function compileTemplate(source: string): Template {
  const parser = { source, pos: 0 };
  const parts = parseParts(parser, false);
  const constant = parts.every((part) => typeof part === 'string');
  return {
    source,
    constant,
    render: (event, escape) => renderParts(parts, event, escape),
  };
}

interface Parser {
  readonly source: string;
  pos: number;
}

function parseParts(p: Parser, inDefault: boolean): Part[] {
  const parts: Part[] = [];
  let text = '';
  while (p.pos < p.source.length) {
    const c = p.source[p.pos];
    if (inDefault && c === '}') break;
    if (c === '$' && p.source[p.pos + 1] === '$') {
      text += '$';
      p.pos += 2;
    } else if (c === '$' && p.source[p.pos + 1] === '{') {
      if (text !== '') parts.push(text);
      text = '';
      p.pos += 2;
      parts.push(parseReference(p));
    } else {
      text += c ?? '';
      p.pos += 1;
    }
  }
  if (text !== '') parts.push(text);
  return parts;
}

function parseReference(p: Parser): Reference {
  const start = p.pos;
  const path: string[] = [];
  const bodyOnly = p.source[p.pos] === '[';
  let segment = '';
  for (;;) {
    const c = p.source[p.pos];
    if (c === undefined) throw new TemplateSyntaxError(p.source, start - 2, 'unclosed ${');
    if (c === '}' || (c === ':' && p.source[p.pos + 1] === '-')) break;
    if (c === '[') {
      if (segment !== '') path.push(segment);
      segment = '';
      path.push(parseBracket(p));
      continue;
    }
    p.pos += 1;
    if (c === '.') {
      if (segment !== '') path.push(segment);
      segment = '';
    } else {
      segment += c;
    }
  }
  if (segment !== '') path.push(segment);
  if (path.length === 0) throw new TemplateSyntaxError(p.source, start, 'empty reference');
  let fallback: Part[] | undefined;
  if (p.source[p.pos] === ':') {
    p.pos += 2;
    fallback = parseParts(p, true);
    if (p.source[p.pos] !== '}') throw new TemplateSyntaxError(p.source, start - 2, 'unclosed ${');
  }
  p.pos += 1;
  return { kind: 'ref', path, bodyOnly, fallback };
}

function parseBracket(p: Parser): string {
  const start = p.pos;
  const quote = p.source[p.pos + 1];
  if (quote !== '"' && quote !== "'")
    throw new TemplateSyntaxError(p.source, start, 'expected ["…"] or [\'…\']');
  const end = p.source.indexOf(`${quote}]`, p.pos + 2);
  if (end < 0) throw new TemplateSyntaxError(p.source, start, 'unclosed [');
  p.pos = end + 2;
  return p.source.slice(start + 2, end);
}

function renderParts(parts: readonly Part[], event: LogEvent, escape?: (value: string) => string): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = lookup(part.path, event, part.bodyOnly);
    if (value !== '') out += escape ? escape(value) : value;
    else if (part.fallback !== undefined) out += renderParts(part.fallback, event, escape);
  }
  return out;
}

/**
 * @returns the text value of a path, or '' when missing.
 * @param bodyOnly look in the body even for `key`, `topic`, `partition`, `offset` and `header.*`.
 */
export function lookup(path: readonly string[], event: LogEvent, bodyOnly = false): string {
  const fromRecord = bodyOnly ? undefined : recordValue(path, event);
  if (fromRecord !== undefined) return fromRecord;
  let value: JsonValue | undefined = typeof event.body === 'string' ? undefined : event.body;
  for (const segment of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return '';
    value = value[segment];
  }
  return text(value);
}

function recordValue(path: readonly string[], event: LogEvent): string | undefined {
  const [head, name] = path;
  const record = event.record;
  if (path.length === 2 && head === 'header') return record.headers[name ?? '']?.toString('utf8') ?? '';
  if (path.length !== 1 || head === undefined || !RECORD_NAMES.has(head)) return undefined;
  if (head === 'key') return record.key?.toString('utf8') ?? '';
  if (head === 'topic') return record.position.topic;
  if (head === 'partition') return String(record.position.partition);
  return record.position.offset.toString();
}

function text(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
