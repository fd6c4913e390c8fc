/**
 * Fan-out through crashes: 200,000 CRI records on 4 partitions (a third of the lines cut into `P`, `P`, `F`
 * fragments at random byte positions) go through the `cri` transform to HEC and MQTT (the real Mosquitto) at once;
 * logbridge is SIGKILLed five times mid-stream and restarted. At each sink: every line arrives, byte-identical,
 * never a fragment on its own nor marked partial; what each run delivered and did not commit (the duplicates its
 * kill causes) stays within the in-flight budget; and the MQTT subscriber sees each partition's offsets in order
 * (a duplicate of one seen before aside).
 */
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import type { HecServer } from '../../support/hec/index.ts';
import { committedOffsets, createTopic, endOffsets, produce } from '../../support/kafka/index.ts';
import { startLogbridge, type RunningLogbridge } from '../../support/logbridge.ts';
import { uniqueName } from '../../support/names.ts';
import { kafkaPeer, mosquittoPeer } from '../../support/peers.ts';
import { createScratchDir } from '../../support/scratch.ts';
import { waitFor } from '../../support/wait.ts';
import { countingHec, Deliveries, hecConnector, RunLedger, secretsEnv } from './setup.ts';

const RECORDS = 200_000;
const PARTITIONS = 4;
const KILLS = 5;
const BUDGET = 10_000;
const kafka = kafkaPeer();
const mosquitto = mosquittoPeer();
let hec: HecServer | undefined;
let running: RunningLogbridge | undefined;
let subscriber: MqttClient | undefined;

afterAll(async () => {
  await running?.kill();
  await hec?.close();
  await subscriber?.endAsync();
});

/** One log line as it was written, and the CRI records (fragments) that carry it, all on one partition. */
interface Line {
  readonly text: string;
  readonly partition: number;
  readonly records: readonly string[];
}

/** Lines until there are `RECORDS` records; every third line of a partition is cut in three (seeded). */
function cutLines(seed: number): Line[] {
  let state = seed;
  const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const lines: Line[] = [];
  let records = 0;
  for (let i = 0; records < RECORDS; i += 1) {
    const text = `{"line":${String(i)},"msg":"GET /api/orders/${String(i)} 200 ${'é'.repeat(3)} ${'x'.repeat(60)}"}`;
    const cut = Math.floor(i / PARTITIONS) % 3 === 0 && records + 3 <= RECORDS;
    let pieces = [text];
    if (cut) {
      const a = 1 + Math.floor(random() * (text.length / 2));
      const b = a + 1 + Math.floor(random() * (text.length - a - 2));
      pieces = [text.slice(0, a), text.slice(a, b), text.slice(b)];
    }
    const criRecords = pieces.map(
      (piece, n) => `2024-11-24T08:16:00.000000001Z stdout ${n < pieces.length - 1 ? 'P' : 'F'} ${piece}`,
    );
    lines.push({ text, partition: i % PARTITIONS, records: criRecords });
    records += criRecords.length;
  }
  return lines;
}

/** What one sink received: each log text with how often, the partial ones, and which run last delivered each offset. */
class SinkLines extends RunLedger {
  readonly counts = new Map<string, number>();
  readonly arrivals: { partition: number; offset: number }[] = [];
  partial = 0;
  total = 0;

  record(log: unknown, partial: unknown, partition: number, offset: number): void {
    if (typeof log !== 'string') throw new Error(`not a CRI event: ${JSON.stringify(log).slice(0, 200)}`);
    this.total += 1;
    if (partial === true) this.partial += 1;
    this.counts.set(log, (this.counts.get(log) ?? 0) + 1);
    this.arrivals.push({ partition, offset });
    this.mark(partition, offset);
  }

  /** Lines never received. */
  missing(lines: readonly Line[]): number {
    return lines.filter((line) => !this.counts.has(line.text)).length;
  }

  /** Texts received that are no line: a fragment delivered on its own, or a line glued or cut wrongly. */
  foreign(lines: readonly Line[]): string[] {
    const texts = new Set(lines.map((line) => line.text));
    return [...this.counts.keys()].filter((text) => !texts.has(text)).slice(0, 5);
  }

