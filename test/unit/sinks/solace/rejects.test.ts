/**
 * Each class of refusal through the fake session, in a real engine connector: NACKs classified from their subcode
 * (dead-letter, retry or fail), send() refusals, and events refused before sending (oversize, invalid topic).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Subcode } from '../../../../src/sinks/solace/session.ts';
import { FakeSolace, type FakeMessage } from '../../../support/solace/fake-session.ts';
import { fakeSolaceSink, metric } from './config.ts';
import { k8sBody } from '../topic/events.ts';
import { type Harness, jsonRecord, startHarness, until } from './harness.ts';

const apps = ['appa', 'bad', 'appc', 'appd'];
const records = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    jsonRecord(i, k8sBody('clusterx', apps[i % apps.length] ?? 'x', `c${i}`)),
  );

const isBad = (m: FakeMessage): boolean => m.message.topic.includes('/bad/');
const offsets = (fake: FakeSolace): number[] =>
  fake.received.map((m) => Number(m.message.properties.find((p) => p.name === 'k_offset')?.value));

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.connector.stop();
  harness = undefined;
});

describe('solace sink: NACKs', () => {
  it.each([
    ['NO_SUBSCRIPTION_MATCH', Subcode.NO_SUBSCRIPTION_MATCH, 'LB_SOLACE_NO_SUBSCRIBER'],
    ['MESSAGE_TOO_LARGE', Subcode.MESSAGE_TOO_LARGE, 'LB_SOLACE_TOO_LARGE'],
  ])('%s dead-letters that event alone; the rest is delivered', async (_name, subcode, code) => {
    const fake = new FakeSolace({
      autoAck: true,
      verdict: (m) => (isBad(m) ? { reject: subcode, info: 'refused' } : 'ack'),
    });
    const { sink, registry } = fakeSolaceSink(fake, { 'sol.batch.max.messages': '4' });
    harness = await startHarness(sink);
    harness.source.offer(records(8));
    await until(() => harness?.checkpoint() === 8n, 'checkpoint 8');
    expect(harness.deadLetters.reasons()).toEqual([
      { offset: 1n, code },
      { offset: 5n, code },
    ]);
    expect(offsets(fake)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(await metric(registry, 'logbridge_solace_rejected_total', { reason: code })).toBe(2);
  });

  it('PUBLISH_ACL_DENIED fails the connector with what to fix; the checkpoint stays before it', async () => {
    const fake = new FakeSolace({
      autoAck: true,
      verdict: (m) => (isBad(m) ? { reject: Subcode.PUBLISH_ACL_DENIED, info: 'Publish ACL Denied' } : 'ack'),
    });
    const { sink } = fakeSolaceSink(fake, { 'sol.batch.max.messages': '1', 'sol.username': 'bridge' });
    harness = await startHarness(sink);
    harness.source.offer(records(4));
    await until(() => harness?.connector.state === 'FAILED', 'FAILED');
    const status = harness.connector.status();
    expect(status.trace).toMatch(/^LB_SOLACE_ACL: .*"acme\/clusterx\/bad\/c1".*client-username "bridge"/);
    expect(harness.checkpoint()).toBe(1n);
    expect(harness.deadLetters.written).toEqual([]);
  });

  it.each([
    ['SPOOL_OVER_QUOTA', Subcode.SPOOL_OVER_QUOTA, 'LB_SOLACE_SPOOL_FULL'],
    ['MAX_MESSAGE_USAGE_EXCEEDED', Subcode.MAX_MESSAGE_USAGE_EXCEEDED, 'LB_SOLACE_SPOOL_FULL'],
    ['QUEUE_SHUTDOWN (any other subcode)', Subcode.QUEUE_SHUTDOWN, 'LB_SOLACE_REJECTED'],
  ])('%s retries the refused message alone until the broker takes it', async (_name, subcode, code) => {
    let refusals = 2;
    const fake = new FakeSolace({
      autoAck: true,
      verdict: (m) => (isBad(m) && refusals-- > 0 ? { reject: subcode, info: 'Spool Over Quota' } : 'ack'),
    });
    const { sink, registry } = fakeSolaceSink(fake, { 'sol.batch.max.messages': '4' });
    harness = await startHarness(sink);
    harness.source.offer(records(4));
    await until(() => harness?.checkpoint() === 4n, 'checkpoint 4');
    // Two refused attempts, then the third; what was acknowledged with the refused message is never sent again.
    expect(offsets(fake)).toEqual([0, 1, 2, 3, 1, 1]);
    expect(harness.deadLetters.written).toEqual([]);
    expect(await metric(registry, 'logbridge_solace_rejected_total', { reason: code })).toBe(2);
  });

  it('dead-letters a message that send() refuses as too large', async () => {
    const fake = new FakeSolace({ autoAck: true, maxMessageBytes: 200 });
    const { sink } = fakeSolaceSink(fake);
    harness = await startHarness(sink);
    harness.source.offer([
      jsonRecord(0, k8sBody('clusterx', 'appa', 'c0')),
      jsonRecord(1, { ...k8sBody('clusterx', 'appa', 'c1'), log: 'x'.repeat(300) }),
      jsonRecord(2, k8sBody('clusterx', 'appa', 'c2')),
    ]);
    await until(() => harness?.checkpoint() === 3n, 'checkpoint 3');
    expect(harness.deadLetters.reasons()).toEqual([{ offset: 1n, code: 'LB_SOLACE_TOO_LARGE' }]);
    expect(offsets(fake)).toEqual([0, 2]);
  });
});

describe('solace sink: refused before sending', () => {
  it('dead-letters an event over sol.max_message_bytes and never sends it', async () => {
    const fake = new FakeSolace({ autoAck: true });
    const { sink } = fakeSolaceSink(fake, { 'sol.max_message_bytes': '1024' });
    harness = await startHarness(sink);
    harness.source.offer([
      jsonRecord(0, k8sBody('clusterx', 'appa', 'c0')),
      jsonRecord(1, { ...k8sBody('clusterx', 'appa', 'c1'), log: 'x'.repeat(2000) }),
      jsonRecord(2, k8sBody('clusterx', 'appa', 'c2')),
    ]);
    await until(() => harness?.checkpoint() === 3n, 'checkpoint 3');
    expect(harness.deadLetters.reasons()).toEqual([{ offset: 1n, code: 'LB_MESSAGE_TOO_LARGE' }]);
    expect(harness.deadLetters.written[0]?.failure.cause.message).toMatch(/over sol\.max_message_bytes=1024/);
    expect(offsets(fake)).toEqual([0, 2]);
  });

  it('dead-letters an event whose topic cannot be made valid, with the reason, and never sends it', async () => {
    const fake = new FakeSolace({ autoAck: true });
    const { sink } = fakeSolaceSink(fake);
    harness = await startHarness(sink);
    harness.source.offer([
      jsonRecord(0, k8sBody('clusterx', 'appa', 'c0')),
      jsonRecord(1, { ...k8sBody('clusterx', 'appa', ''), note: 'no container id' }),
      jsonRecord(2, k8sBody('x'.repeat(300), 'appa', 'c2')),
      jsonRecord(3, k8sBody('clusterx', 'appa', 'c3')),
    ]);
    await until(() => harness?.checkpoint() === 4n, 'checkpoint 4');
    expect(harness.deadLetters.reasons()).toEqual([
      { offset: 1n, code: 'LB_TOPIC_INVALID' },
      { offset: 2n, code: 'LB_TOPIC_INVALID' },
    ]);
    expect(harness.deadLetters.written[0]?.failure.cause.message).toContain('level 4 is empty');
    expect(harness.deadLetters.written[1]?.failure.cause.message).toContain('over 250');
    expect(offsets(fake)).toEqual([0, 3]);
  });
});
