/**
 * Bad values: values.schema.json rejects what one value can get wrong, the chart's checks (templates/_validate.tpl)
 * what needs several; each with a message that says where and what.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { helm, removeScratch, templateArgs, valuesFile } from './helm.ts';

afterAll(removeScratch);

const SCHEMA_ERROR = "values don't meet the specifications of the schema";

/** A connector without secrets, to isolate a case from the default connector's references. */
const plainConnector =
  'connectors: [{name: plain, config: {topics: t, kafka.bootstrap.servers: "kafka:9092"}}]';

const schemaCases: readonly { values: string; message: string }[] = [
  { values: 'replicaCount: 0', message: "at '/replicaCount': minimum: got 0, want 1" },
  { values: 'replicaCount: two', message: "at '/replicaCount': got string, want integer" },
  { values: 'replicas: 3', message: "additional properties 'replicas' not allowed" },
  { values: 'connectors: []', message: "at '/connectors': minItems: got 0, want 1" },
  {
    values: 'connectors: [{name: a, config: {topics: t, splunk.hec.ack.enabled: true}}]',
    message: "at '/connectors/0/config/splunk.hec.ack.enabled': got boolean, want string",
  },
  {
    values: 'connectors: [{name: "aks logs", config: {topics: t}}]',
    message: "at '/connectors/0/name': 'aks logs' does not match pattern",
  },
  { values: 'connectors: [{name: a, config: {sinks: splunk-hec}}]', message: "missing property 'topics'" },
  {
    values: 'resources: {limits: {memory: 1.5Gi}}',
    message: "at '/resources/limits/memory': '1.5Gi' does not match pattern",
  },
  { values: 'resources: {limits: {memory: null}}', message: "missing property 'memory'" },
  {
    values: 'secrets: {existingSecret: Logbridge_Creds}',
    message: "at '/secrets/existingSecret': 'Logbridge_Creds' does not match pattern",
  },
  { values: 'worker: {logLevel: verbose}', message: "at '/worker/logLevel': value must be one of" },
  {
    values: 'image: {digest: "sha256:abc"}',
    message: "at '/image/digest': 'sha256:abc' does not match pattern",
  },
  {
    values: 'probes: {liveness: {periodSeconds: 0}}',
    message: "at '/probes/liveness/periodSeconds': minimum: got 0, want 1",
  },
  {
    values: 'podDisruptionBudget: {unhealthyPodEvictionPolicy: Never}',
    message: "at '/podDisruptionBudget/unhealthyPodEvictionPolicy': value must be one of",
  },
  {
    values: 'terminationGracePeriodSeconds: "60"',
    message: "at '/terminationGracePeriodSeconds': got string, want integer",
  },
  {
    values: 'heap: {maxOldSpaceSizeMiB: 16}',
    message: "at '/heap/maxOldSpaceSizeMiB': minimum: got 16, want 64",
  },
  { values: 'metrics: {serviceMonitor: {interval: soon}}', message: "at '/metrics/serviceMonitor/interval'" },
];

const chartCases: readonly { values: string; message: string }[] = [
  {
    values: 'terminationGracePeriodSeconds: 40',
    message:
      'terminationGracePeriodSeconds (40) must exceed the longest drain.timeout.ms of the connectors (30000 ms, ' +
      'connector aks-logs) by at least 15 s',
  },
  {
    values: [
      'connectors:',
      '  - name: slow',
      '    config: {topics: t, kafka.bootstrap.servers: "kafka:9092", drain.timeout.ms: "90000"}',
    ].join('\n'),
    message: 'set it to 105 or more, or lower drain.timeout.ms',
  },
  {
    values: 'secrets: {existingSecret: ""}',
    message:
      'connector aks-logs: eventhubs.connection.string refers to ${file:/var/run/secrets/logbridge/' +
      'eventhubs-connection-string}, but secrets.existingSecret is empty',
  },
  {
    values: 'connectors: [{name: a, config: {topics: t, kafka.ssl.ca.location: "${file:/etc/pki/ca.pem}"}}]',
    message:
      'connector a: kafka.ssl.ca.location refers to ${file:/etc/pki/ca.pem}, which is in no volume of the pod',
  },
  {
    values: 'connectors: [{name: a, config: {topics: t, splunk.hec.token: "${env:HEC_TOKEN}"}}]',
    message:
      'connector a: splunk.hec.token refers to ${env:HEC_TOKEN}, but the pod has no variable HEC_TOKEN',
  },
  {
    values: 'heap: {maxOldSpaceSizeMiB: 400}',
    message: 'heap.maxOldSpaceSizeMiB (400) must be at most half of resources.limits.memory (512 MiB)',
  },
  {
    values: 'resources: {limits: {memory: 200Mi}}',
    message: 'the V8 heap would be 50 MiB: resources.limits.memory (200 MiB) is too small',
  },
  {
    values: 'connectors: [{name: a, config: {topics: t}}, {name: a, config: {topics: u}}]',
    message: 'connectors: the name "a" appears twice',
  },
  {
    values: 'autoscaling: {enabled: true, minReplicas: 5, maxReplicas: 3}',
    message: 'autoscaling.minReplicas (5) is above autoscaling.maxReplicas (3)',
  },
  {
    values: 'podDisruptionBudget: {minAvailable: 2}',
    message: 'podDisruptionBudget.minAvailable (2) must be below the replica count (2)',
  },
  {
    values: `${plainConnector}\nworker: {restAuth: {metricsSecretKey: rest-auth-token}}`,
    message: 'worker.restAuth.metricsSecretKey must differ from worker.restAuth.secretKey',
  },
  {
    values: `${plainConnector}\nworker: {restAuth: {existingSecret: logbridge-credentials}}`,
    message: 'worker.restAuth.existingSecret must not be secrets.existingSecret',
  },
];

describe('values.schema.json', () => {
  it.each(schemaCases)('rejects $values', async ({ values, message }) => {
    const result = await helm(templateArgs([valuesFile(values)]));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(SCHEMA_ERROR);
    expect(result.stderr).toContain(message);
  });

  it('accepts a minimal connector that needs no secret', async () => {
    const result = await helm(templateArgs([valuesFile(`${plainConnector}\nsecrets: {existingSecret: ""}`)]));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('secretName');
  });
});

describe("the chart's own checks", () => {
  it.each(chartCases)('rejects $values', async ({ values, message }) => {
    const result = await helm(templateArgs([valuesFile(values)]));
    expect(result.code).not.toBe(0);
    expect(result.stderr).not.toContain(SCHEMA_ERROR);
    expect(result.stderr).toContain(message);
  });
});
