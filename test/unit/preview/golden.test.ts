import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDefinitionFile } from '../../../src/config/index.ts';
import { samplesFromText } from '../../../src/preview/index.ts';
import { previewConnector, validateConnector } from '../../../src/worker/index.ts';

/**
 * Golden previews: connector files as shipped (the lab's and connectors/examples/), on the fixture records, compared with the reviewed reports in
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

/** What the examples' secret files would hold, by file name (their `${file:…}` references are replaced). */
const exampleSecrets: Readonly<Record<string, string>> = {
  'eventhubs-connection-string':
    'Endpoint=sb://acme-prod.servicebus.windows.net/;SharedAccessKeyName=preview;SharedAccessKey=not-a-real-key',
  'hec-token': '00000000-0000-0000-0000-000000000000',
  'solace-password': 'not-a-real-password',
};

interface Scenario {
  readonly connector: string;
  readonly samples: readonly string[];
}

const CRI = 'test/fixtures/preview/cri-sample.jsonl';
const FLUENT_BIT = 'test/fixtures/transforms/fluent-bit-records.jsonl';
const AZURE = ['test/fixtures/transforms/aks-audit.jsonl', 'test/fixtures/transforms/activity-log.jsonl'];

const scenarios: Record<string, Scenario> = {
  'lab-cri': { connector: 'connectors/lab.json', samples: [CRI] },
  'lab-fluent-bit': { connector: 'connectors/lab.json', samples: [FLUENT_BIT] },
  'lab-edge-cases': { connector: 'connectors/lab.json', samples: ['test/fixtures/preview/edge-cases.jsonl'] },
  'example-aks-fluent-bit': { connector: 'connectors/examples/aks-fluent-bit.json', samples: [FLUENT_BIT] },
  'example-cri-raw': { connector: 'connectors/examples/cri-raw.json', samples: [CRI] },
  'example-azure-diagnostics-mscs': {
    connector: 'connectors/examples/azure-diagnostics-mscs.json',
    samples: AZURE,
  },
  'example-hec-only': { connector: 'connectors/examples/hec-only.json', samples: [FLUENT_BIT] },
  'example-solace-only': { connector: 'connectors/examples/solace-only.json', samples: [FLUENT_BIT] },
  'example-isolation-splunk': {
    connector: 'connectors/examples/isolation/aks-logs-splunk.json',
    samples: [CRI],
  },
  'example-isolation-solace': {
    connector: 'connectors/examples/isolation/aks-logs-solace.json',
    samples: [CRI],
  },
};

/** The definition with `${file:…/<name>}` references replaced by placeholder secrets. */
function withPlaceholders(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      typeof value === 'string'
        ? value.replace(/\$\{file:[^}]*\/([^/}]+)\}/g, (whole, name: string) => exampleSecrets[name] ?? whole)
        : value,
    ]),
  );
}

async function previewOf(scenario: Scenario): Promise<unknown> {
  Object.assign(process.env, labEnv);
  const { definition } = readDefinitionFile(new URL(scenario.connector, root).pathname);
  if (definition === undefined) throw new Error(`${scenario.connector} is not a connector file`);
  const { connector, issues } = validateConnector({
    name: definition.name,
    config: withPlaceholders(definition.config),
  });
  if (connector === undefined) throw new Error(JSON.stringify(issues));
  const text = scenario.samples.map((file) => readFileSync(new URL(file, root), 'utf8').trimEnd()).join('\n');
  const samples = samplesFromText(text, {
    topic: connector.source.topics[0] ?? 't',
    timestampMs: SAMPLE_TIME,
  });
  return JSON.parse(JSON.stringify(await previewConnector(connector, samples, NOW)));
}

describe('golden previews', () => {
  it('cover every example connector shipped in connectors/examples/', () => {
    const shipped = readdirSync(new URL('connectors/examples/', root), { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('.json'))
      .map((file) => `connectors/examples/${file}`)
      .sort();
    const covered = new Set(Object.values(scenarios).map((scenario) => scenario.connector));
    expect(shipped.length).toBeGreaterThan(0);
    expect(shipped.filter((file) => !covered.has(file))).toEqual([]);
  });

  it.each(Object.keys(scenarios))('%s', async (name) => {
    const scenario = scenarios[name];
    if (scenario === undefined) throw new Error(name);
    const actual = await previewOf(scenario);
    const file = new URL(`test/fixtures/preview/golden/${name}.json`, root);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });
});
