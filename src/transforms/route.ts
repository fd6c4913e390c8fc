/**
 * `route`: sets where each event goes: the HEC `index`, `sourcetype`, `source` and `host`, and the Solace/MQTT
 * `topic` (the event's `meta`, which the sinks read), from templates. Rules are tried in order and the first whose
 * conditions hold applies; what it leaves unset comes from the transform's defaults, then the sinks' own. A
 * template that renders empty sets nothing. In topics, substituted values cannot add levels or wildcards: `/`,
 * `*`, `>`, `+` and `#` in them become `_`. With `preset=mscs` the route reproduces the MSCS add-on (mscs.ts).
 * @module
 */
import { DROP, type LogEvent, type TransformFn } from '../engine/index.ts';
import { conditionHolds } from './conditions.ts';
import type { TransformCounters } from './counters.ts';
import { mscsEvents } from './mscs.ts';
import {
  ROUTE_TARGETS,
  type RouteConfig,
  type RouteRule,
  routeSchema,
  validateRoute,
} from './route-config.ts';
import type { TransformType } from './spec.ts';

/** Substituted topic values: characters that would add a level or a wildcard become `_`. */
export function escapeTopicValue(value: string): string {
  return value.replace(/[/*>+#]/g, '_');
}

/** Compiles `route`. Counts `rule_<name>` or `default` per event, and `empty` (mscs: empty `records`). */
export function createRoute(config: RouteConfig, counters: TransformCounters): TransformFn {
  const { rules, defaults, mscs, maxMatchChars } = config;
  const holds = (rule: RouteRule, event: LogEvent): boolean =>
    rule.when.every((condition) => conditionHolds(condition, event, maxMatchChars)) &&
    !rule.unless.some((condition) => conditionHolds(condition, event, maxMatchChars));
  const routeOne = (event: LogEvent): LogEvent => {
    const rule = rules.find((candidate) => holds(candidate, event));
    counters.add(rule === undefined ? 'default' : `rule_${rule.name}`);
    const meta: Record<string, string> = { ...event.meta };
    for (const target of ROUTE_TARGETS) {
      const template = rule?.targets[target] ?? defaults[target];
      if (template === undefined) continue;
      const value = target === 'topic' ? template.render(event, escapeTopicValue) : template.render(event);
      if (value !== '') meta[target] = value;
    }
    return { ...event, meta };
  };
  if (mscs === undefined) return routeOne;
  return (event) => {
    const events = mscsEvents(event, mscs);
    if (events.length === 0) {
      counters.add('empty');
      return DROP;
    }
    return events.length === 1 && events[0] !== undefined ? routeOne(events[0]) : events.map(routeOne);
  };
}

/** The `route` transform type. */
export const routeType: TransformType<RouteConfig> = {
  type: 'route',
  schema: routeSchema,
  dynamicPrefixes: ['rule.'],
  validate: validateRoute,
  create: (config, context, deps) => ({ name: context.alias, apply: createRoute(config, deps.counters) }),
};
