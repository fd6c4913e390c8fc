/**
 * The chart is closed by default (issue #12): the default values render a token requirement (a generated Secret,
 * read into the pod's environment, never mounted), a read-only API, a NetworkPolicy on the REST port, a scrape token
 * distinct from the admin token for the ServiceMonitor; and logbridge's own start-up check, run with the pod's
 * environment, accepts the pod and would refuse it without the token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExposure, UnprotectedApiError } from '../../../src/api/index.ts';
import { loadWorkerConfig } from '../../../src/config/index.ts';
import { type Manifest, only, productionValues, removeScratch, render, valuesFile } from './helm.ts';

afterAll(removeScratch);

interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef?: { readonly name: string; readonly key: string } };
}
interface Deployment extends Manifest {
  readonly spec: {
    readonly selector: { readonly matchLabels: Record<string, string> };
    readonly template: {
      readonly spec: {
        readonly containers: readonly { readonly env: readonly EnvVar[] }[];
        readonly volumes: readonly { readonly secret?: { readonly secretName: string } }[];
      };
    };
  };
}
interface Secret extends Manifest {
  readonly data: Record<string, string>;
}
interface NetworkPolicy extends Manifest {
  readonly spec: {
    readonly podSelector: { readonly matchLabels: Record<string, string> };
    readonly policyTypes: readonly string[];
    readonly ingress: readonly { readonly ports: readonly unknown[]; readonly from: readonly unknown[] }[];
  };
}

function envOf(deployment: Deployment): readonly EnvVar[] {
  return deployment.spec.template.spec.containers[0]?.env ?? [];
}

/** The container's environment with secretKeyRef values read from the rendered Secrets. */
function resolvedEnv(manifests: readonly Manifest[], deployment: Deployment): Record<string, string> {
  const secrets = manifests.filter((m): m is Secret => m.kind === 'Secret');
  const env: Record<string, string> = {};
  for (const variable of envOf(deployment)) {
    const ref = variable.valueFrom?.secretKeyRef;
    const data = secrets.find((s) => s.metadata.name === ref?.name)?.data[ref?.key ?? ''];
    const value = variable.value ?? (data === undefined ? undefined : Buffer.from(data, 'base64').toString());
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}

function startsWith(env: Record<string, string>): boolean {
  const { rest } = loadWorkerConfig(undefined, env);
  return checkExposure({ host: rest.host, token: rest.auth.token, required: rest.auth.required });
}

describe('the chart with default values', () => {
  let manifests: Manifest[];
  let deployment: Deployment;

  beforeAll(async () => {
    manifests = await render([valuesFile('metrics: {serviceMonitor: {enabled: true}}')]);
    deployment = only(manifests, 'Deployment') as Deployment;
  });

  it('requires a token: generated into its own Secret, read into the environment, never mounted', () => {
    const secret = only(manifests, 'Secret', '-rest-auth') as Secret;
    const admin = Buffer.from(secret.data['rest-auth-token'] ?? '', 'base64').toString();
    const scrape = Buffer.from(secret.data['metrics-token'] ?? '', 'base64').toString();
    expect(admin).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(scrape).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(scrape).not.toBe(admin);
    expect(envOf(deployment)).toContainEqual({
      name: 'LOGBRIDGE_REST_AUTH_TOKEN',
      valueFrom: { secretKeyRef: { name: secret.metadata.name, key: 'rest-auth-token' } },
    });
    const mounted = deployment.spec.template.spec.volumes.map((v) => v.secret?.secretName);
    expect(mounted).not.toContain(secret.metadata.name);
  });

  it("passes logbridge's start-up check on 0.0.0.0 with the pod's environment, and would fail it without the token", () => {
    const env = resolvedEnv(manifests, deployment);
    expect(env['LOGBRIDGE_REST_HOST']).toBe('0.0.0.0');
    expect(Object.keys(env)).not.toContain('LOGBRIDGE_REST_AUTH_REQUIRED');
    expect(startsWith(env)).toBe(false);
    const { LOGBRIDGE_REST_AUTH_TOKEN: _token, ...without } = env;
    expect(() => startsWith(without)).toThrow(UnprotectedApiError);
  });

  it('serves a read-only API, and lets REST callers name files under the Secret mount only', () => {
    expect(envOf(deployment)).toContainEqual({ name: 'LOGBRIDGE_REST_READ_ONLY', value: 'true' });
    expect(envOf(deployment)).toContainEqual({
      name: 'LOGBRIDGE_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS',
      value: '/var/run/secrets/logbridge',
    });
  });

  it('admits traffic to the REST port from the release namespace and Prometheus only', () => {
    const policy = only(manifests, 'NetworkPolicy') as NetworkPolicy;
    expect(policy.spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toEqual([
      {
        ports: [{ port: 'http', protocol: 'TCP' }],
        from: [
          { podSelector: {} },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
        ],
      },
    ]);
  });

  it('scrapes /metrics with the read-only token, not the admin token', () => {
    const monitor = only(manifests, 'ServiceMonitor') as Manifest & {
      spec: { endpoints: { authorization: { credentials: { name: string; key: string } } }[] };
    };
    expect(monitor.spec.endpoints[0]?.authorization.credentials).toEqual({
      name: 'logbridge-rest-auth',
      key: 'metrics-token',
    });
    expect(envOf(deployment)).toContainEqual({
      name: 'LOGBRIDGE_REST_METRICS_TOKEN',
      valueFrom: { secretKeyRef: { name: 'logbridge-rest-auth', key: 'metrics-token' } },
    });
  });
});

describe('the chart opened on purpose', () => {
  it('says rest.auth.required=false to logbridge (which warns), and drops the NetworkPolicy only when asked', async () => {
    const manifests = await render([
      valuesFile('worker: {restAuth: {enabled: false}, readOnly: false}\nnetworkPolicy: {enabled: false}'),
    ]);
    const deployment = only(manifests, 'Deployment') as Deployment;
    expect(envOf(deployment)).toContainEqual({ name: 'LOGBRIDGE_REST_AUTH_REQUIRED', value: 'false' });
    expect(envOf(deployment)).toContainEqual({ name: 'LOGBRIDGE_REST_READ_ONLY', value: 'false' });
    expect(startsWith(resolvedEnv(manifests, deployment))).toBe(true);
    expect(manifests.filter((m) => m.kind === 'Secret' || m.kind === 'NetworkPolicy')).toEqual([]);
  });

  it('lets REST callers name files under the extra volume mounts too (production values)', async () => {
    const deployment = only(await render([productionValues]), 'Deployment') as Deployment;
    expect(envOf(deployment)).toContainEqual({
      name: 'LOGBRIDGE_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS',
      value: '/var/run/secrets/logbridge,/etc/logbridge/ca',
    });
  });
});
