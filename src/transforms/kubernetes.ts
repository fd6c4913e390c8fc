/**
 * `kubernetes`: namespace, pod, container, container id and cluster, with Fluent Bit's kubernetes filter field
 * names (`namespace_name`, `pod_name`, `container_name`, `docker_id`, `pod_id`) plus `cluster_name`, in one object
 * (`kubernetes` by default). Sources, in order: what the record already has (Fluent Bit's filter ran upstream), then
 * the container log file name or Fluent Bit tag (`tag` template: the Kafka key or a header), then `cluster`.
 * Container ids lose their runtime prefix (`containerd://`, `docker://`). A text body becomes `{log, kubernetes}`
 * when there is metadata to add. No Kubernetes API is queried: labels and annotations come only from the record.
 * @module
 */
import { defineSchema, parseOptions } from '../config/index.ts';
import type { JsonObject, JsonValue, Template, TransformFn } from '../engine/index.ts';
import { bareContainerId, type ContainerFile, parseContainerFile } from './container-file.ts';
import type { TransformCounters } from './counters.ts';
import { templateOption } from './options.ts';
import type { TransformType } from './spec.ts';

/** Options of `kubernetes`. */
export const kubernetesSchema = defineSchema({
  tag: {
    type: 'string',
    default: '${key:-${header.tag}}',
    doc: 'Template giving the container log file path or Fluent Bit tag (kube.var.log.containers.<pod>_<namespace>_<container>-<id>.log).',
  },
  cluster: {
    type: 'string',
    default: '',
    doc: 'Template giving the cluster name written to cluster_name, e.g. aks-prod-weu or ${header.cluster:-aks-prod-weu}; empty: none.',
  },
  target: { type: 'string', default: 'kubernetes', doc: 'Body field the metadata object is written to.' },
  overwrite: {
    type: 'bool',
    default: false,
    doc: 'false: values already in the record win over those from the tag; true: the tag wins.',
  },
});

/** Validated `kubernetes` settings. */
export interface KubernetesConfig {
  readonly tag: Template;
  readonly cluster: Template | undefined;
  readonly target: string;
  readonly overwrite: boolean;
}

/** Entries kept per cache of a transform. */
const CACHE_ENTRIES = 4096;

/** Compiles `kubernetes`. Counts `no_metadata` (nothing found for the event). */
export function createKubernetes(config: KubernetesConfig, counters: TransformCounters): TransformFn {
  const files = new BoundedCache<ContainerFile | null>();
  // Metadata built from the tag and cluster alone, shared by every event of a container: transforms never change a
  // body in place, they copy what they change.
  const built = new BoundedCache<JsonObject | null>();
  const fileOf = (tag: string): ContainerFile | undefined =>
    (tag === '' ? null : files.get(tag, () => parseContainerFile(tag) ?? null)) ?? undefined;
  return (event) => {
    const { body } = event;
    const current = typeof body === 'string' ? undefined : body[config.target];
    const existing = isObject(current) ? current : undefined;
    const tag = config.tag.render(event);
    const cluster = config.cluster?.render(event) ?? '';
    const metadata =
      existing === undefined
        ? (built.get(`${tag}\u0000${cluster}`, () => merge(undefined, fileOf(tag), cluster, false) ?? null) ??
          undefined)
        : merge(existing, fileOf(tag), cluster, config.overwrite);
    if (metadata === undefined || metadata === existing) {
      if (existing === undefined) counters.add('no_metadata');
      return event;
    }
    const next: JsonObject =
      typeof body === 'string'
        ? { log: body, [config.target]: metadata }
        : { ...body, [config.target]: metadata };
    return { ...event, body: next };
  };
}

/** A map that forgets everything when it is full: tags repeat for every line of a container. */
class BoundedCache<V> {
  readonly #entries = new Map<string, V>();

  get(key: string, make: () => V): V {
    let value = this.#entries.get(key);
    if (value === undefined) {
      if (this.#entries.size >= CACHE_ENTRIES) this.#entries.clear();
      value = make();
      this.#entries.set(key, value);
    }
    return value;
  }
}

/** @returns `existing` itself when nothing changes, else a new object. */
function merge(
  existing: JsonObject | undefined,
  file: ContainerFile | undefined,
  cluster: string,
  overwrite: boolean,
): JsonObject | undefined {
  let merged: JsonObject | undefined;
  const set = (key: string, value: string): void => {
    if ((merged ?? existing)?.[key] === value) return;
    merged ??= { ...existing };
    merged[key] = value;
  };
  const fill = (key: string, value: string): void => {
    if (overwrite || isBlank((merged ?? existing)?.[key])) set(key, value);
  };
  // Normalising the id is not overwriting it: the same container, written without its runtime prefix.
  const id = existing?.docker_id ?? existing?.container_id;
  if (typeof id === 'string' && id !== '') set('docker_id', bareContainerId(id));
  if (file !== undefined) for (const [key, value] of Object.entries(file)) fill(key, value as string);
  if (cluster !== '') fill('cluster_name', cluster);
  return merged ?? existing;
}

function isBlank(value: JsonValue | undefined): boolean {
  return value === undefined || value === null || value === '';
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `kubernetes` transform type. */
export const kubernetesType: TransformType<KubernetesConfig> = {
  type: 'kubernetes',
  schema: kubernetesSchema,
  dynamicPrefixes: [],
  validate(options, context) {
    const { values, issues } = parseOptions(kubernetesSchema, options, context.path);
    const tag = templateOption(values.tag, `${context.path}.tag`, issues);
    const cluster =
      values.cluster === '' ? undefined : templateOption(values.cluster, `${context.path}.cluster`, issues);
    if (tag === undefined || issues.length > 0) return { issues };
    return { config: { tag, cluster, target: values.target, overwrite: values.overwrite }, issues };
  },
  create: (config, context, deps) => ({
    name: context.alias,
    apply: createKubernetes(config, deps.counters),
  }),
};
