/**
 * Container log records in the seed's hierarchy (several clusters, apps and containers), as JSON values the
 * kubernetes transform would have produced, and the topic each must be published to.
 */

export const CLUSTERS = ['clusterx', 'clustery', 'clusterz'] as const;
export const APPS = ['appz', 'appy', 'appw'] as const;
/** Containers per cluster and app. */
export const CONTAINERS = 3;

/** The connector's topic template: `acme/<cluster>/<app>/<container id>`. */
export const SEED_TEMPLATE =
  'acme/${kubernetes.cluster:-unknown}/${kubernetes.labels.app:-${kubernetes.container_name}}/${kubernetes.container_id}';

/** What record `seq` carries, and where it must be published. */
export interface K8sLine {
  readonly seq: number;
  readonly cluster: string;
  readonly app: string;
  /** The container id as published (the record's value has it with a `containerd://` prefix). */
  readonly container: string;
  readonly topic: string;
}

/** Record `seq` of the stream. */
export function k8sLine(seq: number): K8sLine {
  const cluster = CLUSTERS[seq % CLUSTERS.length] ?? 'clusterx';
  const app = APPS[Math.floor(seq / CLUSTERS.length) % APPS.length] ?? 'appz';
  const n = Math.floor(seq / (CLUSTERS.length * APPS.length)) % CONTAINERS;
  const container = `${cluster.slice(-1)}${app.slice(-1)}${n}f00dcafe`;
  return { seq, cluster, app, container, topic: `acme/${cluster}/${app}/${container}` };
}

/** Kafka messages for records `0 … count-1`: key = container id, value = the JSON log event. */
export function* k8sMessages(count: number): Generator<{ key: string; value: string }> {
  for (let seq = 0; seq < count; seq += 1) {
    const line = k8sLine(seq);
    yield {
      key: line.container,
      value: JSON.stringify({
        seq,
        log: `GET /items/${seq} 200 ${seq % 97}ms`,
        kubernetes: {
          cluster: line.cluster,
          container_name: `${line.app}-main`,
          container_id: `containerd://${line.container}`,
          labels: { app: line.app },
        },
      }),
    };
  }
}
