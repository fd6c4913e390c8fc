/**
 * What runs in the lab's made-up Kubernetes estate: clusters, and the apps deployed to each, with the log style of
 * every container. Data only; `fleet.ts` turns it into pods and containers with stable names and ids.
 * @module
 */

/** How a container writes its logs; `logs/` has one writer per style. */
export type LogStyle =
  | 'logback-json'
  | 'log4j-text'
  | 'pino-json'
  | 'zap-json'
  | 'python-text'
  | 'nginx-access'
  | 'ingress-access'
  | 'coredns'
  | 'fluent-bit-text';

/**
 * How a cluster ships its container logs to Event Hubs: `fluent-bit` sends Fluent Bit `out_kafka` JSON records
 * (the seed pipeline), `cri` sends the raw lines of the CRI log files.
 */
export type Shipping = 'fluent-bit' | 'cri';

/** One AKS cluster. */
export interface ClusterSpec {
  readonly name: string;
  readonly shipping: Shipping;
  /** Node pool name, in node names (`aks-<pool>-<id>-vmss<n>`). */
  readonly pool: string;
  readonly nodes: number;
}

/** One container of an app's pods. */
export interface ContainerSpec {
  readonly name: string;
  /** Image reference, `registry/repository:tag`. */
  readonly image: string;
  readonly style: LogStyle;
}

/** One app (workload) deployed to every cluster. */
export interface AppSpec {
  readonly namespace: string;
  readonly app: string;
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  /** Pods per cluster. */
  readonly replicas: number;
  /** Relative log volume of each of its containers. */
  readonly weight: number;
  readonly team: string;
  readonly version: string;
  readonly containers: readonly ContainerSpec[];
}

/** The clusters: two ship Fluent Bit records, two ship raw CRI lines, so both shapes get about half the volume. */
export const clusters: readonly ClusterSpec[] = [
  { name: 'aks-weu-prod-01', shipping: 'fluent-bit', pool: 'userpool1', nodes: 3 },
  { name: 'aks-neu-prod-01', shipping: 'fluent-bit', pool: 'userpool1', nodes: 2 },
  { name: 'aks-weu-stg-01', shipping: 'cri', pool: 'nodepool1', nodes: 2 },
  { name: 'aks-eus-prod-02', shipping: 'cri', pool: 'userpool2', nodes: 3 },
];

const acr = 'acmecr.azurecr.io';

/** The apps, deployed identically to every cluster. */
export const apps: readonly AppSpec[] = [
  {
    namespace: 'payments',
    app: 'payment-api',
    kind: 'Deployment',
    replicas: 3,
    weight: 3,
    team: 'payments',
    version: '2.14.1',
    containers: [{ name: 'payment-api', image: `${acr}/payments/payment-api:2.14.1`, style: 'logback-json' }],
  },
  {
    namespace: 'payments',
    app: 'card-vault',
    kind: 'StatefulSet',
    replicas: 2,
    weight: 2,
    team: 'payments',
    version: '1.8.0',
    containers: [{ name: 'card-vault', image: `${acr}/payments/card-vault:1.8.0`, style: 'log4j-text' }],
  },
  {
    namespace: 'checkout',
    app: 'cart-service',
    kind: 'Deployment',
    replicas: 2,
    weight: 3,
    team: 'checkout',
    version: '5.2.0',
    containers: [{ name: 'cart-service', image: `${acr}/checkout/cart-service:5.2.0`, style: 'pino-json' }],
  },
  {
    namespace: 'checkout',
    app: 'checkout-web',
    kind: 'Deployment',
    replicas: 2,
    weight: 2,
    team: 'checkout',
    version: '5.2.0',
    containers: [
      { name: 'nginx', image: 'docker.io/library/nginx:1.27.3', style: 'nginx-access' },
      { name: 'checkout-web', image: `${acr}/checkout/checkout-web:5.2.0`, style: 'pino-json' },
    ],
  },
  {
    namespace: 'identity',
    app: 'auth-service',
    kind: 'Deployment',
    replicas: 2,
    weight: 3,
    team: 'identity',
    version: '3.0.7',
    containers: [{ name: 'auth-service', image: `${acr}/identity/auth-service:3.0.7`, style: 'zap-json' }],
  },
  {
    namespace: 'orders',
    app: 'order-worker',
    kind: 'Deployment',
    replicas: 2,
    weight: 2,
    team: 'orders',
    version: '0.19.3',
    containers: [{ name: 'order-worker', image: `${acr}/orders/order-worker:0.19.3`, style: 'python-text' }],
  },
  {
    namespace: 'ingress-nginx',
    app: 'ingress-nginx',
    kind: 'Deployment',
    replicas: 2,
    weight: 5,
    team: 'platform',
    version: '1.11.3',
    containers: [
      {
        name: 'controller',
        image: 'registry.k8s.io/ingress-nginx/controller:v1.11.3',
        style: 'ingress-access',
      },
    ],
  },
  {
    namespace: 'kube-system',
    app: 'coredns',
    kind: 'Deployment',
    replicas: 2,
    weight: 1,
    team: 'platform',
    version: '1.11.3',
    containers: [
      { name: 'coredns', image: 'mcr.microsoft.com/oss/kubernetes/coredns:v1.11.3-2', style: 'coredns' },
    ],
  },
  {
    namespace: 'logging',
    app: 'fluent-bit',
    kind: 'DaemonSet',
    replicas: 2,
    weight: 0.5,
    team: 'platform',
    version: '3.2.4',
    containers: [
      { name: 'fluent-bit', image: 'cr.fluentbit.io/fluent/fluent-bit:3.2.4', style: 'fluent-bit-text' },
    ],
  },
];
