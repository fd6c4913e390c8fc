/**
 * `split-records`: one event per element of an Azure Monitor diagnostic body `{"records":[{…},{…}]}` (AKS
 * control-plane and audit logs, Activity Log, …), as the Heavy Forwarder's add-on splits them. Each child keeps the
 * parent's record (its Kafka coordinates), so the record settles only when every child is delivered. An object
 * element becomes a JSON body, a string element a text body, any other value its JSON text. A child takes its time
 * from the element's `time` field (ISO 8601) when it has one. A body without a `records` array passes untouched; an
 * empty array drops the record (counted).
 * @module
 */
import { defineSchema, parseOptions } from '../config/index.ts';
import { DROP, type JsonValue, type LogEvent, type TransformFn } from '../engine/index.ts';
import type { TransformCounters } from './counters.ts';
import type { TransformType } from './spec.ts';

/** Options of `split-records`. */
export const splitRecordsSchema = defineSchema({
  field: { type: 'string', default: 'records', doc: 'The array field to split.' },
  'time.field': {
    type: 'string',
    default: 'time',
    doc: "Element field holding the event's time (ISO 8601); none: children keep the record's time.",
  },
});

/** Validated `split-records` settings. */
export interface SplitRecordsConfig {
  readonly field: string;
  readonly timeField: string;
}

/** How a split turns a non-object, non-string element into text. */
export type ElementText = (value: JsonValue) => string;

/**
 * @returns the children of `event`, or undefined when its body has no `field` array (it is not split).
 * @param stringify text of elements that are neither objects nor strings (the add-on uses Python's `json.dumps`).
 */
export function splitRecords(
  event: LogEvent,
  config: SplitRecordsConfig,
  stringify: ElementText = JSON.stringify,
): LogEvent[] | undefined {
  const { body } = event;
  const records = typeof body === 'string' ? undefined : body[config.field];
  if (!Array.isArray(records)) return undefined;
  return records.map((element) => {
    if (typeof element === 'string') return { ...event, body: element };
    if (element === null || typeof element !== 'object' || Array.isArray(element))
      return { ...event, body: stringify(element) };
    const time = config.timeField === '' ? undefined : element[config.timeField];
    const timeMs = typeof time === 'string' ? Date.parse(time) : NaN;
    return { ...event, body: element, timeMs: Number.isNaN(timeMs) ? event.timeMs : timeMs };
  });
}

/** Compiles `split-records`. Counts `split` (records split), `children` and `empty` (records dropped). */
export function createSplitRecords(config: SplitRecordsConfig, counters: TransformCounters): TransformFn {
  return (event) => {
    const children = splitRecords(event, config);
    if (children === undefined) return event;
    if (children.length === 0) {
      counters.add('empty');
      return DROP;
    }
    counters.add('split');
    counters.add('children', children.length);
    return children;
  };
}

/** The `split-records` transform type. */
export const splitRecordsType: TransformType<SplitRecordsConfig> = {
  type: 'split-records',
  schema: splitRecordsSchema,
  dynamicPrefixes: [],
  validate(options, context) {
    const { values, issues } = parseOptions(splitRecordsSchema, options, context.path);
    if (issues.length > 0) return { issues };
    const timeField = values['time.field'] === 'none' ? '' : values['time.field'];
    return { config: { field: values.field, timeField }, issues };
  },
  create: (config, context, deps) => ({
    name: context.alias,
    apply: createSplitRecords(config, deps.counters),
  }),
};
