import { describe, expect, it } from 'vitest';
import { closestKey, defineSchema, parseOptions, resolveSecrets } from '../../../src/config/index.ts';

const schema = defineSchema({
  'a.port': { type: 'int', min: 1, max: 65535, default: 8088, doc: 'port' },
  'a.uris': { type: 'list', required: true, doc: 'uris' },
  'a.on': { type: 'bool', default: true, doc: 'on' },
  'a.mode': { type: 'enum', values: ['x', 'y'], default: 'x', doc: 'mode' },
  'a.name': { type: 'string', doc: 'optional name' },
});

describe('parseOptions', () => {
  it('reads Connect-style string values into typed values with defaults', () => {
    const { values, issues } = parseOptions(
      schema,
      { 'a.port': '9000', 'a.uris': ' h1 , h2 ', 'a.on': 'false' },
      'config',
    );
    expect(issues).toEqual([]);
    expect(values).toEqual({
      'a.port': 9000,
      'a.uris': ['h1', 'h2'],
      'a.on': false,
      'a.mode': 'x',
      'a.name': undefined,
    });
  });

  it('reports every problem with its path', () => {
    const { issues } = parseOptions(schema, { 'a.port': '99999', 'a.on': 'yes', 'a.mode': 'z' }, 'config');
    expect(issues).toEqual([
      { path: 'config.a.port', message: 'must be at most 65535, got 99999' },
      { path: 'config.a.uris', message: 'is required: uris' },
      { path: 'config.a.on', message: 'must be true or false, got "yes"' },
      { path: 'config.a.mode', message: 'must be one of x, y, got "z"' },
    ]);
  });

  it('suggests the closest key', () => {
    expect(closestKey('splunk.hec.tokn', ['splunk.hec.token', 'splunk.hec.uri'])).toBe('splunk.hec.token');
    expect(closestKey('completely.different.thing', ['splunk.hec.token'])).toBeUndefined();
  });
});

describe('resolveSecrets', () => {
  const sources = {
    env: { HEC_TOKEN: 'tok-123' },
    readFile: (path: string) => {
      if (path === '/run/secrets/cs') return 'Endpoint=sb://x/;SharedAccessKeyName=a;SharedAccessKey=b\n';
      throw new Error('ENOENT');
    },
  };

  it('replaces ${env:} and ${file:} references, trimming the file newline', () => {
    const { properties, issues } = resolveSecrets(
      { t: '${env:HEC_TOKEN}', c: '${file:/run/secrets/cs}', n: 5, plain: 'x' },
      'config',
      sources,
    );
    expect(issues).toEqual([]);
    expect(properties).toEqual({
      t: 'tok-123',
      c: 'Endpoint=sb://x/;SharedAccessKeyName=a;SharedAccessKey=b',
      n: 5,
      plain: 'x',
    });
  });

  it('names the missing reference without printing any secret', () => {
    const { issues } = resolveSecrets({ t: '${env:NOPE}', c: '${file:/missing}' }, 'config', sources);
    expect(issues).toEqual([
      { path: 'config.t', message: 'refers to ${env:NOPE} but the environment variable NOPE is not set' },
      { path: 'config.c', message: 'refers to ${file:/missing} but that file cannot be read' },
    ]);
  });
});
