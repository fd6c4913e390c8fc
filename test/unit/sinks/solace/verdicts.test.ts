import { describe, expect, it } from 'vitest';
import { connectionError, publishError } from '../../../../src/sinks/solace/mqtt-verdicts.ts';
import { Subcode } from '../../../../src/sinks/solace/session.ts';
import {
  connectError,
  rejectionError,
  sendRefusalError,
} from '../../../../src/sinks/solace/solace-verdicts.ts';

const reason = (code: number | string): Error => Object.assign(new Error(`refused ${code}`), { code });
const mqtt = { url: 'mqtt://b:1883', username: 'bridge', clientId: 'lb-1' };
const solace = { url: ['tcp://b:55555'], userName: 'bridge', vpnName: 'acme', clientName: 'lb-1' };

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

describe('Solace answers', () => {
  const context = { topic: 'acme/x', userName: 'bridge', vpnName: 'acme' };
  it.each([
    [Subcode.NO_SUBSCRIPTION_MATCH, 'LB_SOLACE_NO_SUBSCRIBER', 'reject'],
    [Subcode.MESSAGE_TOO_LARGE, 'LB_SOLACE_TOO_LARGE', 'reject'],
    [Subcode.PUBLISH_ACL_DENIED, 'LB_SOLACE_ACL', 'fatal'],
    [Subcode.SPOOL_OVER_QUOTA, 'LB_SOLACE_SPOOL_FULL', 'retry'],
    [Subcode.MAX_MESSAGE_USAGE_EXCEEDED, 'LB_SOLACE_SPOOL_FULL', 'retry'],
    [Subcode.LOW_PRIORITY_MSG_CONGESTION, 'LB_SOLACE_SPOOL_FULL', 'retry'],
    [Subcode.QUEUE_SHUTDOWN, 'LB_SOLACE_REJECTED', 'retry'],
    [999, 'LB_SOLACE_REJECTED', 'retry'],
  ])('NACK subcode %s is %s (%s)', (subcode, code, disposition) => {
    expect(rejectionError(subcode, 'info', 503, context)).toMatchObject({ code, disposition });
  });

  it.each([
    [Subcode.LOGIN_FAILURE, 'LB_SOLACE_LOGIN'],
    [Subcode.CLIENT_USERNAME_IS_SHUTDOWN, 'LB_SOLACE_LOGIN'],
    [Subcode.MESSAGE_VPN_NOT_ALLOWED, 'LB_SOLACE_LOGIN'],
    [Subcode.FAILED_LOADING_TRUSTSTORE, 'LB_SOLACE_CONFIG'],
    [Subcode.GM_UNAVAILABLE, 'LB_SOLACE_CONFIG'],
    [Subcode.CLIENT_NAME_ALREADY_IN_USE, 'LB_SOLACE_CONNECTION'],
    [Subcode.CONNECTION_ERROR, 'LB_SOLACE_CONNECTION'],
    [Subcode.TOO_MANY_CLIENTS, 'LB_SOLACE_CONNECTION'],
  ])('connect failure subcode %s is %s', (subcode, code) => {
    expect(connectError(subcode, 'info', solace).code).toBe(code);
  });

  it.each([
    [Subcode.MESSAGE_TOO_LARGE, 'LB_SOLACE_TOO_LARGE'],
    [Subcode.GM_UNAVAILABLE, 'LB_SOLACE_CONFIG'],
    [Subcode.INVALID_TOPIC_SYNTAX, 'LB_TOPIC_INVALID'],
    [3, 'LB_SOLACE_CONNECTION'],
  ])('send() refusal subcode %s is %s', (subcode, code) => {
    expect(sendRefusalError(subcode, 'refused', 'acme/x').code).toBe(code);
  });
});
