/**
 * `logbridge preview` as the operator runs it, with the connector's real peers up and listening: the HEC test server
 * and Mosquitto receive nothing, the connector's group commits nothing, and the report shows each transform, the
 * HEC envelope and the MQTT topic, for `--file` and for `--from-topic --count N`.
 */
import { writeFile } from 'node:fs/promises';
import { connectAsync } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { hecConnector, secretsEnv } from '../../e2e/delivery/setup.ts';
import { startHecServer, type HecServer } from '../../support/hec/index.ts';
import { committedOffsets, createTopic, produce } from '../../support/kafka/index.ts';
import { Subscriber } from '../../support/mqtt/subscriber.ts';
import { uniqueName } from '../../support/names.ts';
import { repoRoot } from '../../support/paths.ts';
import { kafkaPeer, mosquittoPeer } from '../../support/peers.ts';
import { runGuarded, spawnGuarded } from '../../support/process.ts';
import { shebangFlags } from '../../support/logbridge.ts';
import { createScratchDir, type ScratchDir } from '../../support/scratch.ts';
import { waitFor } from '../../support/wait.ts';

const kafka = kafkaPeer();
const mosquitto = mosquittoPeer();
let hec: HecServer | undefined;
let subscriber: Subscriber | undefined;
let scratch: ScratchDir | undefined;

afterAll(async () => {
  await subscriber?.close();
  await hec?.close();
  await scratch?.remove();
});

interface Report {
  records: {
    record: { partition: number; offset: string };
    steps: { transform: string; in: number }[];
    outputs: { sinks: { sink: string; envelope?: { index?: string; event: unknown }; topic?: string }[] }[];
  }[];
  summary: { records: number; events: Record<string, number> };
}

/** Publishes a marker after the preview and waits for it: whatever the preview had published came before it. */
async function nothingPublishedBefore(prefix: string, received: Subscriber): Promise<void> {
  const client = await connectAsync(mosquitto.url, { clientId: uniqueName('marker'), protocolVersion: 5 });
  try {
    await client.publishAsync(`${prefix}/marker`, JSON.stringify({ seq: -1 }), { qos: 1 });
  } finally {
    await client.endAsync();
  }
  await waitFor(() => received.received.length > 0, 10_000, 'the marker message');
  expect(received.received.map((message) => message.topic)).toEqual([`${prefix}/marker`]);
  received.received.length = 0;
}

describe('logbridge preview', () => {
  it('shows every stage for --file and --from-topic, and sends and commits nothing', async () => {
    const topic = await createTopic(kafka, { partitions: 2 });
    await produce(
      kafka,
      topic,
      Array.from({ length: 20 }, (_, seq) => ({
        value: JSON.stringify({ seq, app: 'shop', log: `line ${seq}` }),
        partition: seq % 2,
      })),
    );
    hec = await startHecServer({ record: 'count' });
    const prefix = uniqueName('preview');
    subscriber = await Subscriber.start(mosquitto.url, `${prefix}/#`, { clientId: uniqueName('sub') });
    const name = uniqueName('preview');
    const connector = hecConnector(name, topic, kafka, hec, {
      'record.format': 'json',
      sinks: 'splunk-hec,mqtt',
      'mqtt.url': mosquitto.url,
      'mqtt.topic': `${prefix}/\${app}`,
      transforms: 'route',
      'transforms.route.type': 'route',
      'transforms.route.index': 'main',
    });
    scratch = await createScratchDir('preview-cli');
    const file = `${scratch.path}/${name}.json`;
    await writeFile(file, JSON.stringify(connector));
    const samples = `${scratch.path}/samples.jsonl`;
    await writeFile(samples, '{"seq": 100, "app": "cart", "log": "from a file"}\n');
    const flags = await shebangFlags();
    const env = { ...process.env, ...secretsEnv(kafka, hec) };
    const preview = async (...args: string[]): Promise<Report> => {
      const { stdout } = await runGuarded(
        process.execPath,
        [...flags, `${repoRoot}/src/cli/main.ts`, 'preview', file, ...args, '--json'],
        { cwd: repoRoot, env, timeoutMs: 60_000 },
      );
      return JSON.parse(stdout) as Report;
    };

    const fromFile = await preview('--file', samples);
    expect(fromFile.summary).toMatchObject({ records: 1, events: { 'splunk-hec': 1, mqtt: 1 } });
    expect(fromFile.records[0]?.steps).toEqual([expect.objectContaining({ transform: 'route', in: 1 })]);
    expect(fromFile.records[0]?.outputs[0]?.sinks).toMatchObject([
      {
        sink: 'splunk-hec',
        envelope: { index: 'main', event: { seq: 100, app: 'cart', log: 'from a file' } },
      },
      { sink: 'mqtt', topic: `${prefix}/cart` },
    ]);

    const fromTopic = await preview('--from-topic', '--count', '4');
    expect(fromTopic.records.map((r) => `${r.record.partition}@${r.record.offset}`)).toEqual([
      '0@8',
      '0@9',
      '1@8',
      '1@9',
    ]);
    expect(fromTopic.records[0]?.outputs[0]?.sinks[1]).toMatchObject({
      sink: 'mqtt',
      topic: `${prefix}/shop`,
    });

    expect(hec.requests).toEqual([]);
    await nothingPublishedBefore(prefix, subscriber);
    expect(await committedOffsets(kafka, `logbridge-${name}`, topic)).toEqual({});

    const usage = await spawnGuarded(
      process.execPath,
      [...flags, `${repoRoot}/src/cli/main.ts`, 'preview', file],
      {
        cwd: repoRoot,
        env,
        output: 'capture',
      },
    );
    expect((await usage.waitForExit(30_000)).code).toBe(2);
    expect(usage.stderr).toContain('give either --file <file> or --from-topic');
  });
});
