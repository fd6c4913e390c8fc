import { describe, expect, it } from 'vitest';
import { validate } from '../../../src/cli/validate.ts';

const dir = new URL('../../fixtures/connectors/', import.meta.url).pathname;

function run(file: string): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = validate([`${dir}${file}`], (line) => lines.push(line.replace(dir, '')));
  return { code, lines };
}

describe('logbridge validate', () => {
  it('accepts a valid connector (exit 0)', () => {
    expect(run('valid.json')).toEqual({ code: 0, lines: ['valid.json: ok'] });
  });

  it('reports a file that is not JSON', () => {
    const { code, lines } = run('broken-json.json');
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^broken-json\.json: .*broken-json\.json: is not valid JSON/);
  });

  it('reports a bad name and a config that is not an object', () => {
    const { code, lines } = run('broken-shape.json');
    expect(code).toBe(1);
    expect(lines.map((l) => l.split(': ')[1])).toEqual([
      `${dir}broken-shape.json.name`,
      `${dir}broken-shape.json.config`,
    ]);
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

  it('names unresolvable secret references without printing secrets', () => {
    const { code, lines } = run('broken-secrets.json');
    expect(code).toBe(1);
    expect(lines).toEqual(
      expect.arrayContaining([
        'broken-secrets.json: config.eventhubs.connection.string: refers to ${env:LOGBRIDGE_TEST_SURELY_UNSET_CS} but the environment variable LOGBRIDGE_TEST_SURELY_UNSET_CS is not set',
        'broken-secrets.json: config.splunk.hec.token: refers to ${file:/nonexistent/hec-token} but that file cannot be read',
        'broken-secrets.json: config.errors.deadletterqueue.topic.name: is required with errors.tolerance=all: records that cannot be delivered must go somewhere',
      ]),
    );
  });
});