  /** Offsets that arrived after a larger offset of their partition had (a duplicate of one seen before aside). */
  outOfOrder(): string[] {
    const last = new Map<number, number>();
    const seen = new Set<string>();
    const late: string[] = [];
    for (const { partition, offset } of this.arrivals) {
      const id = `${String(partition)}@${String(offset)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const previous = last.get(partition) ?? -1;
      if (offset < previous)
        late.push(`partition ${String(partition)}: ${String(offset)} after ${String(previous)}`);
      last.set(partition, Math.max(previous, offset));
    }
    return late.slice(0, 5);
  }
}

describe('fan-out crash', () => {
  it('delivers every CRI line whole to HEC and MQTT across five SIGKILLs, in order at MQTT, duplicates within the budget', async () => {
    const started = Date.now();
    const seed = Date.now() % 2 ** 31;
    let state = seed;
    const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const lines = cutLines(seed);
    const kills = Array.from({ length: KILLS }, () =>
      Math.floor(lines.length * (0.1 + 0.75 * random())),
    ).sort((a, b) => a - b);
    console.log(
      `fan-out crash test: seed ${seed}, ${lines.length} lines, SIGKILL after ${kills.join(', ')} at HEC`,
    );

    const topic = await createTopic(kafka, { partitions: PARTITIONS });
    const records = lines.flatMap((line) =>
      line.records.map((value) => ({ value, partition: line.partition })),
    );
    expect(await produce(kafka, topic, records)).toBe(RECORDS);
    const ends = await endOffsets(kafka, topic);

    const atHec = new SinkLines();
    hec = await countingHec(new Deliveries(0), {
      onEvent: (event) => {
        const body = event.event as { log?: unknown; partial?: unknown };
        const fields = event.fields as { kafka_partition?: string; kafka_offset?: string } | undefined;
        atHec.record(body.log, body.partial, Number(fields?.kafka_partition), Number(fields?.kafka_offset));
      },
    });
    const atMqtt = new SinkLines();
    const mqttTopic = `fanout-${uniqueName('crash')}`;
    subscriber = await connectAsync(mosquitto.url, {
      clientId: uniqueName('fanout-sub'),
      protocolVersion: 5,
    });
    subscriber.on('message', (_topic, payload, packet) => {
      const body = JSON.parse(payload.toString('utf8')) as { log?: unknown; partial?: unknown };
      const properties = packet.properties?.userProperties ?? {};
      const text = (name: string): number => Number(([] as unknown[]).concat(properties[name])[0]);
      atMqtt.record(body.log, body.partial, text('k_partition'), text('k_offset'));
    });
    await subscriber.subscribeAsync(`${mqttTopic}/#`, { qos: 1 });

    const name = uniqueName('fanout-crash');
    const connector = hecConnector(name, topic, kafka, hec, {
      sinks: 'splunk-hec,mqtt',
      transforms: 'cri',
      'transforms.cri.type': 'cri',
      'mqtt.url': mosquitto.url,
      'mqtt.topic': `${mqttTopic}/lines`,
      'mqtt.client.id': `${name}-publisher`,
      'inflight.max.records': String(BUDGET),
    });
    const scratch = await createScratchDir('logbridge');
    const start = (): Promise<RunningLogbridge> =>
      startLogbridge({ connectors: [connector], env: secretsEnv(kafka, hec as HecServer), scratch });
    const group = `logbridge-${name}`;

    const exposures: string[] = [];
    running = await start();
    for (const at of kills) {
      await waitFor(() => atHec.total >= at, 180_000, `${at} lines at HEC`);
      const exit = await running.kill();
      expect(exit.signal).toBe('SIGKILL');
      const committed = await committedOffsets(kafka, group, topic);
      const exposure = {
        hec: atHec.uncommittedThisEpoch(committed),
        mqtt: atMqtt.uncommittedThisEpoch(committed),
      };
      exposures.push(`HEC ${String(exposure.hec)} / MQTT ${String(exposure.mqtt)}`);
      expect(exposure.hec).toBeLessThanOrEqual(BUDGET);
      expect(exposure.mqtt).toBeLessThanOrEqual(BUDGET);
      atHec.nextEpoch();
      atMqtt.nextEpoch();
      running = await start();
    }
    await waitFor(
      async () => {
        const committed = await committedOffsets(kafka, group, topic);
        return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
      },
      240_000,
      'committed offsets to reach the end offsets',
    );
    // Committed means both sinks accepted; give the subscriber the last messages the broker already holds.
    await waitFor(() => atMqtt.missing(lines) === 0, 30_000, 'the MQTT subscriber to have every line');

    console.log(
      `fan-out crash test: ${lines.length} lines; HEC ${atHec.total} events (${atHec.total - lines.length} ` +
        `duplicates), MQTT ${atMqtt.total} (${atMqtt.total - lines.length}); delivered and uncommitted at each kill: ` +
        `${exposures.join(', ')} (budget ${BUDGET}); ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    for (const sink of [atHec, atMqtt]) {
      expect(sink.missing(lines)).toBe(0);
      expect(sink.foreign(lines)).toEqual([]);
      expect(sink.partial).toBe(0);
      expect(sink.total - lines.length).toBeLessThanOrEqual(KILLS * BUDGET);
    }
    expect(atMqtt.outOfOrder()).toEqual([]);
    expect((await running.stop()).code).toBe(0);
  });
});
