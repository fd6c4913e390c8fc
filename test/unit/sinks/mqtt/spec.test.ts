import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mqttSinkSchema } from '../../../../src/sinks/mqtt/config.ts';
import { mqttSpec } from '../../../../src/sinks/mqtt/spec.ts';
import { mqttConfig } from './config.ts';

const context = { connector: 'lab', topics: ['logs'], path: 'config' };
const doc = readFileSync(join(import.meta.dirname, '../../../../docs/sinks/solace.md'), 'utf8');

describe('mqtt sink spec', () => {
  it('maps connector keys to client settings', () => {
    expect(mqttConfig({ 'mqtt.url': 'mqtt://b:1883', 'mqtt.protocol.version': '3.1.1' })).toMatchObject({
      protocolVersion: 4,
      cleanSession: false,
      clientId: expect.stringMatching(/^logbridge-test-/) as unknown,
      maxInFlightMessages: 1000,
    });
  });

  it('refuses MQTT user properties with MQTT 3.1.1', () => {
    const { issues } = mqttSpec.validate(
      {
        'mqtt.url': 'mqtt://b:1883',
        'mqtt.topic': 'a',
        'mqtt.protocol.version': '3.1.1',
        'mqtt.user.properties': 'a=b',
      },
      context,
    );
    expect(issues.map((i) => i.path)).toEqual(['config.mqtt.user.properties']);
  });

  it('marks the password sensitive', () => {
    expect(mqttSinkSchema['mqtt.password'].sensitive).toBe(true);
  });

  it.each(Object.keys(mqttSinkSchema))('documents %s in docs/sinks/solace.md', (key) => {
    expect(doc).toContain(`| \`${key}\``);
  });
});
