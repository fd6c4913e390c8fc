/**
 * `json`: parses a JSON object held as text in a field (`log` by default, or a text body) into fields, like Fluent
 * Bit's `Merge_Log`: beside the field (`target` empty: at the top level for `log`; the record's own fields win a
 * name clash) or under one key (`Merge_Log_Key`), keeping the original text or not (`Keep_Log`). The field may be a
 * path (`properties.log` in AKS diagnostic records): its parsed keys then join `properties`. Text that is not JSON stays as it is; text that
 * starts like a JSON object but does not parse (broken JSON) stays text too, and is counted.
 * @module
 */
import { defineSchema, parseOptions } from '../config/index.ts';
import type { JsonObject, JsonValue, TransformFn } from '../engine/index.ts';
import type { TransformCounters } from './counters.ts';
import { isFieldPath, parseFieldPath, valueAt } from './field-path.ts';
import type { TransformType } from './spec.ts';

/** Options of `json`. */
export const jsonSchema = defineSchema({
  field: {
    type: 'string',
    default: 'log',
    doc: 'Field (or path, e.g. properties.log) holding the JSON text; a text body is parsed as a whole.',
  },
  target: {
    type: 'string',
    default: '',
    doc: "Empty: parsed keys join the field's object, the top level for log (the record's own fields win a clash). A name: the parsed object goes under it, beside the field (Merge_Log_Key).",
  },
  'keep.original': {
    type: 'bool',
    default: true,
    doc: 'Keep the original text in the field (Keep_Log). When false it is still kept if a parsed key lost a name clash.',
  },
});

/** Validated `json` settings. */
export interface JsonConfig {
  /** Path of the field: objects to go through, then the field's name. */
  readonly field: readonly string[];
  readonly target: string;
  readonly keepOriginal: boolean;
}

/** Compiles `json`. Counts `json_invalid` (broken JSON kept as text) and `key_clash` (a parsed key left out). */
export function createJson(config: JsonConfig, counters: TransformCounters): TransformFn {
  const parents = config.field.slice(0, -1);
  const settings = {
    field: config.field.at(-1) ?? 'log',
    target: config.target,
    keepOriginal: config.keepOriginal,
  };
  return (event) => {
    const { body } = event;
    const holder = holderOf(body, parents, settings.field);
    const text = holder?.[settings.field];
    if (holder === undefined || typeof text !== 'string' || !startsLikeObject(text)) return event;
    const parsed = parseObject(text);
    if (parsed === undefined) {
      counters.add('json_invalid');
      return event;
    }
    let updated: JsonObject;
    if (settings.target === '') {
      const merge = mergeInto(holder, parsed, settings);
      if (merge.clashes > 0) counters.add('key_clash', merge.clashes);
      updated = merge.merged;
    } else updated = nest(holder, parsed, settings);
    return { ...event, body: typeof body === 'string' ? updated : replaceAt(body, parents, updated) };
  };
}

/** How one object is rewritten: the field's name in it. */
interface Merge {
  readonly field: string;
  readonly target: string;
  readonly keepOriginal: boolean;
}

/** The object holding the field. A text body is read as `{ <field>: text }`, so both shapes follow one rule. */
function holderOf(
  body: JsonObject | string,
  parents: readonly string[],
  field: string,
): JsonObject | undefined {
  if (typeof body === 'string') return parents.length === 0 ? { [field]: body } : undefined;
  const value = valueAt(body, parents);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

/** A copy of `body` with the object at `path` replaced (copying only along the path). */
function replaceAt(body: JsonObject, path: readonly string[], value: JsonObject): JsonObject {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const copy = { ...body };
  setOwn(copy, head, replaceAt(body[head] as JsonObject, rest, value));
  return copy;
}

/** `Merge_Log_Key`: the parsed object under `target`. */
function nest(base: JsonObject, parsed: JsonObject, config: Merge): JsonObject {
  const out = config.keepOriginal ? { ...base } : withoutKey(base, config.field);
  setOwn(out, config.target, parsed);
  return out;
}

/**
 * `Merge_Log`: parsed keys join the field's object; the record's own fields win a clash. The original text goes when
 * asked and nothing was left out (a parsed `<field>` key then takes its place).
 */
function mergeInto(
  base: JsonObject,
  parsed: JsonObject,
  config: Merge,
): { merged: JsonObject; clashes: number } {
  const { field, keepOriginal } = config;
  let merged: JsonObject = { ...base };
  let clashes = 0;
  for (const key of Object.keys(parsed)) {
    if (key === field && !keepOriginal) continue;
    if (Object.hasOwn(merged, key)) clashes += 1;
    else setOwn(merged, key, parsed[key] ?? null);
  }
  if (!keepOriginal && clashes === 0) {
    merged = withoutKey(merged, field);
    if (Object.hasOwn(parsed, field)) setOwn(merged, field, parsed[field] ?? null);
  }
  return { merged, clashes };
}

function withoutKey(object: JsonObject, key: string): JsonObject {
  const copy: JsonObject = {};
  for (const name of Object.keys(object)) if (name !== key) setOwn(copy, name, object[name] ?? null);
  return copy;
}

function startsLikeObject(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) return true; // '{'
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return false;
}

function parseObject(text: string): JsonObject | undefined {
  try {
    const value = JSON.parse(text) as JsonValue;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Sets an own data property, `__proto__` included (plain assignment would change the prototype instead). */
function setOwn(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

/** The `json` transform type. */
export const jsonType: TransformType<JsonConfig> = {
  type: 'json',
  schema: jsonSchema,
  dynamicPrefixes: [],
  validate(options, context) {
    const { values, issues } = parseOptions(jsonSchema, options, context.path);
    const field = parseFieldPath(values.field);
    if (!isFieldPath(field)) issues.push({ path: `${context.path}.field`, message: field.problem });
    if (!isFieldPath(field) || issues.length > 0) return { issues };
    const config = { field: field.segments, target: values.target, keepOriginal: values['keep.original'] };
    return { config, issues };
  },
  create: (config, context, deps) => ({ name: context.alias, apply: createJson(config, deps.counters) }),
};
