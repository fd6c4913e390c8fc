/**
 * The real adapter over solclientjs, without a broker: messages are built as the library will send them (read back
 * through its own getters), session events are translated from the library's codes, and a connect to a closed port
 * goes through the real library to a classified, retryable error.
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:net';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import solace from 'solclientjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../../src/sinks/topic/message.ts';
import { publisherMetrics } from '../../../../src/sinks/topic/metrics.ts';
import { Publisher } from '../../../../src/sinks/solace/publisher.ts';
import type { SessionEvent, SessionFactory } from '../../../../src/sinks/solace/session.ts';
import { buildMessage, forwardEvents, loadSolclient } from '../../../../src/sinks/solace/solclient.ts';
import { solaceConfig } from './config.ts';

const logger = pino({ level: 'silent' });
let factory: SessionFactory;

beforeAll(async () => {
  factory = await loadSolclient(logger);
});

const message: OutboundMessage = {
  topic: 'acme/clusterx/appz/c1',
  payload: Buffer.from('{"log":"é€😀"}', 'utf8'),
  contentType: 'application/json',
  properties: [
    { name: 'k_topic', type: 'string', value: 'logs' },
    { name: 'k_partition', type: 'int32', value: 3 },
    { name: 'k_offset', type: 'int64', value: 123_456_789_012 },
  ],
};

describe('solclientjs message', () => {
  it('carries the topic, persistent mode, byte-exact payload, content type, key and typed properties', () => {
    const key = Object.freeze({});
    const destination = solace.SolclientFactory.createTopicDestination(message.topic);
    const m = buildMessage(solace, destination, message, { key, mode: 'persistent' });
    expect(m.getDestination()?.getName()).toBe('acme/clusterx/appz/c1');
    expect(m.getDeliveryMode()).toBe(solace.MessageDeliveryModeType.PERSISTENT);
    expect(Buffer.from(m.getBinaryAttachment() as Uint8Array)).toEqual(message.payload);
    expect(m.getHttpContentType()).toBe('application/json');
    expect(m.getCorrelationKey()).toBe(key);
    const map = m.getUserPropertyMap();
    expect(map?.getField('k_topic').getType()).toBe(solace.SDTFieldType.STRING);
    expect(map?.getField('k_partition').getValue()).toBe(3);
    expect(map?.getField('k_partition').getType()).toBe(solace.SDTFieldType.INT32);
    expect(map?.getField('k_offset').getValue()).toBe(123_456_789_012);
    expect(map?.getField('k_offset').getType()).toBe(solace.SDTFieldType.INT64);
  });

  it('sends direct messages without a correlation key', () => {
    const destination = solace.SolclientFactory.createTopicDestination(message.topic);
    const m = buildMessage(solace, destination, message, { key: {}, mode: 'direct' });
    expect(m.getDeliveryMode()).toBe(solace.MessageDeliveryModeType.DIRECT);
    expect(m.getCorrelationKey()).toBeNull();
  });

  it('is why payloads are Buffers: a JS string attachment loses non-Latin-1 characters', () => {
    const m = solace.SolclientFactory.createMessage();
    m.setBinaryAttachment('é€');
    expect(Buffer.from(m.getBinaryAttachment() as Uint8Array)).not.toEqual(Buffer.from('é€', 'utf8'));
  });
});

describe('solclientjs session events', () => {
  it('are translated from the library codes, reading errorSubcode and correlationKey', () => {
    const session = new EventEmitter() as unknown as solace.Session;
    const seen: SessionEvent[] = [];
    forwardEvents(solace, session, (event) => seen.push(event));
    const key = {};
    const code = solace.SessionEventCode;
    const emit = (eventCode: number, fields: object): boolean =>
      (session as unknown as EventEmitter).emit(String(eventCode), fields);
    emit(code.UP_NOTICE, {});
    emit(code.ACKNOWLEDGED_MESSAGE, { correlationKey: key });
    emit(code.REJECTED_MESSAGE_ERROR, {
      correlationKey: key,
      errorSubcode: 129,
      responseCode: 503,
      infoStr: 'No',
    });
    emit(code.CAN_ACCEPT_DATA, {});
    emit(code.RECONNECTING_NOTICE, { infoStr: 'lost' });
    emit(code.REPUBLISHING_UNACKED_MESSAGES, { count: 7 });
    emit(code.RECONNECTED_NOTICE, {});
    emit(code.DOWN_ERROR, { errorSubcode: 44, infoStr: 'gave up' });
    emit(code.GUARANTEED_MESSAGE_PUBLISHER_DOWN, {});
    expect(seen).toEqual([
      { type: 'up' },
      { type: 'acknowledged', key },
      { type: 'rejected', key, subcode: 129, responseCode: 503, info: 'No' },
      { type: 'can-accept-data' },
      { type: 'reconnecting', info: 'lost' },
      { type: 'republishing', count: 7 },
      { type: 'reconnected' },
      { type: 'down', subcode: 44, info: 'gave up' },
      { type: 'publisher-down', info: '' },
    ]);
  });
});

describe('solclientjs connect, through the real library', () => {
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    // A TCP peer that is not an SMF broker: it reads the login and hangs up.
    server = createServer((socket) => {
      socket.once('data', () => socket.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['a closed port', () => 'tcp://127.0.0.1:1', /CONNECTION_ERROR \(44\)/],
    ['a peer that hangs up', () => `tcp://127.0.0.1:${port}`, /COMMUNICATION_ERROR \(25\)/],
  ])('to %s is a retryable LB_SOLACE_CONNECTION', async (_what, url, subcode) => {
    const config = solaceConfig({
      'sol.host': url(),
      'sol.channel_properties.connect_timeout_in_millis': '2000',
    });
    const publisher = new Publisher({
      factory,
      settings: config.session,
      mode: 'persistent',
      sendTimeoutMs: 30_000,
      metrics: publisherMetrics(new Registry(), 'solace', { connector: 't', sink: 'solace' }),
      logger,
    });
    const failure = publisher.ready(new AbortController().signal);
    await expect(failure).rejects.toMatchObject({ code: 'LB_SOLACE_CONNECTION', disposition: 'retry' });
    await expect(failure).rejects.toThrow(subcode);
    await expect(failure).rejects.not.toThrow(/s3cret/);
    await publisher.close(0);
  });

  it.each([
    ['sol.client_name', { clientName: 'x'.repeat(200) }],
    ['sol.vpn_name', { vpnName: 'v'.repeat(100) }],
  ])(
    'refused synchronously (%s too long) is a fatal LB_SOLACE_CONFIG naming the key',
    async (key, change) => {
      const config = solaceConfig({ 'sol.host': 'tcp://127.0.0.1:1' });
      const publisher = new Publisher({
        factory,
        settings: { ...config.session, ...change },
        mode: 'persistent',
        sendTimeoutMs: 30_000,
        metrics: publisherMetrics(new Registry(), 'solace', { connector: 't', sink: 'solace' }),
        logger,
      });
      const failure = publisher.ready(AbortSignal.timeout(5000));
      await expect(failure).rejects.toMatchObject({ code: 'LB_SOLACE_CONFIG', disposition: 'fatal' });
      await expect(failure).rejects.toThrow(`change ${key}`);
      await publisher.close(0);
    },
  );
});
