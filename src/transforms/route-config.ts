/**
 * The route transform's options: defaults (`index`, `sourcetype`, `source`, `host`, `topic` templates), rules
 * (`rules=audit,app`, then `rule.audit.when.<field>=<regex>`, `rule.audit.unless.<field>=<regex>` and the same five
 * targets), and the `mscs` preset. Validation reports every problem with its key.
 * @module
 */
import { type ConfigIssue, defineSchema, parseOptions, type Values } from '../config/index.ts';
import { compileTemplate, type Template } from '../engine/index.ts';
import { compileConditions, type FieldCondition } from './conditions.ts';
import { MSCS_FLAGS, MSCS_SOURCETYPE, type MscsSettings, mscsSource } from './mscs.ts';
import { namedGroups, templateOption, unknownGroupOptions, unlistedGroups } from './options.ts';
import type { TransformContext } from './spec.ts';

/** What a route sets: the HEC metadata and the Solace/MQTT topic. */
export const ROUTE_TARGETS = ['index', 'sourcetype', 'source', 'host', 'topic'] as const;

/** One route target. */
export type RouteTarget = (typeof ROUTE_TARGETS)[number];

/** Templates per target; a missing one leaves the event's value (or the sink's default). */
export type RouteTargets = Readonly<Partial<Record<RouteTarget, Template>>>;

/** A rule: all `when` conditions hold and no `unless` one does. */
export interface RouteRule {
  readonly name: string;
  readonly when: readonly FieldCondition[];
  readonly unless: readonly FieldCondition[];
  readonly targets: RouteTargets;
}

/** Validated `route` settings. */
export interface RouteConfig {
  readonly rules: readonly RouteRule[];
  readonly defaults: RouteTargets;
  readonly mscs: MscsSettings | undefined;
  readonly maxMatchChars: number;
}

const targetDoc = (what: string): string =>
  `Template for ${what} when no rule sets it; empty: the sink's default.`;

/** Options of `route` with a fixed key (rules are `rule.<name>.<option>`). */
export const routeSchema = defineSchema({
  index: { type: 'string', default: '', doc: targetDoc('the HEC index') },
  sourcetype: { type: 'string', default: '', doc: targetDoc('the HEC sourcetype') },
  source: { type: 'string', default: '', doc: targetDoc('the HEC source') },
  host: { type: 'string', default: '', doc: targetDoc('the HEC host') },
  topic: {
    type: 'string',
    default: '',
    doc: targetDoc('the Solace/MQTT topic (substituted values cannot add levels)'),
  },
  rules: {
    type: 'list',
    default: [],
    doc: 'Rule names in order; the first rule whose conditions hold applies.',
  },
  preset: {
    type: 'enum',
    values: ['none', 'mscs'],
    default: 'none',
    doc: 'mscs: reproduce the MSCS add-on (sourcetype mscs:azure:eventhub, its source, records split).',
  },
  'mscs.namespace': {
    type: 'string',
    doc: 'Event Hubs namespace FQDN in the mscs source; default: the one of the connection string or eventhubs.namespace.',
  },
  'mscs.event.format.flags': {
    type: 'int',
    min: 0,
    max: 7,
    default: 0,
    doc: "The add-on's event_format_flags: 2 adds partition_id=<n>; to the source, 4 adds consumer_group=<group>; (1 is not supported).",
  },
  'mscs.consumer.group': {
    type: 'string',
    doc: "Consumer group written with flag 4; default: the connector's Kafka consumer group.",
  },
  'mscs.python.raw': {
    type: 'bool',
    default: false,
    doc: 'true: send each event as the text the add-on\'s json.dumps wrote (", " and ": " separators), so regular expressions over _raw keep matching; false: as a JSON object.',
  },
  'mscs.ensure.ascii': {
    type: 'bool',
    default: true,
    doc: "With mscs.python.raw: escape non-ASCII characters as \\uXXXX (the add-on's ensure_ascii, default true).",
  },
  'max.match.chars': {
    type: 'int',
    min: 64,
    default: 65536,
    doc: 'Rule patterns see at most this many leading characters of a value (a bound on user regular expressions).',
  },
});

