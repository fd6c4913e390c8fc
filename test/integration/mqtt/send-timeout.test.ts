/**
 * The `mqtt` sink's send timeout against a real Mosquitto that stops answering (SIGSTOP: the connection stays open,
 * no PUBACK comes, and the keep-alive is too long to notice soon): after `mqtt.send.timeout.ms` the sink reports it
 * (metric, unhealthy with LB_MQTT_SEND_TIMEOUT) and drops the connection; once the broker answers again MQTT.js
 * resends what was unacknowledged on the new connection and the batch settles.
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent, SendOutcome } from '../../../src/engine/index.ts';
import { MqttSink } from '../../../src/sinks/mqtt/sink.ts';
import { mqttSpec } from '../../../src/sinks/mqtt/spec.ts';
import { publisherMetrics } from '../../../src/sinks/topic/metrics.ts';
import { type ConfiguredMosquitto, startConfiguredMosquitto } from '../../support/mqtt/mosquitto.ts';
import { Subscriber } from '../../support/mqtt/subscriber.ts';
import { uniqueName } from '../../support/names.ts';
import { waitFor } from '../../support/wait.ts';

let broker: ConfiguredMosquitto;

beforeAll(async () => {
  broker = await startConfiguredMosquitto({ persistence: true });
});

afterAll(async () => {
  broker.thaw();
  await broker.dispose();
});

function event(seq: number): LogEvent {
  return {
    record: {
      position: { topic: 'logs', partition: 0, offset: BigInt(seq) },
      key: null,
      value: null,
      headers: {},
      timestampMs: 0,
      sizeBytes: 0,
    },
    body: { a: 'x', seq },
    timeMs: 0,
    meta: {},
  };
}

async function counter(registry: Registry, name: string): Promise<number> {
  const found = await registry.getSingleMetric(name)?.get();
  return (found?.values ?? []).reduce((sum, v) => sum + v.value, 0);
}

describe('mqtt sink send timeout', () => {
  it('reports a missing PUBACK and resends the unacknowledged on a new connection', async () => {
    const { config, issues } = mqttSpec.validate(
      {
        'mqtt.url': broker.url,
        'mqtt.topic': 'acme/${a}',
        'mqtt.client.id': uniqueName('timeout-pub'),
        'mqtt.send.timeout.ms': '1000',
        'mqtt.keepalive.s': '600',
        'mqtt.connect.timeout.ms': '1000',
        'mqtt.reconnect.period.ms': '200',
      },
      { connector: 'it', topics: ['logs'], path: 'config' },
    );
    if (config === undefined) throw new Error(JSON.stringify(issues));
    const registry = new Registry();
    const sink = new MqttSink({
      config,
      metrics: publisherMetrics(registry, 'mqtt', { connector: 'it', sink: 'mqtt' }),
      logger: pino({ level: 'silent' }),
    });
    const subscriber = await Subscriber.start(broker.url, 'acme/#', {
      clientId: uniqueName('timeout-sub'),
      persistent: true,
    });
    await sink.connect(new AbortController().signal);
    const send = (events: LogEvent[]): Promise<SendOutcome> =>
      sink.send(
        { events, payloads: events.map((e) => sink.encode(e).payload), bytes: 0 },
        new AbortController().signal,
      );
    expect(await send([0, 1, 2].map(event))).toEqual({ kind: 'delivered' });

    broker.freeze();
    const pending = send([3, 4, 5, 6].map(event));
    await waitFor(
      async () => (await counter(registry, 'logbridge_mqtt_send_timeouts_total')) >= 1,
      10_000,
      'the send timeout',
    );
    const health = sink.health();
    expect(health.healthy).toBe(false);
    expect(health.error?.code).toBe('LB_MQTT_SEND_TIMEOUT');
    expect(health.detail).toMatch(/4 PUBLISH packet\(s\) .*had no PUBACK .*mqtt\.send\.timeout\.ms=1000/);

    broker.thaw();
    expect(await pending).toEqual({ kind: 'delivered' });
    await waitFor(() => subscriber.seqs().length === 7, 20_000, 'the subscriber to have every event');
    expect(subscriber.seqs()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(sink.health()).toEqual({ healthy: true });
    expect(await counter(registry, 'logbridge_mqtt_published_total')).toBe(7);
    await sink.close(1000);
    await subscriber.close();
  });
});
