/**
 * The options a connector definition may use, and redaction of its secrets, from every schema in play.
 * @module
 */
import { connectorSchema, redactProperties, type OptionSpec, type Schema } from '../config/index.ts';
import { sinkSpecs } from '../sinks/index.ts';
import { eventHubsSourceKeys } from '../sources/eventhubs/index.ts';
import { kafkaSourceSchema } from '../sources/kafka/index.ts';
import { transformTypes } from '../transforms/index.ts';

/** An option with the group it belongs to. */
export interface OptionEntry {
  readonly group: string;
  readonly key: string;
  readonly spec: OptionSpec;
}

/**
 * The schemas of a definition: common, source, the sinks it names (all sinks when it names none), and each
 * transform of its chain with keys prefixed `transforms.<alias>.`.
 */
export function schemasOf(config: Readonly<Record<string, unknown>>): { group: string; schema: Schema }[] {
  const named = listOf(config.sinks);
  const sinks = sinkSpecs.filter((spec) => named.length === 0 || named.includes(spec.type));
  return [
    { group: 'Common', schema: connectorSchema },
    { group: 'Source', schema: sourceSchemaOf(config) },
    ...sinks.map((spec) => ({ group: spec.type, schema: spec.schema })),
    ...transformSchemas(config),
  ];
}

function transformSchemas(config: Readonly<Record<string, unknown>>): { group: string; schema: Schema }[] {
  return listOf(config.transforms).flatMap((alias) => {
    const type = transformTypes.find((t) => t.type === config[`transforms.${alias}.type`]);
    if (type === undefined) return [];
    const prefixed = Object.fromEntries(
      Object.entries(type.schema).map(([key, spec]) => [`transforms.${alias}.${key}`, spec]),
    );
    return [{ group: `transform ${alias} (${type.type})`, schema: prefixed }];
  });
}

function listOf(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : [];
}

/** Every option a definition may use. */
export function optionsOf(config: Readonly<Record<string, unknown>>): OptionEntry[] {
  return schemasOf(config).flatMap(({ group, schema }) =>
    Object.entries(schema).map(([key, spec]) => ({ group, key, spec })),
  );
}

/** The keys of the definition's source (`source.type`: kafka by default, or eventhubs). */
export function sourceSchemaOf(config: Readonly<Record<string, unknown>>): Schema {
  return config['source.type'] === 'eventhubs' ? eventHubsSourceKeys : kafkaSourceSchema;
}

/** The definition with every secret option (and every key that looks like one) shown as `[hidden]`. */
export function redactDefinition(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const all: Schema[] = [
    connectorSchema,
    kafkaSourceSchema,
    eventHubsSourceKeys,
    ...sinkSpecs.map((spec) => spec.schema),
    ...transformSchemas(config).map((entry) => entry.schema),
  ];
  return redactProperties(config, all);
}
