import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDefinitionFile } from '../../../src/config/index.ts';
import { samplesFromText } from '../../../src/preview/index.ts';
import { previewConnector, validateConnector } from '../../../src/worker/index.ts';

/**
 * Golden previews: connector files as shipped, on the fixture records, compared with the reviewed reports in
 * test/fixtures/preview/golden. After a deliberate change, regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run --project unit test/unit/preview/golden.test.ts`, then
 * `npx prettier --write test/fixtures/preview/golden`, and review the diff.
 */
const root = new URL('../../../', import.meta.url);
const NOW = Date.UTC(2024, 10, 24, 8, 30, 0);
const SAMPLE_TIME = Date.UTC(2024, 10, 24, 8, 20, 0);

/** Placeholder secrets: the preview never connects, so none is used. */
const labEnv = {
  LAB_EVENTHUBS_CONNECTION_STRING:
    'Endpoint=sb://localhost:9093/;SharedAccessKeyName=preview;SharedAccessKey=not-a-real-key',
  LAB_KAFKA_CA_FILE: '/dev/null',
  LAB_HEC_URI: 'http://127.0.0.1:8088',
  LAB_HEC_TOKEN: '00000000-0000-0000-0000-000000000000',
  LAB_MQTT_URL: 'mqtt://127.0.0.1:1883',
};

interface Scenario {
  readonly connector: string;
  readonly samples: string;
  readonly env: Readonly<Record<string, string>>;
}

const scenarios: Record<string, Scenario> = {
  'lab-containerd': {
    connector: 'connectors/lab.json',
    samples: 'test/fixtures/transforms/containerd-cri.jsonl',
    env: labEnv,
  },
  'lab-fluent-bit': {
    connector: 'connectors/lab.json',
    samples: 'test/fixtures/transforms/fluent-bit-records.jsonl',
    env: labEnv,
  },
  'lab-edge-cases': {
    connector: 'connectors/lab.json',
    samples: 'test/fixtures/preview/edge-cases.jsonl',
    env: labEnv,
  },
};

async function previewOf(scenario: Scenario): Promise<unknown> {
  Object.assign(process.env, scenario.env);
  const { definition } = readDefinitionFile(new URL(scenario.connector, root).pathname);
  if (definition === undefined) throw new Error(`${scenario.connector} is not a connector file`);
  const { connector, issues } = validateConnector(definition);
  if (connector === undefined) throw new Error(JSON.stringify(issues));
  const text = readFileSync(new URL(scenario.samples, root), 'utf8');
  const samples = samplesFromText(text, {
    topic: connector.source.topics[0] ?? 't',
    timestampMs: SAMPLE_TIME,
  });
  return JSON.parse(JSON.stringify(await previewConnector(connector, samples, NOW)));
}

describe('golden previews', () => {
  it.each(Object.keys(scenarios))('%s', async (name) => {
    const scenario = scenarios[name];
    if (scenario === undefined) throw new Error(name);
    const actual = await previewOf(scenario);
    const file = new URL(`test/fixtures/preview/golden/${name}.json`, root);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });
});
