import type { HecSinkConfig } from '../../../../src/sinks/splunk-hec/index.ts';
import { splunkHecSpec } from '../../../../src/sinks/splunk-hec/index.ts';

/** A validated sink config from connector properties (URI and token filled in). */
export function hecConfig(
  properties: Record<string, string> = {},
  topics: readonly string[] = ['logs'],
): HecSinkConfig {
  const { config, issues } = splunkHecSpec.validate(
    { 'splunk.hec.uri': 'http://127.0.0.1:1', 'splunk.hec.token': 't', ...properties },
    { connector: 'c', topics, path: 'config' },
  );
  if (config === undefined) throw new Error(JSON.stringify(issues));
  return config;
}
