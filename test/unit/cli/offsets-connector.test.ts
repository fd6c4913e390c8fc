import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readOffsetsConnector } from '../../../src/cli/offsets-connector.ts';

const scratch = mkdtempSync(join(tmpdir(), 'logbridge-offsets-cli-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function connectorFile(config: Record<string, string>, name = 'aks-logs'): string {
  const path = join(scratch, `${name}-${Object.keys(config).length}.json`);
  writeFileSync(path, JSON.stringify({ name, config }));
  return path;
}

const SECRET = 'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=s3cr3t';

describe('readOffsetsConnector', () => {
  it("resolves the kafka source's secrets only: the sinks' need not be set", () => {
    const file = connectorFile({
      topics: 'aks-logs',
      'eventhubs.connection.string': '${env:EH}',
      'splunk.hec.uri': 'https://hec:8088',
      'splunk.hec.token': '${env:HEC_TOKEN_NOT_SET}',
    });
    const read = readOffsetsConnector(file, { env: { EH: SECRET }, readFile: () => '' });
    expect(read).toMatchObject({
      connector: { name: 'aks-logs', source: { groupId: 'logbridge-aks-logs', topics: ['aks-logs'] } },
    });
    expect('connector' in read ? read.connector.source.connectionString?.reveal() : undefined).toBe(SECRET);
  });

  it('takes kafka.group.id and kafka.auto.offset.reset', () => {
    const file = connectorFile({
      topics: 'a,b',
      'kafka.bootstrap.servers': 'k:9092',
      'kafka.group.id': 'legacy',
      'kafka.auto.offset.reset': 'latest',
    });
    expect(readOffsetsConnector(file)).toMatchObject({
      connector: { source: { groupId: 'legacy', topics: ['a', 'b'], autoOffsetReset: 'latest' } },
    });
  });

  it('reports every problem with its path, and never a secret', () => {
    const file = connectorFile({ topics: 'a', 'eventhubs.connection.string': '${env:EH_MISSING}' });
    const read = readOffsetsConnector(file, { env: {}, readFile: () => '' });
    expect(read).toEqual({
      problems: [
        `${file}: config.eventhubs.connection.string: refers to \${env:EH_MISSING} but the environment variable EH_MISSING is not set`,
        expect.stringContaining(`${file}: config.eventhubs.connection.string:`),
      ],
    });
    const bad = connectorFile(
      { topics: 'a', 'eventhubs.connection.string': 'SharedAccessKey=s3cr3t' },
      'bad',
    );
    const problems = JSON.stringify(readOffsetsConnector(bad));
    expect(problems).toContain('Endpoint');
    expect(problems).not.toContain('s3cr3t');
  });

  it('reports a file that cannot be read once', () => {
    expect(readOffsetsConnector(join(scratch, 'missing.json'))).toEqual({
      problems: [expect.stringMatching(/missing\.json: cannot be read: ENOENT/)],
    });
  });
});
