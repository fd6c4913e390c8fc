import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { solaceSinkSchema } from '../../../../src/sinks/solace/config.ts';
import { solaceSpec } from '../../../../src/sinks/solace/spec.ts';
import { validateConnector } from '../../../../src/worker/index.ts';
import { SEED_TOPIC, solaceConfig } from './config.ts';

const context = { connector: 'lab', topics: ['logs'], path: 'config' };
const doc = readFileSync(join(import.meta.dirname, '../../../../docs/sinks/solace.md'), 'utf8');

describe('solace sink spec', () => {
  it('build a connector with both sinks through the registry', () => {
    const { connector, issues } = validateConnector({
      name: 'lab',
      config: {
        topics: 'logs',
        'kafka.bootstrap.servers': 'localhost:9092',
        sinks: 'solace,mqtt',
        'sol.host': 'tcp://broker:55555',
        'sol.topic': SEED_TOPIC,
        'mqtt.url': 'mqtt://broker:1883',
        'mqtt.topic': SEED_TOPIC,
      },
    });
    expect(issues).toEqual([]);
    expect(connector?.sinks.map((s) => s.spec.type)).toEqual(['solace', 'mqtt']);
  });

  it('report every problem with its key', () => {
    const { issues } = solaceSpec.validate(
      {
        'sol.host': 'broker:55555',
        'sol.topic': 'acme/*/${a}',
        'sol.topic_rewrite_pattern': '(',
        'sol.publisher_window_size': '300',
        'sol.user_properties': 'k_offset=${x}',
      },
      context,
    );
    expect(issues.map((i) => i.path)).toEqual(['config.sol.publisher_window_size']);
    const second = solaceSpec.validate(
      {
        'sol.host': 'broker:55555',
        'sol.topic': 'acme/*/${a}',
        'sol.topic_rewrite_pattern': '(',
        'sol.user_properties': 'k_offset=${x}',
      },
      context,
    );
    expect(second.issues.map((i) => i.path)).toEqual([
      'config.sol.host',
      'config.sol.topic',
      'config.sol.topic_rewrite_pattern',
      'config.sol.user_properties',
    ]);
  });

  it('refuse what solclientjs would refuse at session creation, with the limit', () => {
    const { issues } = solaceSpec.validate(
      {
        'sol.host': 'tcp://broker:55555',
        'sol.topic': 'a/${b}',
        'sol.client_name': 'x'.repeat(200),
        'sol.vpn_name': 'v'.repeat(100),
        'sol.username': 'u'.repeat(190),
        'sol.password': 'p'.repeat(129),
        'sol.ssl_trusted_common_name_list': Array.from({ length: 17 }, (_, i) => `cn${i}`).join(','),
        'sol.ssl_cipher_suites': 'AES128-SHA,RC4-MD5',
      },
      context,
    );
    expect(issues).toEqual([
      { path: 'config.sol.client_name', message: 'is 200 characters long; Solace accepts at most 160' },
      { path: 'config.sol.vpn_name', message: 'is 100 characters long; Solace accepts at most 32' },
      { path: 'config.sol.username', message: 'is 190 characters long; Solace accepts at most 189' },
      { path: 'config.sol.password', message: 'is 129 characters long; Solace accepts at most 128' },
      { path: 'config.sol.ssl_trusted_common_name_list', message: 'lists more than 16 names' },
      {
        path: 'config.sol.ssl_cipher_suites',
        message: expect.stringMatching(
          /^RC4-MD5: not supported by solclientjs; use AES128-GCM-SHA256, /,
        ) as unknown,
      },
    ]);
  });

  it.each([
    ['é'.repeat(81), 'is 162 bytes of UTF-8; Solace accepts at most 160'],
    ['a//b', 'has an empty level (a leading, trailing or double /)'],
    ['logbridge/', 'has an empty level (a leading, trailing or double /)'],
    ['#P2P/QUE/x', 'starts with a reserved prefix (#P2P/QUE/, #P2P/QTMP/)'],
    ['\ud800', 'contains a lone UTF-16 surrogate'],
  ])('refuse the client name %j as solclientjs would', (name, message) => {
    const { issues } = solaceSpec.validate(
      { 'sol.host': 'tcp://broker:55555', 'sol.topic': 'a/${b}', 'sol.client_name': name },
      context,
    );
    expect(issues).toEqual([{ path: 'config.sol.client_name', message }]);
  });

  it('refuse client-certificate login over a plain URL', () => {
    const { issues } = solaceSpec.validate(
      {
        'sol.host': 'tcps://a:55443,tcp://b:55555',
        'sol.topic': 'a/${b}',
        'sol.authentication_scheme': 'AUTHENTICATION_SCHEME_CLIENT_CERTIFICATE',
        'sol.ssl_certificate': '/c.pem',
        'sol.ssl_private_key': '/k.pem',
      },
      context,
    );
    expect(issues.map((i) => i.path)).toEqual(['config.sol.authentication_scheme']);
  });

  it('suggest sol.topic for the connector key sol.topics', () => {
    const { issues } = validateConnector({
      name: 'lab',
      config: {
        topics: 'logs',
        'kafka.bootstrap.servers': 'localhost:9092',
        sinks: 'solace',
        'sol.host': 'tcp://broker:55555',
        'sol.topic': 'a/${b}',
        'sol.topics': 'a/b',
      },
    });
    expect(issues).toEqual([
      { path: 'config.sol.topics', message: 'is not a known key; did you mean "sol.topic"?' },
    ]);
  });

  it('map connector keys to session and client settings', () => {
    const direct = solaceConfig({ 'sol.delivery_mode': 'DIRECT' });
    expect(direct).toMatchObject({
      mode: 'direct',
      maxBatchMessages: 200,
      lingerMs: 50,
      maxInFlightBatches: 4,
      session: { guaranteed: false, windowSize: 50, acknowledgeTimeoutMs: 2000 },
    });
    expect(direct.session.password.reveal()).toBe('s3cret');
    expect(JSON.stringify(direct)).not.toContain('s3cret');
  });

  it('mark passwords sensitive', () => {
    expect(solaceSinkSchema['sol.password'].sensitive).toBe(true);
    expect(solaceSinkSchema['sol.ssl_private_key_password'].sensitive).toBe(true);
  });

  it.each(Object.keys(solaceSinkSchema))('document %s in docs/sinks/solace.md', (key) => {
    expect(doc).toContain(`| \`${key}\``);
  });
});
