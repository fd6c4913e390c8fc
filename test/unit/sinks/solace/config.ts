import { pino } from 'pino';
import { Registry } from 'prom-client';
import { publisherMetrics } from '../../../../src/sinks/topic/metrics.ts';
import type { SolaceSinkConfig } from '../../../../src/sinks/solace/config.ts';
import { SolaceSink } from '../../../../src/sinks/solace/sink.ts';
import { solaceSpec } from '../../../../src/sinks/solace/spec.ts';
import type { FakeSolace } from '../../../support/solace/fake-session.ts';

const context = { connector: 'test', topics: ['logs'], path: 'config' };

/** The seed hierarchy as a topic template. */
export const SEED_TOPIC =
  'acme/${kubernetes.cluster:-unknown}/${kubernetes.labels.app:-${kubernetes.container_name}}/${kubernetes.container_id}';

/** A validated `solace` sink configuration. */
export function solaceConfig(properties: Record<string, string> = {}): SolaceSinkConfig {
  const { config, issues } = solaceSpec.validate(
    { 'sol.host': 'tcp://broker:55555', 'sol.topic': SEED_TOPIC, 'sol.password': 's3cret', ...properties },
    context,
  );
  if (config === undefined) throw new Error(JSON.stringify(issues));
  return config;
}

/** A `solace` sink on the fake library, with its metrics registry; `adjust` changes the validated config. */
export function fakeSolaceSink(
  fake: FakeSolace,
  properties: Record<string, string> = {},
  adjust: (config: SolaceSinkConfig) => SolaceSinkConfig = (config) => config,
): { sink: SolaceSink; registry: Registry } {
  const registry = new Registry();
  const sink = new SolaceSink({
    config: adjust(solaceConfig(properties)),
    loadFactory: () => Promise.resolve(fake),
    metrics: publisherMetrics(registry, 'solace', { connector: 'test', sink: 'solace' }),
    logger: pino({ level: 'silent' }),
  });
  return { sink, registry };
}

/** The value of a counter or gauge (summed over label sets matching `labels`). */
export async function metric(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const found = await registry.getSingleMetric(name)?.get();
  return (found?.values ?? [])
    .filter((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))
    .reduce((sum, v) => sum + v.value, 0);
}
