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
