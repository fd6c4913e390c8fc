import { describe, expect, it } from 'vitest';
import { closestKey, defineSchema, parseOptions, resolveSecrets, Secret } from '../../../src/config/index.ts';

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

  it('suggests only what is close: a few edits, a swap, or an abbreviation', () => {
    const types = ['cri', 'kubernetes', 'json', 'filter', 'mask', 'split-records', 'route'];
    expect(closestKey('grok', types)).toBeUndefined();
    expect(closestKey('regex', types)).toBeUndefined();
    expect(closestKey('kubernets', types)).toBe('kubernetes');
    expect(closestKey('jsno', types)).toBe('json');
    expect(closestKey('idx', ['index', 'source'])).toBe('index');
    expect(closestKey('emial', ['email', 'ipv4'])).toBe('email');
  });
});

describe('resolveSecrets', () => {
  it('says why a secret file cannot be read: missing, permission denied, a directory', () => {
    const failing = (code: string) => ({
      env: {},
      readFile: () => {
        throw Object.assign(new Error(code), { code });
      },
    });
    const problem = (code: string): string | undefined =>
      resolveSecrets({ t: '${file:/s/t}' }, 'config', failing(code)).issues[0]?.message;
    expect(problem('ENOENT')).toBe('refers to ${file:/s/t} but that file does not exist');
    expect(problem('EACCES')).toMatch(
      /^refers to \$\{file:\/s\/t\} but that file cannot be read: permission denied to uid \d+$/,
    );
    expect(problem('EISDIR')).toBe('refers to ${file:/s/t} but that path is a directory, not a file');
  });

  const sources = {
    env: { HEC_TOKEN: 'tok-123' },
    readFile: (path: string) => {
      if (path === '/run/secrets/cs') return 'Endpoint=sb://x/;SharedAccessKeyName=a;SharedAccessKey=b\n';
      throw new Error('ENOENT');
    },
  };

  it('replaces ${env:} and ${file:} references with secrets, trimming the file newline', () => {
    const { properties, issues } = resolveSecrets(
      { t: '${env:HEC_TOKEN}', c: '${file:/run/secrets/cs}', n: 5, plain: 'x', both: 'a-${env:HEC_TOKEN}-b' },
      'config',
      sources,
    );
    expect(issues).toEqual([]);
    expect(
      Object.values(properties).map((value) => (value instanceof Secret ? value.reveal() : value)),
    ).toEqual(['tok-123', 'Endpoint=sb://x/;SharedAccessKeyName=a;SharedAccessKey=b', 5, 'x', 'a-tok-123-b']);
    expect([properties['t'], properties['c'], properties['both']].every((v) => v instanceof Secret)).toBe(
      true,
    );
    expect(JSON.stringify(properties)).not.toMatch(/tok-123|SharedAccessKey=b/);
  });

  it('names the missing reference without printing any secret', () => {
    const { issues } = resolveSecrets({ t: '${env:NOPE}', c: '${file:/missing}' }, 'config', sources);
    expect(issues).toEqual([
      { path: 'config.t', message: 'refers to ${env:NOPE} but the environment variable NOPE is not set' },
      { path: 'config.c', message: 'refers to ${file:/missing} but that file cannot be read' },
    ]);
  });
});
