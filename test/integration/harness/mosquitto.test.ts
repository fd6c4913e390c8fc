import { connectAsync, type MqttClient } from 'mqtt';
import { beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../support/names.ts';
import {
  dedicatedMosquitto,
  mosquittoPeer,
  type DedicatedPeer,
  type MosquittoPeer,
} from '../../support/peers.ts';

const shared = mosquittoPeer();

describe('the shared Mosquitto', () => {
  it('delivers a QoS 1 publication to a QoS 1 subscriber', async () => {
    expect(shared.url).toBe(`mqtt://127.0.0.1:${shared.port}`);
    await expectRoundTrip(shared.url);
  });
});

describe('a dedicated Mosquitto', () => {
  let broker: MosquittoPeer & DedicatedPeer;

  beforeAll(async () => {
    broker = await dedicatedMosquitto();
    return () => broker.dispose();
  });

  it.each(['stop', 'kill'] as const)('comes back on the same URL after %s and start', async (how) => {
    await broker[how]();
    await expect(connectOnce(broker.url)).rejects.toThrow();

    await broker.start();

    await expectRoundTrip(broker.url);
  });
});

async function expectRoundTrip(url: string): Promise<void> {
  const topic = `logbridge/test/${uniqueName('harness')}`;
  const subscriber = await connectOnce(url);
  const publisher = await connectOnce(url);
  try {
    const received = new Promise<{ payload: string; qos: number }>((resolve) => {
      subscriber.on('message', (_topic, payload, packet) => {
        resolve({ payload: payload.toString(), qos: packet.qos });
      });
    });
    await subscriber.subscribeAsync(topic, { qos: 1 });

    // With QoS 1, mqtt.js resolves only once the broker's PUBACK has arrived.
    const sent = await publisher.publishAsync(topic, 'hello', { qos: 1 });

    expect(sent).toMatchObject({ cmd: 'publish', qos: 1 });
    expect(await received).toEqual({ payload: 'hello', qos: 1 });
  } finally {
    await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
  }
}

function connectOnce(url: string): Promise<MqttClient> {
  return connectAsync(url, { reconnectPeriod: 0, connectTimeout: 2000, clientId: uniqueName('harness') });
}
