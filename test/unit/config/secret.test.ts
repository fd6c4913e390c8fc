/**
 * The secret type: whatever formats a resolved reference or a sensitive option gets `[hidden]`; validation messages
 * quote the raw input or `[hidden]`, never a resolved value (issue #12: a value echoed through the validation error
 * of an unrelated key).
 */
import { Writable } from 'node:stream';
import { format, inspect } from 'node:util';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineSchema, LOG_REDACT_PATHS, parseOptions, Secret } from '../../../src/config/index.ts';
import { validateConnector } from '../../../src/worker/index.ts';

const VALUE =
  'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=TOP-SECRET-42';

afterEach(() => {
  vi.unstubAllEnvs();
});

/* eslint-disable @typescript-eslint/restrict-template-expressions -- formatting a Secret is what is tested here */
describe('Secret', () => {
  it('shows [hidden] wherever it is formatted, and its value only through reveal()', () => {
    const secret = new Secret(VALUE);
    const texts = [
      `${secret}`,
      String(secret),
      JSON.stringify({ secret }),
      inspect({ nested: { secret } }),
      format('%s %o %j', secret, secret, secret),
      new Error(`failed with ${secret}`).message,
      [secret].join(','),
    ];
    for (const text of texts) {
      expect(text).toContain('[hidden]');
      expect(text).not.toContain('TOP-SECRET');
    }
    expect(secret.reveal()).toBe(VALUE);
  });

  it('is [hidden] in pino lines, in any field', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ redact: { paths: LOG_REDACT_PATHS, censor: '[hidden]' } }, stream);
    const secret = new Secret(VALUE);
    logger.info({ anything: secret, deep: { list: [secret] }, err: new Error(`${secret}`) }, `msg ${secret}`);
    expect(lines.join('')).toContain('[hidden]');
    expect(lines.join('')).not.toContain('TOP-SECRET');
  });
});

/* eslint-enable @typescript-eslint/restrict-template-expressions */

describe('parseOptions with secrets', () => {
  const schema = defineSchema({
    mode: { type: 'enum', values: ['none', 'all'], default: 'none', doc: 'mode' },
    count: { type: 'int', min: 1, default: 1, doc: 'count' },
    on: { type: 'bool', default: false, doc: 'on' },
    token: { type: 'string', sensitive: true, doc: 'token' },
    url: { type: 'string', doc: 'url', destination: { kind: 'url', credentialsIn: 'use the token' } },
  });

  it('quotes [hidden] for a resolved value, whatever key it is in', () => {
    const secret = new Secret(VALUE);
    const { issues } = parseOptions(schema, { mode: secret, count: secret, on: secret }, 'config');
    expect(issues.map((i) => i.message)).toEqual([
      'must be one of none, all, got [hidden]',
      'must be an integer, got [hidden]',
      'must be true or false, got [hidden]',
    ]);
  });

  it('gives a sensitive option as a Secret, from a literal too', () => {
    const { values } = parseOptions(schema, { token: 'literal-token' }, 'config');
    expect(values.token).toBeInstanceOf(Secret);
    expect(values.token?.reveal()).toBe('literal-token');
    expect(JSON.stringify(values)).not.toContain('literal-token');
  });

  it('refuses credentials in a URL without quoting it', () => {
    const { issues } = parseOptions(schema, { url: 'mqtt://user:pa55word@broker:1883' }, 'config');
    expect(issues).toEqual([
      { path: 'config.url', message: expect.stringContaining('use the token') as unknown },
    ]);
    expect(JSON.stringify(issues)).not.toContain('pa55word');
  });
});

describe('a connector file whose reference lands in an unrelated key', () => {
  it('is refused with [hidden], never the resolved value', () => {
    vi.stubEnv('LOGBRIDGE_TEST_CS', VALUE);
    const { issues } = validateConnector({
      name: 'leak',
      config: {
        topics: 'a',
        'kafka.bootstrap.servers': 'k:9092',
        'splunk.hec.uri': 'https://hec:8088',
        'splunk.hec.token': 't',
        'errors.tolerance': '${env:LOGBRIDGE_TEST_CS}',
        'record.max.bytes': '${env:LOGBRIDGE_TEST_CS}',
      },
    });
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'config.record.max.bytes: must be an integer, got [hidden]',
      'config.errors.tolerance: must be one of none, all, got [hidden]',
    ]);
    expect(JSON.stringify(issues)).not.toContain('TOP-SECRET');
  });

  it('hides a resolved value that a later check reads as plain text (a URL)', () => {
    vi.stubEnv('LOGBRIDGE_TEST_URI', 'TOP-SECRET-42-not-a-url');
    const { issues } = validateConnector({
      name: 'leak',
      config: {
        topics: 'a',
        'kafka.bootstrap.servers': 'k:9092',
        'splunk.hec.uri': 'https://hec:8088,${env:LOGBRIDGE_TEST_URI}',
        'splunk.hec.token': 't',
      },
    });
    expect(issues.map((i) => i.path)).toEqual(['config.splunk.hec.uri']);
    expect(issues[0]?.message).toContain('[hidden]');
    expect(JSON.stringify(issues)).not.toContain('TOP-SECRET');
  });

  it.each([
    ['splunk.hec.uri', 'https://user:pw-in-url@hec:8088', 'splunk.hec.token'],
    ['mqtt.url', 'mqtt://user:pw-in-url@broker:1883', 'mqtt.password'],
    ['sol.host', 'tcp://user:pw-in-url@broker:55555', 'sol.password'],
  ])('refuses credentials in %s (%s) without showing them, naming %s', (key, url, passwordKey) => {
    const { issues } = validateConnector({
      name: 'urls',
      config: {
        topics: 'a',
        'kafka.bootstrap.servers': 'k:9092',
        sinks: key.split('.')[0] === 'splunk' ? 'splunk-hec' : key.startsWith('mqtt') ? 'mqtt' : 'solace',
        'splunk.hec.uri': 'https://hec:8088',
        'splunk.hec.token': 't',
        'mqtt.url': 'mqtt://broker:1883',
        'mqtt.topic': 'a',
        'sol.host': 'tcp://broker:55555',
        'sol.topic': 'a',
        [key]: url,
      },
    });
    const issue = issues.find((i) => i.path === `config.${key}`);
    expect(issue?.message).toContain(passwordKey);
    expect(JSON.stringify(issues)).not.toContain('pw-in-url');
  });
});
