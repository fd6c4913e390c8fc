/**
 * Fluent Bit `out_kafka` JSON records, as the seed pipeline produces them: the `tail` input with the CRI parser
 * (`time`, `stream`, `logtag`, `log`), the `kubernetes` filter (`kubernetes{…}`), a `modify` filter adding the
 * `cluster`, and `out_kafka`'s `@timestamp` (epoch seconds as a double, its default `timestamp_format`). The CRI
 * multiline parser has already joined partial lines, so `logtag` is `F` and `log` is the whole line.
 * @module
 */
import { rfc3339Nano } from './cri.ts';
import type { Container } from './fleet.ts';
import type { Stream } from './logs/index.ts';

/** What the `kubernetes` filter adds (with `Labels On`, `Annotations On`). */
export interface KubernetesMetadata {
  readonly pod_name: string;
  readonly namespace_name: string;
  readonly pod_id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly host: string;
  readonly container_name: string;
  readonly docker_id: string;
  readonly container_hash: string;
  readonly container_image: string;
}

/** One Fluent Bit record as `out_kafka` (`format json`) writes it to the topic. */
export interface FluentBitRecord {
  readonly '@timestamp': number;
  readonly time: string;
  readonly stream: Stream;
  readonly logtag: 'F';
  readonly log: string;
  readonly cluster: string;
  readonly kubernetes: KubernetesMetadata;
}

/** The `kubernetes{…}` object for a container. */
export function kubernetesMetadata(container: Container): KubernetesMetadata {
  const { pod } = container;
  return {
    pod_name: pod.name,
    namespace_name: pod.namespace,
    pod_id: pod.uid,
    labels: pod.labels,
    annotations: pod.annotations,
    host: pod.node,
    container_name: container.name,
    docker_id: container.id,
    container_hash: container.imageDigest,
    container_image: container.image,
  };
}

/** The record for one whole line a container wrote at `timeNs`. */
export function fluentBitRecord(
  container: Container,
  stream: Stream,
  log: string,
  timeNs: bigint,
): FluentBitRecord {
  const micros = Number(timeNs / 1000n);
  return {
    '@timestamp': micros / 1e6,
    time: rfc3339Nano(timeNs),
    stream,
    logtag: 'F',
    log,
    cluster: container.cluster,
    kubernetes: kubernetesMetadata(container),
  };
}
