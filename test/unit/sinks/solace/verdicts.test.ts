import { describe, expect, it } from 'vitest';
import { Subcode } from '../../../../src/sinks/solace/session.ts';
import { connectError, rejectionError, sendRefusalError } from '../../../../src/sinks/solace/verdicts.ts';

const solace = { url: ['tcp://b:55555'], userName: 'bridge', vpnName: 'acme', clientName: 'lb-1' };

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
