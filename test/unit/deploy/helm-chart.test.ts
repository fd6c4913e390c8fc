/**
 * The Helm chart, rendered by the real helm (a child process) with the default values and with the production-like
 * values file: `helm lint --strict`, then what the rendered manifests must hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConnector } from '../../../src/worker/index.ts';
import { chartDir, helm, removeScratch, type Manifest, only, productionValues, render } from './helm.ts';

afterAll(removeScratch);

interface Probe {
  readonly httpGet: { readonly path: string; readonly port: string | number };
}
interface Container {
  readonly name: string;
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly env: readonly {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string } };
  }[];
  readonly ports: readonly { name: string; containerPort: number }[];
  readonly livenessProbe: Probe;
  readonly readinessProbe: Probe;
  readonly startupProbe: Probe;
  readonly resources: { readonly limits: { readonly memory: string } };
  readonly securityContext: {
    readonly readOnlyRootFilesystem: boolean;
    readonly allowPrivilegeEscalation: boolean;
    readonly privileged: boolean;
    readonly capabilities: { readonly drop: readonly string[] };
  };
  readonly volumeMounts: readonly { name: string; mountPath: string; readOnly?: boolean }[];
}
interface Volume {
  readonly name: string;
  readonly secret?: { readonly secretName: string };
  readonly configMap?: { readonly name: string; readonly items: readonly { key: string; path: string }[] };
}
interface PodSpec {
  readonly terminationGracePeriodSeconds: number;
  readonly automountServiceAccountToken: boolean;
  readonly securityContext: {
    readonly runAsNonRoot: boolean;
    readonly runAsUser: number;
    readonly seccompProfile: { readonly type: string };
  };
  readonly containers: readonly Container[];
  readonly volumes: readonly Volume[];
  readonly topologySpreadConstraints: readonly { topologyKey: string }[];
}
interface Deployment extends Manifest {
  readonly spec: {
    readonly replicas?: number;
    readonly selector: { readonly matchLabels: Record<string, string> };
    readonly template: {
      readonly metadata: {
        readonly labels: Record<string, string>;
        readonly annotations: Record<string, string>;
      };
      readonly spec: PodSpec;
    };
  };
}
interface ConfigMap extends Manifest {
  readonly data: Record<string, string>;
}
interface Pdb extends Manifest {
  readonly spec: {
    readonly maxUnavailable?: number;
    readonly minAvailable?: number;
    readonly unhealthyPodEvictionPolicy: string;
    readonly selector: { readonly matchLabels: Record<string, string> };
  };
}
interface ConnectorFile {
  readonly name: string;
  readonly config: Record<string, string>;
}

const SECRETS_PATH = '/var/run/secrets/logbridge';
const FILE_REF = /\$\{file:([^}]+)\}/g;

function container(deployment: Deployment): Container {
  const found = deployment.spec.template.spec.containers.find((c) => c.name === 'logbridge');
  if (found === undefined) throw new Error('no logbridge container');
  return found;
}

function connectorFiles(configMap: ConfigMap): ConnectorFile[] {
  return Object.entries(configMap.data)
    .filter(([key]) => key !== 'worker.json')
    .map(([, text]) => JSON.parse(text) as ConnectorFile);
}

function mountedUnder(path: string, c: Container): boolean {
  return c.volumeMounts.some((m) => path === m.mountPath || path.startsWith(`${m.mountPath}/`));
}

/** Replaces secret references by plausible values, as the mounted files would. */
function withSecretsResolved(connector: ConnectorFile): ConnectorFile {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(connector.config)) {
    config[key] = value.replace(FILE_REF, (_whole, path: string) =>
      path.endsWith('eventhubs-connection-string')
        ? 'Endpoint=sb://acme-logs.servicebus.windows.net/;SharedAccessKeyName=logbridge;SharedAccessKey=c2VjcmV0'
        : 'from-a-file',
    );
  }
  return { name: connector.name, config };
}