const RULE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Validates `route` options (prefix taken off); issues are reported at `context.path.<option>`. */
export function validateRoute(
  options: Readonly<Record<string, unknown>>,
  context: TransformContext,
): { config?: RouteConfig; issues: ConfigIssue[] } {
  const { path } = context;
  const { values, issues } = parseOptions(routeSchema, options, path);
  const mscs = values.preset === 'mscs' ? mscsSettings(values, context, issues) : undefined;
  const defaults = targets(values, path, issues);
  if (mscs !== undefined) {
    defaults.sourcetype ??= compileTemplate(MSCS_SOURCETYPE);
    defaults.source ??= mscsSource(mscs);
  }
  const rules = routeRules(values.rules, options, path, issues);
  if (issues.length > 0) return { issues };
  return { config: { rules, defaults, mscs, maxMatchChars: values['max.match.chars'] }, issues };
}

function targets(
  group: Readonly<Record<string, unknown>>,
  path: string,
  issues: ConfigIssue[],
): Partial<Record<RouteTarget, Template>> {
  const found: Partial<Record<RouteTarget, Template>> = {};
  for (const target of ROUTE_TARGETS) {
    const source = group[target];
    if (source === undefined || source === '') continue;
    if (typeof source !== 'string') {
      issues.push({ path: `${path}.${target}`, message: 'must be a template string' });
      continue;
    }
    const template = templateOption(source, `${path}.${target}`, issues);
    if (template !== undefined) found[target] = template;
  }
  return found;
}

function routeRules(
  names: readonly string[],
  options: Readonly<Record<string, unknown>>,
  path: string,
  issues: ConfigIssue[],
): RouteRule[] {
  const groups = namedGroups(options, 'rule.', path, issues);
  issues.push(...unlistedGroups(groups, names, { path, prefix: 'rule.', listKey: 'rules' }));
  const rules: RouteRule[] = [];
  for (const name of names) {
    if (!RULE_NAME.test(name)) {
      issues.push({ path: `${path}.rules`, message: `"${name}" must be 1-64 letters, digits, "-" or "_"` });
      continue;
    }
    if (rules.some((rule) => rule.name === name)) {
      issues.push({ path: `${path}.rules`, message: `"${name}" is listed twice` });
      continue;
    }
    const where = `${path}.rule.${name}`;
    const group = groups.get(name) ?? {};
    issues.push(...unknownGroupOptions(group, ROUTE_TARGETS, where, ['when.', 'unless.']));
    const when = compileConditions(group, 'when.', where);
    const unless = compileConditions(group, 'unless.', where);
    issues.push(...when.issues, ...unless.issues);
    const ruleTargets = targets(group, where, issues);
    if (Object.keys(ruleTargets).length === 0)
      issues.push({
        path: where,
        message: `sets nothing: give it at least one of ${ROUTE_TARGETS.join(', ')}`,
      });
    rules.push({ name, when: when.conditions, unless: unless.conditions, targets: ruleTargets });
  }
  return rules;
}

function mscsSettings(
  values: Values<typeof routeSchema>,
  context: TransformContext,
  issues: ConfigIssue[],
): MscsSettings | undefined {
  const namespace = values['mscs.namespace'] ?? context.eventHubsNamespace;
  const flags = values['mscs.event.format.flags'];
  if (namespace === undefined) {
    issues.push({
      path: `${context.path}.mscs.namespace`,
      message:
        'is required with preset=mscs when the source has no Event Hubs namespace (e.g. acme.servicebus.windows.net)',
    });
  }
  if (flags & MSCS_FLAGS.withSystemProperties) {
    issues.push({
      path: `${context.path}.mscs.event.format.flags`,
      message: 'bit 1 (wrap events with Event Hubs properties) is not supported; use 0, 2, 4 or 6',
    });
  }
  if (namespace === undefined) return undefined;
  return {
    namespace,
    flags,
    consumerGroup: values['mscs.consumer.group'] ?? context.consumerGroup,
    pythonRaw: values['mscs.python.raw'],
    ensureAscii: values['mscs.ensure.ascii'],
  };
}
