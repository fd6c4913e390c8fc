/**
 * The lab's MQTT subscriber: takes everything published under `acme/#` on the lab's Mosquitto and appends it to
 * `mqtt-events.jsonl`, one JSON object per message. Harmless while nothing publishes; once a connector has an
 * mqtt sink pointed at `${env:LAB_MQTT_URL}`, its messages show up there.
 * @module
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { connectAsync, type IPublishPacket } from 'mqtt';

/** A connected subscriber. */
export interface MqttSubscriber {
  /** Messages received so far. */
  readonly received: number;
  /** Unsubscribes, disconnects and flushes the file. */
  close(): Promise<void>;
}

/** The topic filter the lab subscribes to (DESIGN.md §1: `acme/<cluster>/<app>/<container id>/…`). */
export const LAB_MQTT_FILTER = 'acme/#';

/**
 * Connects (MQTT 5, so user properties such as Kafka coordinates come through) and subscribes at QoS 1.
 * @throws Error when the broker refuses the connection or the subscription
 */
export async function startMqttSubscriber(url: string, file: string): Promise<MqttSubscriber> {
  const out = createWriteStream(file, { flags: 'a' });
  const client = await connectAsync(url, {
    protocolVersion: 5,
    clientId: `logbridge-lab-subscriber-${String(process.pid)}`,
    reconnectPeriod: 1000,
  });
  let received = 0;
  client.on('message', (topic, payload, packet) => {
    received += 1;
    out.write(`${JSON.stringify(lineOf(topic, payload, packet))}\n`);
  });
  await client.subscribeAsync(LAB_MQTT_FILTER, { qos: 1 });
  return {
    get received() {
      return received;
    },
    async close() {
      await client.endAsync();
      await closeStream(out);
    },
  };
}

function lineOf(topic: string, payload: Buffer, packet: IPublishPacket): Record<string, unknown> {
  const text = payload.toString('utf8');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return {
    received_at: new Date().toISOString(),
    topic,
    qos: packet.qos,
    retain: packet.retain,
    ...(packet.properties?.userProperties === undefined
      ? {}
      : { user_properties: packet.properties.userProperties }),
    payload: body,
  };
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    stream.end(() => {
      resolve();
    });
  });
}
