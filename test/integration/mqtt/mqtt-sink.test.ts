/**
 * The `mqtt` sink against real Mosquitto brokers: bad credentials fail the connector with a clear message (never
 * the password), and events with hostile field values are either published to a topic Mosquitto accepts (the
 * connection never drops) or dead-lettered with the reason, never sent.
 */
import fc from 'fast-check';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent, OversizeError } from '../../../src/engine/index.ts';
import { publisherMetrics } from '../../../src/sinks/topic/metrics.ts';
import type { OutboundMessage } from '../../../src/sinks/topic/message.ts';
import { MqttSink } from '../../../src/sinks/mqtt/sink.ts';
import { mqttSpec } from '../../../src/sinks/mqtt/spec.ts';
import { uniqueName } from '../../support/names.ts';
import { type ConfiguredMosquitto, startConfiguredMosquitto } from '../../support/mqtt/mosquitto.ts';
import { Subscriber } from '../../support/mqtt/subscriber.ts';

const context = { connector: 'it', topics: ['logs'], path: 'config' };
const logger = pino({ level: 'silent' });

function sinkFor(properties: Record<string, string>): { sink: MqttSink; registry: Registry } {
  const { config, issues } = mqttSpec.validate(
    { 'mqtt.client.id': uniqueName('it-pub'), ...properties },
    context,
  );
  if (config === undefined) throw new Error(JSON.stringify(issues));
  const registry = new Registry();
  const metrics = publisherMetrics(registry, 'mqtt', { connector: 'it', sink: 'mqtt' });
  return { sink: new MqttSink({ config, metrics, logger }), registry };
}

describe('mqtt sink credentials', () => {
  let broker: ConfiguredMosquitto;

  beforeAll(async () => {
    broker = await startConfiguredMosquitto({ users: { bridge: 'right-password' } });
  });

  afterAll(async () => {
    await broker.dispose();
  });

  it('refuses to run with bad credentials: fatal, with what to fix, without the password', async () => {
    const { sink } = sinkFor({
      'mqtt.url': broker.url,
      'mqtt.topic': 'acme/${a}',
      'mqtt.username': 'bridge',
      'mqtt.password': 'wrong-password',
    });
    const failure = sink.connect(new AbortController().signal);
    await expect(failure).rejects.toMatchObject({ code: 'LB_MQTT_AUTH', disposition: 'fatal' });
    await expect(failure).rejects.toThrow(/refused the credentials of user "bridge".*mqtt\.password/);
    await expect(failure).rejects.not.toThrow(/wrong-password/);
    await sink.close(0);
  });

  it('publishes with the right credentials', async () => {
    const subscriber = await Subscriber.start(broker.url, 'acme/#', {
      clientId: uniqueName('it-sub'),
      username: 'bridge',
      password: 'right-password',
    });
    const { sink } = sinkFor({
      'mqtt.url': broker.url,
      'mqtt.topic': 'acme/${a}',
      'mqtt.username': 'bridge',
      'mqtt.password': 'right-password',
    });
    await sink.connect(new AbortController().signal);
    const outcome = await send(sink, [event(0, { a: 'x', seq: 7 })]);
    expect(outcome).toEqual({ kind: 'delivered' });
    await until(() => subscriber.received.length === 1);
    expect(subscriber.received[0]).toMatchObject({ topic: 'acme/x', seq: 7, kOffset: '0' });
    await sink.close(1000);
    await subscriber.close();
  });
});

describe('mqtt sink with hostile field values', () => {
  let broker: ConfiguredMosquitto;

  beforeAll(async () => {
    broker = await startConfiguredMosquitto();
  });

  afterAll(async () => {
    await broker.dispose();
  });

  it('publishes only topics Mosquitto accepts, and dead-letters the rest before sending', async () => {
    const values = fc.sample(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.constantFrom('', '/', '+', '#', '$SYS', '\u0000', '\ud800', 'x'.repeat(300), '😀/🚀'),
      ),
      { numRuns: 1000, seed: 42 },
    );
    const subscriber = await Subscriber.start(broker.url, '#', { clientId: uniqueName('it-sub') });
    const { sink, registry } = sinkFor({ 'mqtt.url': broker.url, 'mqtt.topic': 'acme/${a}/${b:-x}' });
    await sink.connect(new AbortController().signal);
    const events: LogEvent[] = [];
    const encoded: OutboundMessage[] = [];
    const refused: string[] = [];
    values.forEach((a, seq) => {
      const e = event(seq, { a, b: values[values.length - 1 - seq] ?? '', seq });
      try {
        encoded.push(sink.encode(e).payload);
        events.push(e);
      } catch (error) {
        refused.push((error as OversizeError).code);
      }
    });
    expect(await send(sink, events, encoded)).toEqual({ kind: 'delivered' });
    await until(() => subscriber.received.length >= encoded.length);
    expect(subscriber.received.map((r) => r.topic).sort()).toEqual(encoded.map((m) => m.topic).sort());
    expect(new Set(refused)).toEqual(new Set(['LB_TOPIC_INVALID']));
    expect(refused.length + encoded.length).toBe(values.length);
    const reconnects = await registry.getSingleMetric('logbridge_mqtt_reconnects_total')?.get();
    expect(reconnects?.values.reduce((n, v) => n + v.value, 0) ?? 0).toBe(0);
    console.log(
      `hostile values: ${encoded.length} published, ${refused.length} dead-lettered (invalid topic)`,
    );
    await sink.close(1000);
    await subscriber.close();
  });
});

function event(offset: number, body: Record<string, unknown>): LogEvent {
  return {
    record: {
      position: { topic: 'logs', partition: 0, offset: BigInt(offset) },
      key: null,
      value: null,
      headers: {},
      timestampMs: 0,
      sizeBytes: 0,
    },
    body: body as LogEvent['body'],
    timeMs: 0,
    meta: {},
  };
}

async function send(sink: MqttSink, events: LogEvent[], payloads?: OutboundMessage[]): Promise<unknown> {
  const encoded = payloads ?? events.map((e) => sink.encode(e).payload);
  return sink.send({ events, payloads: encoded, bytes: 0 }, new AbortController().signal);
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
