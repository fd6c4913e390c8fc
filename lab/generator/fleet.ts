/**
 * The lab's Kubernetes estate made concrete: pods with names, uids, labels and nodes, and containers with stable
 * 64-hex ids and image digests, all derived from a seed so that every run (and every test) sees the same fleet.
 * @module
 */
import {
  apps as catalogApps,
  clusters as catalogClusters,
  type AppSpec,
  type ClusterSpec,
} from './catalog.ts';
import type { LogStyle, Shipping } from './catalog.ts';
import { SeededRandom } from './random.ts';

/** A pod, as the Fluent Bit kubernetes filter describes it. */
export interface Pod {
  readonly name: string;
  readonly namespace: string;
  /** metadata.uid */
  readonly uid: string;
  /** Node name (spec.nodeName). */
  readonly node: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** One running container: what a CRI log file belongs to. */
export interface Container {
  readonly cluster: string;
  readonly shipping: Shipping;
  readonly app: string;
  readonly pod: Pod;
  readonly name: string;
  /** Container id: 64 lowercase hex digits, as containerd names it. */
  readonly id: string;
  /** Image as configured, `registry/repository:tag`. */
  readonly image: string;
  /** Image as resolved, `registry/repository@sha256:<64 hex>` (Fluent Bit's `container_hash`). */
  readonly imageDigest: string;
  readonly style: LogStyle;
  /** Relative log volume. */
  readonly weight: number;
}

/** Every container of every pod of every app in every cluster. */
export interface Fleet {
  readonly containers: readonly Container[];
}

/** What a fleet is built from; defaults to `catalog.ts`. */
export interface FleetSpec {
  readonly clusters: readonly ClusterSpec[];
  readonly apps: readonly AppSpec[];
}

/** Kubernetes' alphabet for generated name suffixes (no vowels, no look-alike digits). */
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * Builds the fleet: for each cluster, each app's pods (names as their controller makes them) and containers.
 * Equal seeds give equal fleets; an image has the same digest in every cluster.
 */
export function createFleet(seed: string | number, spec: FleetSpec = defaultSpec): Fleet {
  const random = new SeededRandom(seed).fork('fleet');
  const digests = new Map<string, string>();
  const digestOf = (image: string): string => {
    let digest = digests.get(image);
    if (digest === undefined) digests.set(image, (digest = random.fork(image).hex(64)));
    return digest;
  };
  const containers: Container[] = [];
  for (const cluster of spec.clusters) {
    const nodes = Array.from({ length: cluster.nodes }, (_, i) => nodeName(random, cluster, i));
    for (const app of spec.apps) {
      const template = random.chars(suffixAlphabet, 10);
      for (let replica = 0; replica < app.replicas; replica += 1) {
        const pod = makePod({ random, app, template, replica, node: random.pick(nodes) });
        for (const container of app.containers) {
          containers.push({
            cluster: cluster.name,
            shipping: cluster.shipping,
            app: app.app,
            pod,
            name: container.name,
            id: random.hex(64),
            image: container.image,
            imageDigest: `${container.image.replace(/:[^:/]+$/, '')}@sha256:${digestOf(container.image)}`,
            style: container.style,
            weight: app.weight,
          });
        }
      }
    }
  }
  return { containers };
}

const defaultSpec: FleetSpec = { clusters: catalogClusters, apps: catalogApps };

function nodeName(random: SeededRandom, cluster: ClusterSpec, index: number): string {
  const scaleSet = String(random.int(10_000_000, 99_999_999));
  return `aks-${cluster.pool}-${scaleSet}-vmss${index.toString(36).padStart(6, '0')}`;
}

interface PodInput {
  readonly random: SeededRandom;
  readonly app: AppSpec;
  /** pod-template-hash (Deployment) or the revision suffix (StatefulSet, DaemonSet). */
  readonly template: string;
  readonly replica: number;
  readonly node: string;
}

function makePod({ random, app, template, replica, node }: PodInput): Pod {
  const common = {
    'app.kubernetes.io/name': app.app,
    'app.kubernetes.io/version': app.version,
    'app.kubernetes.io/part-of': app.namespace,
    team: app.team,
  };
  let name: string;
  let labels: Record<string, string>;
  if (app.kind === 'Deployment') {
    name = `${app.app}-${template}-${random.chars(suffixAlphabet, 5)}`;
    labels = { ...common, 'pod-template-hash': template };
  } else if (app.kind === 'StatefulSet') {
    name = `${app.app}-${String(replica)}`;
    labels = {
      ...common,
      'controller-revision-hash': `${app.app}-${template}`,
      'statefulset.kubernetes.io/pod-name': name,
    };
  } else {
    name = `${app.app}-${random.chars(suffixAlphabet, 5)}`;
    labels = { ...common, 'controller-revision-hash': template, 'pod-template-generation': '3' };
  }
  const first = app.containers[0]?.name ?? app.app;
  const annotations = {
    'kubectl.kubernetes.io/default-container': first,
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': '9102',
  };
  return { name, namespace: app.namespace, uid: random.uuid(), node, labels, annotations };
}
