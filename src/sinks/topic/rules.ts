/**
 * What makes a publish topic valid for both SMF (solclientjs) and MQTT, and how a substituted value is made safe to
 * stand inside one level (reference/solace.md §11, docs/sinks/solace.md "Topic design").
 *
 * A valid topic: UTF-8 of at most 250 bytes, at most 128 levels split by `/`, no empty level, none of the wildcard
 * characters `*`, `>`, `+`, `#` anywhere (literal in an SMF publish topic but refused in an MQTT one), no level that
 * starts with `!`, a first level that does not start with `_`, `#` or `$` (Solace's reserved `#P2P/`, `_P2P/`…, and
 * MQTT's `$SYS/` that `#` subscriptions never match), no control character, no noncharacter (Mosquitto closes the
 * connection of a client that publishes one) and no lone surrogate (solclientjs throws "URI malformed").
 * @module
 */

/** Largest topic, in UTF-8 bytes (SMF and Solace's MQTT service). */
export const MAX_TOPIC_BYTES = 250;
/** Most levels in a topic (never reached first: 129 one-byte levels already take 257 bytes). */
export const MAX_TOPIC_LEVELS = 128;
/** What replaces a character that a value may not carry into a topic level. */
export const LEVEL_REPLACEMENT = '_';

/** Characters a substituted value may not carry: the level separator, wildcards, `!`, `$`, controls, noncharacters. */
const UNSAFE_IN_VALUE = /[/*>+#!$\p{Cc}\p{Noncharacter_Code_Point}]/gu;
/** A URI scheme such as `containerd://` or `docker://` in front of a container id. */
const SCHEME_PREFIX = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
/** A value that needs no change (the common case: names, ids, levels). */
const PLAIN = /^[A-Za-z0-9_.-]*$/;
const WILDCARD = /[*>+#]/;
const UNPRINTABLE = /[\p{Cc}\p{Noncharacter_Code_Point}]/u;
const RESERVED_FIRST = /^[_#$]/;

/**
 * Makes a substituted value safe inside one topic level: lone surrogates become U+FFFD, a leading URI scheme
 * (`containerd://`) is dropped, and `/`, `*`, `>`, `+`, `#`, `!`, `$`, control characters and noncharacters become
 * `_`. The result may be empty (an empty value) or long: {@link topicProblem} judges the whole topic.
 */
export function sanitizeValue(value: string): string {
  if (PLAIN.test(value)) return value;
  const wellFormed = value.isWellFormed() ? value : value.toWellFormed();
  return wellFormed.replace(SCHEME_PREFIX, '').replace(UNSAFE_IN_VALUE, LEVEL_REPLACEMENT);
}

/**
 * Checks a complete publish topic.
 * @returns why the topic is invalid, or undefined when it is valid.
 */
export function topicProblem(topic: string): string | undefined {
  if (topic === '') return 'the topic is empty';
  if (!topic.isWellFormed()) return 'the topic contains a lone UTF-16 surrogate';
  if (UNPRINTABLE.test(topic)) return 'the topic contains a control character or a noncharacter';
  const bytes = Buffer.byteLength(topic, 'utf8');
  if (bytes > MAX_TOPIC_BYTES) return `the topic is ${bytes} bytes of UTF-8, over ${MAX_TOPIC_BYTES}`;
  const levels = topic.split('/');
  if (levels.length > MAX_TOPIC_LEVELS)
    return `the topic has ${levels.length} levels, over ${MAX_TOPIC_LEVELS}`;
  if (RESERVED_FIRST.test(topic)) return 'the first level starts with a reserved character (_, # or $)';
  for (const [index, level] of levels.entries()) {
    const problem = levelProblem(level);
    if (problem !== undefined) return `level ${index + 1} ${problem}`;
  }
  return undefined;
}

function levelProblem(level: string): string | undefined {
  if (level === '') return 'is empty (give a default: ${field:-unknown})';
  if (WILDCARD.test(level)) return `("${level}") contains a wildcard character (*, >, + or #)`;
  if (level.startsWith('!')) return `("${level}") starts with "!"`;
  return undefined;
}

/**
 * The literal runs of a topic template (text outside `${…}` references, including the text of defaults), for checks
 * at configuration time: a literal may not hold wildcard or control characters, nor an empty level (`//`).
 */
export function templateLiterals(source: string): string[] {
  const runs: string[] = [];
  let run = '';
  const stack: ('path' | 'default')[] = [];
  const cut = (): void => {
    if (run !== '') runs.push(run);
    run = '';
  };
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i] ?? '';
    const next = source[i + 1];
    const mode = stack.at(-1);
    if (mode === 'path') {
      if (c === '[') i = Math.max(i, closingBracket(source, i));
      else if (c === '}') stack.pop();
      else if (c === ':' && next === '-') {
        stack[stack.length - 1] = 'default';
        i += 1;
      }
    } else if (c === '$' && next === '$') {
      run += '$';
      i += 1;
    } else if (c === '$' && next === '{') {
      cut();
      stack.push('path');
      i += 1;
    } else if (c === '}' && mode === 'default') {
      cut();
      stack.pop();
    } else run += c;
  }
  cut();
  return runs;
}

function closingBracket(source: string, open: number): number {
  const quote = source[open + 1];
  if (quote !== '"' && quote !== "'") return open;
  const end = source.indexOf(`${quote}]`, open + 2);
  return end < 0 ? source.length : end + 1;
}
