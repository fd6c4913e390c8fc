import { describe, expect, it } from 'vitest';
import { connectionError, publishError } from '../../../../src/sinks/mqtt/verdicts.ts';

const reason = (code: number | string): Error => Object.assign(new Error(`refused ${code}`), { code });
const mqtt = { url: 'mqtt://b:1883', username: 'bridge', clientId: 'lb-1' };

describe('MQTT answers', () => {
  it.each([
    [4, 'LB_MQTT_AUTH'],
    [5, 'LB_MQTT_AUTH'],
    [0x86, 'LB_MQTT_AUTH'],
    [0x87, 'LB_MQTT_AUTH'],
    [1, 'LB_MQTT_REFUSED'],
    [2, 'LB_MQTT_REFUSED'],
    [0x85, 'LB_MQTT_REFUSED'],
    [0x9b, 'LB_MQTT_REFUSED'],
    [3, 'LB_MQTT_CONNECTION'],
    [0x88, 'LB_MQTT_CONNECTION'],
    [0x89, 'LB_MQTT_CONNECTION'],
    ['ECONNREFUSED', 'LB_MQTT_CONNECTION'],
  ])('CONNACK / connection error %s is %s', (code, expected) => {
    expect(connectionError(reason(code), mqtt).code).toBe(expected);
  });

  it.each([
    [0x87, 'LB_MQTT_AUTH', 'fatal'],
    [0x90, 'LB_MQTT_REJECTED', 'reject'],
    [0x99, 'LB_MQTT_REJECTED', 'reject'],
    [0x97, 'LB_MQTT_PUBLISH_FAILED', 'retry'],
    [0x80, 'LB_MQTT_PUBLISH_FAILED', 'retry'],
    ['Connection closed', 'LB_MQTT_CONNECTION', 'retry'],
  ])('PUBACK / publish error %s is %s (%s)', (code, expected, disposition) => {
    expect(publishError(reason(code), 'acme/x', mqtt)).toMatchObject({ code: expected, disposition });
  });
});
