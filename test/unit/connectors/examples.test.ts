/**
 * The connector files users start from (connectors/examples/): each one validates offline (as CI checks it, without
 * the secret files) and fully with realistic secrets in place of its references, and is the case it says it is.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ConnectorDefinition, readDefinitionFile } from '../../../src/config/index.ts';
import { type ValidConnector, validateConnector } from '../../../src/worker/index.ts';

const dir = join(import.meta.dirname, '../../../connectors/examples');

/** What a secret file would hold, by the reference's file name. */
const SECRETS: Readonly<Record<string, string>> = {
  'eventhubs-connection-string':
    'Endpoint=sb://acme-prod.servicebus.windows.net/;SharedAccessKeyName=logbridge-listen;SharedAccessKey=a2V5a2V5a2V5',
  'hec-token': '5d9d5f3c-8c0b-4a5e-9f0e-7c3b2a1d0e9f',
  'solace-password': 'solace-password-from-the-secret',
};

function files(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(folder, entry.name))
      : entry.name.endsWith('.json')
        ? [join(folder, entry.name)]
        : [],
  );
}

function definition(file: string): ConnectorDefinition {
  const { definition: found, issues } = readDefinitionFile(join(dir, file));
  expect(issues).toEqual([]);
  if (found === undefined) throw new Error(`${file} has no definition`);
  return found;
}

/** The definition with each `${file:…/<name>}` replaced by what that secret file would hold. */
function withSecrets(found: ConnectorDefinition): ConnectorDefinition {
  const config = Object.fromEntries(
    Object.entries(found.config).map(([key, value]) => [
      key,
      typeof value === 'string'
        ? value.replace(/\$\{file:[^}]*\/([^/}]+)\}/g, (whole, name: string) => SECRETS[name] ?? whole)
        : value,
    ]),
  );
  return { name: found.name, config };
}

function valid(file: string): ValidConnector {
  const { connector, issues } = validateConnector(withSecrets(definition(file)));
  expect(issues).toEqual([]);
  if (connector === undefined) throw new Error(`${file} is not valid`);
  return connector;
}

const sinksOf = (c: ValidConnector): string[] => c.sinks.map((s) => s.spec.type);
const chainOf = (c: ValidConnector): string[] => c.transforms.map((t) => t.type.type);

describe('connectors/examples', () => {
  const all = files(dir).map((file) => file.slice(dir.length + 1));

  it('has the cases users start from', () => {
    expect(all.sort()).toEqual([
      'aks-fluent-bit.json',
      'azure-diagnostics-mscs.json',
      'cri-raw.json',
      'hec-only.json',
      'isolation/aks-logs-solace.json',
      'isolation/aks-logs-splunk.json',
      'solace-only.json',
    ]);
  });

  it.each(all)('%s validates offline, without its secret files', (file) => {
    const { issues, skipped } = validateConnector(definition(file), { offline: true });
    expect(issues).toEqual([]);
    expect(skipped).toContain('config.eventhubs.connection.string');
  });

  it.each(all)('%s validates fully with its secrets', (file) => {
    expect(valid(file).name).toBe(definition(file).name);
  });

  it('AKS via Fluent Bit: both sinks, the seed chain, a dead-letter topic', () => {
    const c = valid('aks-fluent-bit.json');
    expect(sinksOf(c)).toEqual(['splunk-hec', 'solace']);
    expect(chainOf(c)).toEqual(['cri', 'kubernetes', 'json', 'mask', 'route']);
    expect(c.common['errors.deadletterqueue.topic.name']).not.toBe('');
  });

  it('raw CRI lines: text records parsed by cri first, metadata from the log file name', () => {
    const c = valid('cri-raw.json');
    expect(c.common['record.format']).toBe('text');
    expect(chainOf(c)[0]).toBe('cri');
    expect(chainOf(c)).toContain('kubernetes');
  });

  it('Azure diagnostic logs: the mscs preset of route', () => {
    const c = valid('azure-diagnostics-mscs.json');
    expect(chainOf(c)).toEqual(['route']);
    expect(definition('azure-diagnostics-mscs.json').config['transforms.hf.preset']).toBe('mscs');
    expect(sinksOf(c)).toEqual(['splunk-hec']);
  });

  it('HEC only and Solace only', () => {
    expect(sinksOf(valid('hec-only.json'))).toEqual(['splunk-hec']);
    expect(sinksOf(valid('solace-only.json'))).toEqual(['solace']);
  });

  it('isolation: two connectors on the same topics, one sink each, each with its own consumer group', () => {
    const splunk = valid('isolation/aks-logs-splunk.json');
    const solace = valid('isolation/aks-logs-solace.json');
    expect(splunk.source.topics).toEqual(solace.source.topics);
    expect(sinksOf(splunk)).toEqual(['splunk-hec']);
    expect(sinksOf(solace)).toEqual(['solace']);
    expect(splunk.source.groupId).not.toBe(solace.source.groupId);
  });
});
