/**
 * The `solace` sink through the fake session at the library boundary, in a real engine connector: acknowledgement
 * order, the publish window, reconnect with republish, a session that gives up, login failure and direct mode.
 * Each test checks what the broker received, what settled (the checkpoint) and what was dead-lettered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Subcode } from '../../../../src/sinks/solace/session.ts';
import { FakeSolace } from '../../../support/solace/fake-session.ts';
import { fakeSolaceSink, metric } from './config.ts';
import { k8sBody } from '../topic/events.ts';
import { type Harness, jsonRecord, startHarness, until } from './harness.ts';

const records = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) =>
    jsonRecord(from + i, { ...k8sBody('clusterx', 'appz', 'c1'), n: from + i }),
  );

const sentOffsets = (fake: FakeSolace): number[] =>
  fake.received.map((m) => Number(m.message.properties.find((p) => p.name === 'k_offset')?.value));

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.connector.stop();
  harness = undefined;
});

describe('solace sink: acknowledgements', () => {
  it('settles a batch only when every message of it is acknowledged, in send order', async () => {
    const fake = new FakeSolace();
    const { sink, registry } = fakeSolaceSink(fake, { 'sol.batch.max.messages': '5' });
    harness = await startHarness(sink);
    harness.source.offer(records(0, 10));
    await until(() => fake.received.length === 10, 'ten messages sent');
    expect(sentOffsets(fake)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fake.received[0]?.message.topic).toBe('acme/clusterx/appz/c1');
    expect(harness.checkpoint()).toBe(0n);

    fake.session.ack(4);
    await until(() => fake.session.unacked.length === 6, 'four acks');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(harness.checkpoint()).toBe(0n); // the first batch still waits for offset 4

    fake.session.ack(1);
    await until(() => harness?.checkpoint() === 5n, 'checkpoint 5');
    fake.session.ack();
    await until(() => harness?.checkpoint() === 10n, 'checkpoint 10');
    expect(harness.deadLetters.written).toEqual([]);
    expect(await metric(registry, 'logbridge_solace_acked_total')).toBe(10);
    expect(await metric(registry, 'logbridge_solace_in_flight_messages')).toBe(0);
  });
});

describe('solace sink: publish window', () => {
  it('waits for CAN_ACCEPT_DATA when the window is full, without spinning', async () => {
    const fake = new FakeSolace();
    const { sink, registry } = fakeSolaceSink(fake, {
      'sol.publisher_window_size': '3',
      'sol.batch.max.messages': '5',
    });
    harness = await startHarness(sink);
    harness.source.offer(records(0, 10));
    await until(() => fake.session.windowRefusals === 1, 'the window to close');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.received).toHaveLength(3);
    expect(fake.session.windowRefusals).toBe(1); // one refused send, then it waits: no spinning

    fake.session.ack(3);
    await until(() => fake.received.length === 6, 'the next three after CAN_ACCEPT_DATA');
    expect(harness.checkpoint()).toBe(0n);
    while (harness.checkpoint() !== 10n) {
      fake.session.ack();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(sentOffsets(fake)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await metric(registry, 'logbridge_solace_window_waits_total')).toBeGreaterThanOrEqual(3);
    expect(await metric(registry, 'logbridge_solace_published_total')).toBe(10);
  });
});

describe('solace sink: reconnect', () => {
  it('keeps messages pending through a reconnect; a republish duplicates them and is counted', async () => {
    const fake = new FakeSolace();
    const { sink, registry } = fakeSolaceSink(fake, { 'sol.batch.max.messages': '6' });
    harness = await startHarness(sink);
    harness.source.offer(records(0, 6));
    await until(() => fake.received.length === 6, 'six sent');
    fake.session.ack(2);
    fake.session.drop();
    await until(() => !sink.health().healthy, 'the sink to report the reconnect');
    harness.source.offer(records(6, 2));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fake.received).toHaveLength(6); // nothing is sent while reconnecting

    fake.session.restore({ resumable: false });
    await until(() => fake.received.length === 12, 'the republished four and the two new ones');
    fake.session.ack();
    await until(() => harness?.checkpoint() === 8n, 'checkpoint 8');
    expect(sentOffsets(fake)).toEqual([0, 1, 2, 3, 4, 5, 2, 3, 4, 5, 6, 7]);
    expect(await metric(registry, 'logbridge_solace_republished_total')).toBe(4);
    expect(await metric(registry, 'logbridge_solace_reconnects_total')).toBe(1);
    expect(fake.sessions).toHaveLength(1);
    expect(harness.deadLetters.written).toEqual([]);
  });

  it('resumes a resumable flow without duplicates', async () => {
    const fake = new FakeSolace();
    const { sink, registry } = fakeSolaceSink(fake);
    harness = await startHarness(sink);
    harness.source.offer(records(0, 4));
    await until(() => fake.received.length === 4, 'four sent');
    fake.session.drop();
    fake.session.restore({ resumable: true });
    await until(() => sink.health().healthy, 'reconnected');
    fake.session.ack();
    await until(() => harness?.checkpoint() === 4n, 'checkpoint 4');
    expect(sentOffsets(fake)).toEqual([0, 1, 2, 3]);
    expect(await metric(registry, 'logbridge_solace_republished_total')).toBe(0);
  });

  it('resends what was unacknowledged on a new session when reconnecting gives up; the checkpoint waits', async () => {
    const fake = new FakeSolace();
    const { sink } = fakeSolaceSink(fake, { 'sol.batch.max.messages': '6' });
    harness = await startHarness(sink);
    harness.source.offer(records(0, 6));
    await until(() => fake.received.length === 6, 'six sent');
    fake.session.ack(2);
    fake.options.down = true;
    fake.session.giveUp();
    await until(() => fake.sessions.length >= 3, 'new sessions tried while the broker is down');
    expect(harness.checkpoint()).toBe(2n); // the acknowledged ones settle; the rest waits
    expect(harness.connector.status().sinks[0]?.lastError?.code).toBe('LB_SOLACE_CONNECTION');

    fake.options.down = false;
    fake.options.autoAck = true;
    await until(() => harness?.checkpoint() === 6n, 'checkpoint 6 after the broker is back');
    // 0 and 1 were acknowledged before the session went down: settled, never sent again.
    expect(sentOffsets(fake)).toEqual([0, 1, 2, 3, 4, 5, 2, 3, 4, 5]);
    expect(harness.deadLetters.written).toEqual([]);
  });

  it('resends, after a lost session, in offset order whatever the backoffs draw', async () => {
    const fake = new FakeSolace();
    const { sink } = fakeSolaceSink(fake, { 'sol.batch.max.messages': '2' });
    // The first batch to fail draws the longest wait, the last one none.
    const draws = [0.99, 0.66, 0.33, 0];
    harness = await startHarness(sink, { baseMs: 40, capMs: 40, random: () => draws.shift() ?? 0 });
    harness.source.offer(records(0, 8));
    await until(() => fake.received.length === 8, 'four batches sent');
    fake.session.ack(1);
    fake.options.autoAck = true;
    fake.session.giveUp();
    await until(() => harness?.checkpoint() === 8n, 'checkpoint 8 on a new session');
    expect(sentOffsets(fake)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('treats a closed guaranteed publisher flow like a lost session', async () => {
    const fake = new FakeSolace();
    const { sink } = fakeSolaceSink(fake);
    harness = await startHarness(sink);
    harness.source.offer(records(0, 3));
    await until(() => fake.received.length === 3, 'three sent');
    fake.options.autoAck = true;
    fake.session.publisherDown();
    await until(() => harness?.checkpoint() === 3n, 'checkpoint 3 on a new session');
    expect(fake.sessions).toHaveLength(2);
  });
});

describe('solace sink: send timeout', () => {
  it('reports an acknowledgement overdue on an up session and resends the unacknowledged on a new one', async () => {
    const fake = new FakeSolace();
    const { sink, registry } = fakeSolaceSink(fake, {
      'sol.batch.max.messages': '3',
      'sol.send.timeout.ms': '200',
    });
    harness = await startHarness(sink);
    harness.source.offer(records(0, 6));
    await until(() => fake.received.length === 6, 'six sent');
    fake.session.ack(2); // then the broker goes silent: no acknowledgement, no session event
    await until(() => fake.sessions.length === 2, 'a new session after the timeout');
    const status = harness.connector.status();
    expect(status.degraded).toBe(true);
    expect(status.sinks[0]?.lastError?.code).toBe('LB_SOLACE_SEND_TIMEOUT');
    expect(status.sinks[0]?.lastError?.message).toMatch(
      /4 guaranteed message\(s\).*sol\.send\.timeout\.ms=200/,
    );
    expect(await metric(registry, 'logbridge_solace_send_timeouts_total')).toBe(1);
    expect(fake.sessions[0]?.state).toBe('disposed');

    await until(() => fake.received.length === 7, 'the first unacknowledged message resent');
    fake.options.autoAck = true;
    fake.session.ack();
    await until(() => harness?.checkpoint() === 6n, 'checkpoint 6');
    expect(sentOffsets(fake)).toEqual([0, 1, 2, 3, 4, 5, 2, 3, 4, 5]);
    expect(harness.connector.status().degraded).toBe(false);
  });

  it('does not count the wait while the library reconnects', async () => {
    const fake = new FakeSolace();
    const { sink, registry } = fakeSolaceSink(fake, { 'sol.send.timeout.ms': '200' });
    harness = await startHarness(sink);
    harness.source.offer(records(0, 2));
    await until(() => fake.received.length === 2, 'two sent');
    fake.session.drop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await metric(registry, 'logbridge_solace_send_timeouts_total')).toBe(0);
    fake.session.restore({ resumable: true });
    fake.session.ack();
    await until(() => harness?.checkpoint() === 2n, 'checkpoint 2');
    expect(fake.sessions).toHaveLength(1);
  });
});

describe('solace sink: connecting', () => {
  it('fails the connector with what to fix when the login is refused, without the password', async () => {
    const fake = new FakeSolace({ refuseLogin: true });
    const { sink } = fakeSolaceSink(fake, { 'sol.username': 'logbridge', 'sol.vpn_name': 'acme' });
    harness = await startHarness(sink);
    const status = harness.connector.status();
    expect(status.state).toBe('FAILED');
    expect(status.trace).toMatch(
      /^LB_SOLACE_LOGIN: .*client-username "logbridge" to VPN "acme".*sol\.password/,
    );
    expect(status.trace).not.toContain('s3cret');
  });

  it('fails the connector, naming the key, when the library refuses the session settings synchronously', async () => {
    const fake = new FakeSolace({ autoAck: true });
    const { sink } = fakeSolaceSink(fake, {}, (config) => ({
      ...config,
      // Settings that validation refuses today, as they reached the library before: a 200-byte client name.
      session: { ...config.session, clientName: 'x'.repeat(200) },
    }));
    harness = await startHarness(sink);
    const status = harness.connector.status();
    expect(status.state).toBe('FAILED');
    expect(status.trace).toMatch(
      /^LB_SOLACE_CONFIG: .*clientName' exceeded max length 160.*change sol\.client_name/,
    );
    expect(fake.sessions).toHaveLength(0);
  });

  it('retries a connect that fails while the broker is down', async () => {
    const fake = new FakeSolace({ down: true, autoAck: true });
    const { sink } = fakeSolaceSink(fake);
    const started = startHarness(sink);
    await until(() => fake.sessions.length >= 2, 'two connect attempts');
    fake.options.down = false;
    harness = await started;
    harness.source.offer(records(0, 2));
    await until(() => harness?.checkpoint() === 2n, 'checkpoint 2');
    expect(harness.connector.state).toBe('RUNNING');
  });
});

describe('solace sink: direct delivery (opt-in, at-most-once)', () => {
  it('settles on send, without acknowledgements', async () => {
    const fake = new FakeSolace();
    const { sink } = fakeSolaceSink(fake, { 'sol.delivery_mode': 'DIRECT' });
    harness = await startHarness(sink);
    harness.source.offer(records(0, 5));
    await until(() => harness?.checkpoint() === 5n, 'checkpoint 5');
    expect(fake.received.map((m) => m.mode)).toEqual(['direct', 'direct', 'direct', 'direct', 'direct']);
    expect(fake.session.unacked).toEqual([]);
    expect(fake.session.settings.guaranteed).toBe(false);
  });
});

describe('solace sink: session settings', () => {
  it('passes the connector keys to the session', async () => {
    const fake = new FakeSolace({ autoAck: true });
    const { sink } = fakeSolaceSink(fake, {
      'sol.host': 'tcps://a:55443,tcps://b:55443',
      'sol.vpn_name': 'acme',
      'sol.client_name': 'lb-1',
      'sol.publisher_window_size': '20',
      'sol.channel_properties.reconnect_retries': '5',
    });
    harness = await startHarness(sink);
    expect(fake.session.settings).toMatchObject({
      url: ['tcps://a:55443', 'tcps://b:55443'],
      vpnName: 'acme',
      userName: 'default',
      clientName: 'lb-1',
      windowSize: 20,
      reconnectRetries: 5,
      connectRetries: 0,
      connectTimeoutMs: 10000,
      guaranteed: true,
    });
    expect(Subcode.INSUFFICIENT_SPACE).toBe(22);
  });
});
