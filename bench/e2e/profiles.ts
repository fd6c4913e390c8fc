/**
 * The end-to-end benchmark's profiles: connector definitions that set only what a deployment must (where to read,
 * where to write, the transform chain); everything else stays at logbridge's defaults.
 * @module
 */

/** Profile names, in the order they run within a round. */
export const PROFILES = ['min', 'full', 'fanout', 'ack'] as const;
export type Profile = (typeof PROFILES)[number];

/** What a profile's connector points at. */
export interface Targets {
  readonly topic: string;
  readonly groupId: string;
  readonly bootstrap: string;
  readonly hecUrl: string;
  readonly mqttUrl: string;
  /** Extra connector keys for every profile (`--set key=value`), to try a setting against the defaults. */
  readonly overrides: Readonly<Record<string, string>>;
}

/** The topic template of the `route` transform and the MQTT sink: `acme/<cluster>/<app>/<container id>`. */
const TOPIC =
  'acme/${kubernetes.cluster_name:-unknown}/${kubernetes.labels.app:-${kubernetes.container_name:-unknown}}/' +
  '${kubernetes.docker_id:-unknown}';

/** kubernetes, json, mask, route: what an AKS deployment runs on Fluent Bit records. */
const FULL_CHAIN: Readonly<Record<string, string>> = {
  transforms: 'k8s,json,mask,route',
  'transforms.k8s.type': 'kubernetes',
  'transforms.json.type': 'json',
  'transforms.mask.type': 'mask',
  'transforms.route.type': 'route',
  'transforms.route.index': 'kubernetes',
  'transforms.route.sourcetype': 'kube:container:${kubernetes.container_name:-unknown}',
  'transforms.route.topic': TOPIC,
};

/** The connector definition of a profile. */
export function connectorFor(
  profile: Profile,
  name: string,
  t: Targets,
): { name: string; config: Record<string, string> } {
  const base: Record<string, string> = {
    topics: t.topic,
    'kafka.bootstrap.servers': t.bootstrap,
    'kafka.group.id': t.groupId,
    sinks: 'splunk-hec',
    'splunk.hec.uri': t.hecUrl,
    'splunk.hec.token': 'bench',
  };
  const byProfile: Record<Profile, Record<string, string>> = {
    min: {},
    full: FULL_CHAIN,
    fanout: { ...FULL_CHAIN, sinks: 'splunk-hec,mqtt', 'mqtt.url': t.mqttUrl, 'mqtt.topic': TOPIC },
    ack: { ...FULL_CHAIN, 'splunk.hec.token': 'bench-ack', 'splunk.hec.ack.enabled': 'true' },
  };
  return { name, config: { ...base, ...byProfile[profile], ...t.overrides } };
}
