import { describe, expect, it } from 'vitest';
import { validate } from '../../../src/cli/validate.ts';

const dir = new URL('../../fixtures/connectors/', import.meta.url).pathname;

function run(file: string, offline = false): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = validate([`${dir}${file}`], (line) => lines.push(line.replaceAll(dir, '')), { offline });
  return { code, lines };
}

describe('logbridge validate', () => {
  it('accepts a valid connector (exit 0)', () => {
    expect(run('valid.json')).toEqual({ code: 0, lines: ['valid.json: ok'] });
  });

  it('reports a file that is not JSON, naming the file once', () => {
    const { code, lines } = run('broken-json.json');
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^broken-json\.json: is not valid JSON: /);
  });

  it('reports a bad name and a config that is not an object, by their path in the file', () => {
    const { code, lines } = run('broken-shape.json');
    expect(code).toBe(1);
    expect(lines.map((l) => l.split(': ').slice(0, 2).join(': '))).toEqual([
      'broken-shape.json: name',
      'broken-shape.json: config',
    ]);
  });

  it('shows how to wrap a flat Kafka Connect config map', () => {
    expect(run('flat-config.json')).toEqual({
      code: 1,
      lines: [
        'flat-config.json: config: is missing: the file holds a flat config map; wrap it as {"name": "aks-logs", ' +
          '"config": {"connector.class": "com.splunk.kafka.connect.SplunkSinkConnector", "topics": "aks-logs", …}}',
      ],
    });
  });

  it('shows how to turn a .properties file into a definition', () => {
    expect(run('connect.properties')).toEqual({
      code: 1,
      lines: [
        'connect.properties: is a properties file; wrap it as {"name": "aks-logs", ' +
          '"config": {"connector.class": "com.splunk.kafka.connect.SplunkSinkConnector", "topics": "aks-logs", …}}',
      ],
    });
  });

  it('reports every broken key with its path, suggesting the closest key', () => {
    const { code, lines } = run('broken-keys.json');
    expect(code).toBe(1);
    const byPath = new Map(lines.map((l) => [l.split(': ')[1], l.split(': ').slice(2).join(': ')]));
    expect(byPath.get('config.topics')).toMatch(/^is required/);
    expect(byPath.get('config.topic')).toBe('is not a known key; did you mean "topics"?');
    expect(byPath.get('config.eventhubs.connection.string')).toMatch(/must look like sb:\/\//);
    expect(byPath.get('config.splunk.hec.uri')).toMatch(/must be an http\(s\) base URL/);
    expect(byPath.get('config.splunk.hec.tokn')).toBe('is not a known key; did you mean "splunk.hec.token"?');
    expect(byPath.get('config.errors.tolerance')).toBe('must be one of none, all, got "some"');
    expect(byPath.get('config.inflight.max.records')).toBe('must be an integer, got "lots"');
    expect(byPath.get('config.sinks')).toMatch(/unknown sink "kinesis"/);
    expect(byPath.get('config.transforms.mask.mode')).toMatch(/scramble/);
  });

  it('suggests a transform type only when one is close', () => {
    const { lines } = run('unknown-transform.json');
    const byPath = new Map(lines.map((l) => [l.split(': ')[1], l.split(': ').slice(2).join(': ')]));
    expect(byPath.get('config.transforms.parse.type')).toMatch(
      /^unknown transform type "grok"; known: cri, /,
    );
    expect(byPath.get('config.transforms.k8s.type')).toBe(
      'unknown transform type "kubernets"; did you mean "kubernetes"?',
    );
  });

  it('reports each unresolvable secret reference once, saying why, without printing secrets', () => {
    const { code, lines } = run('broken-secrets.json');
    expect(code).toBe(1);
    expect(lines).toEqual([
      'broken-secrets.json: config.eventhubs.connection.string: refers to ${env:LOGBRIDGE_TEST_SURELY_UNSET_CS} but the environment variable LOGBRIDGE_TEST_SURELY_UNSET_CS is not set',
      'broken-secrets.json: config.splunk.hec.token: refers to ${file:/nonexistent/hec-token} but that file does not exist',
      'broken-secrets.json: config.errors.deadletterqueue.topic.name: is required with errors.tolerance=all: records that cannot be delivered must go somewhere',
    ]);
  });

  it('offline, checks everything but the values behind secret references and absent CA files', () => {
    expect(run('offline.json', true)).toEqual({
      code: 0,
      lines: [
        'offline.json: ok (offline: not checked, resolved when the connector starts: eventhubs.connection.string, ' +
          'splunk.hec.uri, splunk.hec.token, splunk.hec.ssl.trust.store.path)',
      ],
    });
    expect(run('offline.json').code).toBe(1);
  });

  it('offline, still reports every other problem', () => {
    const { code, lines } = run('broken-secrets.json', true);
    expect(code).toBe(1);
    expect(lines).toEqual([
      'broken-secrets.json: config.errors.deadletterqueue.topic.name: is required with errors.tolerance=all: records that cannot be delivered must go somewhere',
    ]);
  });
});