describe.each([
  { label: 'default values', files: [] as string[] },
  { label: 'production-like values', files: [productionValues] },
])('the chart with $label', ({ files }) => {
  let manifests: Manifest[];
  let deployment: Deployment;
  let configMap: ConfigMap;

  beforeAll(async () => {
    manifests = await render(files);
    deployment = only(manifests, 'Deployment') as Deployment;
    configMap = only(manifests, 'ConfigMap', 'logbridge') as ConfigMap;
  });

  it('passes helm lint --strict', async () => {
    const result = await helm(['lint', '--strict', chartDir, ...files.flatMap((f) => ['-f', f])]);
    expect(result.stderr + result.stdout).toContain('0 chart(s) failed');
    expect(result.code).toBe(0);
  });

  it('probes /healthz for liveness and start-up and /readyz for readiness, on the REST port 8083', () => {
    const c = container(deployment);
    expect(c.ports).toContainEqual({ name: 'http', containerPort: 8083, protocol: 'TCP' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.env).toContainEqual({ name: 'LOGBRIDGE_REST_HOST', value: '0.0.0.0' });
  });

  it('runs non-root with a read-only root filesystem, no capabilities and seccomp RuntimeDefault', () => {
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.securityContext.seccompProfile.type).toBe('RuntimeDefault');
    expect(pod.automountServiceAccountToken).toBe(false);
    const { securityContext } = container(deployment);
    expect(securityContext.readOnlyRootFilesystem).toBe(true);
    expect(securityContext.allowPrivilegeEscalation).toBe(false);
    expect(securityContext.privileged).toBe(false);
    expect(securityContext.capabilities.drop).toContain('ALL');
  });

  it('mounts the existing Secret read-only as files, and connectors refer to them with ${file:…}', () => {
    const pod = deployment.spec.template.spec;
    const c = container(deployment);
    const secretVolume = pod.volumes.find((v) => v.secret !== undefined);
    expect(secretVolume?.secret?.secretName).toMatch(/^logbridge-(credentials|prod)$/);
    expect(c.volumeMounts).toContainEqual({
      name: secretVolume?.name,
      mountPath: SECRETS_PATH,
      readOnly: true,
    });
    const references = connectorFiles(configMap).flatMap((connector) =>
      Object.values(connector.config).flatMap((value) =>
        [...value.matchAll(FILE_REF)].map((m) => m[1] ?? ''),
      ),
    );
    expect(references).toContain(`${SECRETS_PATH}/eventhubs-connection-string`);
    expect(references).toContain(`${SECRETS_PATH}/splunk-hec-token`);
    for (const path of references) expect(mountedUnder(path, c), path).toBe(true);
    // Secrets reach the container only as files or secretKeyRef, never as literal values.
    for (const variable of c.env) expect(variable.value ?? '').not.toMatch(/SharedAccessKey|password/i);
  });

  it('mounts the connector files on the worker connectors.dir and the worker settings on --config', () => {
    const c = container(deployment);
    const pod = deployment.spec.template.spec;
    expect(c.env).toContainEqual({ name: 'LOGBRIDGE_CONNECTORS_DIR', value: '/etc/logbridge/connectors' });
    expect(c.volumeMounts).toContainEqual({
      name: 'connectors',
      mountPath: '/etc/logbridge/connectors',
      readOnly: true,
    });
    const connectorsVolume = pod.volumes.find((v) => v.name === 'connectors');
    const names = connectorFiles(configMap).map((connector) => `${connector.name}.json`);
    expect(connectorsVolume?.configMap?.items.map((item) => item.path)).toEqual(names);
    expect(c.args).toEqual(['run', '--config', '/etc/logbridge/worker/worker.json']);
    expect(JSON.parse(configMap.data['worker.json'] ?? '')).toMatchObject({ rest: { port: 8083 } });
    expect(deployment.spec.template.metadata.annotations['checksum/config']).toMatch(/^[a-f0-9]{64}$/);
  });

  it('renders connectors that logbridge itself accepts', () => {
    const connectors = connectorFiles(configMap);
    expect(connectors.length).toBeGreaterThan(0);
    for (const connector of connectors) {
      expect(validateConnector(withSecretsResolved(connector)).issues, connector.name).toEqual([]);
    }
  });

  it('gives pods longer than the longest drain timeout to stop', () => {
    const drains = connectorFiles(configMap).map((connector) =>
      Number(connector.config['drain.timeout.ms'] ?? '30000'),
    );
    const graceMs = deployment.spec.template.spec.terminationGracePeriodSeconds * 1000;
    expect(graceMs).toBeGreaterThanOrEqual(Math.max(...drains) + 15_000);
  });

  it('derives the V8 heap flags from the memory limit', () => {
    const c = container(deployment);
    expect(c.command.slice(0, 1)).toEqual(['node']);
    expect(c.command.at(-1)).toBe('dist/cli/main.js');
    const heap = Number(/^--max-old-space-size=(\d+)$/.exec(c.command[1] ?? '')?.[1]);
    const limitMiB =
      Number(/^(\d+)(Mi|Gi)$/.exec(c.resources.limits.memory)?.[1]) *
      (c.resources.limits.memory.endsWith('Gi') ? 1024 : 1);
    expect(heap).toBeGreaterThanOrEqual(64);
    expect(heap).toBeLessThanOrEqual(limitMiB / 2);
    expect(c.command[2]).toMatch(/^--max-semi-space-size=\d+$/);
  });

  it('has a PodDisruptionBudget over the same pods that lets unready pods be evicted', () => {
    const pdb = only(manifests, 'PodDisruptionBudget') as Pdb;
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(pdb.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
    expect((pdb.spec.maxUnavailable ?? 0) + (pdb.spec.minAvailable ?? 0)).toBeGreaterThan(0);
  });

  it('exposes port 8083 through a Service selecting the pods, and spreads them over zones and nodes', () => {
    const service = only(manifests, 'Service') as Manifest & {
      spec: { selector: Record<string, string>; ports: unknown[] };
    };
    expect(service.spec.ports).toContainEqual({
      name: 'http',
      port: 8083,
      targetPort: 'http',
      protocol: 'TCP',
    });
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    const keys = deployment.spec.template.spec.topologySpreadConstraints.map((t) => t.topologyKey);
    expect(keys).toEqual(expect.arrayContaining(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']));
  });

  it('labels every object with the recommended labels', () => {
    for (const manifest of manifests) {
      expect(manifest.metadata.labels, manifest.kind).toMatchObject({
        'app.kubernetes.io/name': 'logbridge',
        'app.kubernetes.io/instance': 'logbridge',
        'app.kubernetes.io/managed-by': 'Helm',
      });
    }
  });
});

describe('the chart with production-like values', () => {
  let manifests: Manifest[];

  beforeAll(async () => {
    manifests = await render([productionValues]);
  });

  it('autoscales instead of fixing replicas', () => {
    const deployment = only(manifests, 'Deployment') as Deployment;
    expect(deployment.spec.replicas).toBeUndefined();
    const hpa = only(manifests, 'HorizontalPodAutoscaler') as Manifest & {
      spec: { minReplicas: number; maxReplicas: number };
    };
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 12 });
  });

  it('reads the REST tokens from their own Secret and scrapes /metrics with the read-only one', () => {
    const c = container(only(manifests, 'Deployment') as Deployment);
    expect(c.env).toContainEqual({
      name: 'LOGBRIDGE_REST_AUTH_TOKEN',
      valueFrom: { secretKeyRef: { name: 'logbridge-prod-rest-auth', key: 'rest-auth-token' } },
    });
    expect(c.env).toContainEqual({
      name: 'LOGBRIDGE_REST_METRICS_TOKEN',
      valueFrom: { secretKeyRef: { name: 'logbridge-prod-rest-auth', key: 'metrics-token' } },
    });
    const monitor = only(manifests, 'ServiceMonitor') as Manifest & { spec: { endpoints: unknown[] } };
    expect(monitor.spec.endpoints).toContainEqual(
      expect.objectContaining({
        port: 'http',
        path: '/metrics',
        authorization: {
          type: 'Bearer',
          credentials: { name: 'logbridge-prod-rest-auth', key: 'metrics-token' },
        },
      }),
    );
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  it('ships the Grafana dashboard as a ConfigMap for the sidecar', () => {
    const dashboard = only(manifests, 'ConfigMap', '-dashboard') as ConfigMap;
    expect(dashboard.metadata.namespace).toBe('monitoring');
    expect(dashboard.metadata.labels?.['grafana_dashboard']).toBe('1');
    expect(JSON.parse(dashboard.data['logbridge.json'] ?? '')).toMatchObject({ uid: 'logbridge' });
  });

  it('prints NOTES naming the connectors, their consumer groups and the Secret to create', async () => {
    const result = await helm([
      'install',
      'logbridge',
      chartDir,
      '-n',
      'logging',
      '--dry-run=client',
      '-f',
      productionValues,
    ]);
    expect(result.code).toBe(0);
    const notes = result.stdout.slice(result.stdout.indexOf('NOTES:'));
    expect(notes).toContain('aks-to-splunk (consumer group logbridge-aks-to-splunk)');
    expect(notes).toContain('create secret generic logbridge-prod');
    expect(notes).toContain('localhost:8083/connectors/aks-to-solace/status');
  });

  it('mounts the extra CA volume that a connector refers to', () => {
    const c = container(only(manifests, 'Deployment') as Deployment);
    expect(c.volumeMounts).toContainEqual({
      name: 'solace-ca',
      mountPath: '/etc/logbridge/ca',
      readOnly: true,
    });
  });
});
