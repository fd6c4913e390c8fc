/**
 * The PUBLISH packets the publisher hands to mqtt.js in one turn reach the socket in one write: a real Mosquitto
 * with a Receive Maximum of 20, behind a proxy that hands its PUBACKs to the publisher in chunks (as a busy
 * connection reads them), so each chunk frees many in-flight slots in one turn. The writes of the publisher's socket
 * are counted at `net.Socket`'s `_write`/`_writev` (the proxy's own sockets aside), and a subscriber checks that every message arrives once, in
 * order, with its payload.
 */
import { Socket } from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttPublisher } from '../../../src/sinks/mqtt/publisher.ts';
import { mqttSpec } from '../../../src/sinks/mqtt/spec.ts';
import { type OutboundMessage, publisherMetrics } from '../../../src/sinks/topic/index.ts';
import { type ChunkingProxy, startChunkingProxy } from '../../support/mqtt/chunking-proxy.ts';
import { type ConfiguredMosquitto, startConfiguredMosquitto } from '../../support/mqtt/mosquitto.ts';
import { uniqueName } from '../../support/names.ts';
import { waitFor } from '../../support/wait.ts';

const MESSAGES = 1000;
const RECEIVE_MAXIMUM = 20;
let broker: ConfiguredMosquitto;
let proxy: ChunkingProxy;

beforeAll(async () => {
  broker = await startConfiguredMosquitto({ maxInflightMessages: RECEIVE_MAXIMUM });
  proxy = await startChunkingProxy(broker.port, 5);
});

afterAll(async () => {
  await proxy.close();
  await broker.dispose();
});

/** Counts the write requests of the sockets connected to `port` (the publisher's), from now until `stop`. */
function countWrites(port: number): { readonly writes: () => number; readonly stop: () => void } {
  const prototype = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>;
  const original = { _write: prototype._write, _writev: prototype._writev };
  let writes = 0;
  for (const name of ['_write', '_writev'] as const) {
    prototype[name] = function (this: Socket, ...args: unknown[]) {
      if (this.remotePort === port) writes += 1;
      original[name].apply(this, args);
    };
  }
  return { writes: () => writes, stop: () => Object.assign(prototype, original) };
}

function messages(topic: string): OutboundMessage[] {
  return Array.from({ length: MESSAGES }, (_, seq) => ({
    topic,
    payload: Buffer.from(JSON.stringify({ seq, log: `line ${seq} `.padEnd(1000, 'x') })),
    contentType: 'application/json',
    properties: [{ name: 'k_offset', type: 'string', value: String(seq) }],
  }));
}

describe('mqtt publisher writes', () => {
  let subscriber: MqttClient;
  let publisher: MqttPublisher;
  const received: Buffer[] = [];

  beforeAll(async () => {
    subscriber = await connectAsync(broker.url, { clientId: uniqueName('burst-sub'), protocolVersion: 5 });
    subscriber.on('message', (_topic, payload) => received.push(payload));
    const { config, issues } = mqttSpec.validate(
      { 'mqtt.url': proxy.url, 'mqtt.topic': 'unused', 'mqtt.reconnect.period.ms': '200' },
      { connector: 'burst', topics: ['logs'], path: 'config' },
    );
    if (config === undefined) throw new Error(JSON.stringify(issues));
    publisher = new MqttPublisher({
      config,
      metrics: publisherMetrics(new Registry(), 'mqtt', { connector: 'burst', sink: 'mqtt' }),
      logger: pino({ level: 'silent' }),
    });
    await publisher.ready(AbortSignal.timeout(10_000));
    return async () => {
      await publisher.close(1000);
      await subscriber.endAsync(true);
    };
  });

  it('sends the PUBLISH packets freed by one read of PUBACKs in one write, in order', async () => {
    const topic = `logbridge/test/${uniqueName('burst')}`;
    await subscriber.subscribeAsync(topic, { qos: 1 });
    const sent = messages(topic);
    const counter = countWrites(proxy.port);
    try {
      const outcomes = await publisher.publish(sent, AbortSignal.timeout(60_000));
      expect(outcomes.every((o) => o.ok)).toBe(true);
    } finally {
      counter.stop();
    }

    // One write per message without the burst; with it, about one per chunk of PUBACKs (up to 20 messages).
    expect(counter.writes()).toBeLessThan(MESSAGES / 4);
    await waitFor(() => received.length >= MESSAGES, 30_000, `${MESSAGES} messages at the subscriber`);
    expect(received.length).toBe(MESSAGES);
    expect(received.map((payload, i) => payload.equals(sent[i]?.payload ?? Buffer.alloc(0)))).not.toContain(
      false,
    );
    console.log(`${MESSAGES} messages in ${counter.writes()} socket writes`);
  });
});
