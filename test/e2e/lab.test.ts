/**
 * `make lab` works: `node lab/run.ts` brings up Kafka, Mosquitto, the HEC server, the Event Hubs AMQP peer,
 * logbridge with two connectors (`lab` on Kafka, `lab-amqp` over AMQP) and the generator; events from both topics
 * and the event hub reach the HEC file; SIGINT (Ctrl-C) stops everything in order, logbridge commits and
 * checkpoints what it delivered, the lab exits 0 and none of its processes is left. The lab writes to a scratch
 * folder on free ports, so a person's running lab is not disturbed.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { httpGet } from '../../lab/orchestrator/http.ts';
import { isAlive, type LabPids } from '../../lab/orchestrator/processes.ts';
import { repoRoot } from '../support/paths.ts';
import { spawnGuarded, type GuardedProcess } from '../support/process.ts';
import { createScratchDir, type ScratchDir } from '../support/scratch.ts';
import { waitFor } from '../support/wait.ts';

interface HecLine {
  readonly event: unknown;
  readonly fields: { readonly kafka_topic: string };
  readonly source?: string;
  readonly sourcetype?: string;
}

/** The generator's Fluent Bit records go to this event hub too; `connectors/lab-amqp.json` reads it. */
const AMQP_HUB = 'fluentbit-amqp';

/** A connector's state from logbridge's REST API. */
async function stateOf(restUrl: string, connector: string): Promise<string | undefined> {
  const { body } = await httpGet(`${restUrl}/connectors/${connector}/status`, 5000);
  return (JSON.parse(body) as { connector?: { state?: string } }).connector?.state;
}

/** `1,234` → 1234. */
const numberOf = (text: string | undefined): number => Number((text ?? '').replaceAll(',', ''));

/** Events as JSON text, counted: two connectors that received the same events give equal multisets. */
function multiset(events: readonly HecLine[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { event } of events)
    counts.set(JSON.stringify(event), (counts.get(JSON.stringify(event)) ?? 0) + 1);
  return counts;
}

let out: ScratchDir | undefined;
let lab: GuardedProcess | undefined;

afterAll(async () => {
  if (lab?.exitStatus === undefined) await lab?.terminate(60_000);
  await out?.remove();
});

async function lines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line !== '');
}

describe('make lab', () => {
  it('delivers generated logs over Kafka and AMQP to the HEC file, and Ctrl-C stops it cleanly with nothing left running', async () => {
    out = await createScratchDir('lab');
    const hecFile = `${out.path}/hec-events.jsonl`;
    lab = await spawnGuarded(process.execPath, [`${repoRoot}/lab/run.ts`, '--for', '5m'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        LAB_OUT_DIR: out.path,
        LAB_HEC_PORT: '0',
        LAB_REST_PORT: '0',
        LAB_RATE: '100',
        LAB_STATUS_INTERVAL_S: '5',
      },
    });
    const running = lab;
    const exited = (): boolean => running.exitStatus !== undefined;
    const output = (): string => `${running.stdout}\n${running.stderr}`;

    const amqpEvents = async (): Promise<number> =>
      (await lines(hecFile)).filter((line) => line.includes(`"kafka_topic":"${AMQP_HUB}"`)).length;
    await waitFor(
      async () => exited() || ((await lines(hecFile)).length >= 300 && (await amqpEvents()) >= 100),
      90_000,
      `the lab to deliver 300 events to the HEC file, 100 of them from ${AMQP_HUB}`,
      500,
    );
    expect(exited(), output()).toBe(false);
    const pids = JSON.parse(await readFile(`${out.path}/pids.json`, 'utf8')) as LabPids;
    expect(pids.lab).toBe(running.pid);
    expect(pids.children.map((child) => child.name).sort()).toEqual([
      'hec',
      'kafka',
      'logbridge',
      'mosquitto',
    ]);
    const all = [pids.lab, pids.supervisor, ...pids.children.map((child) => child.pid)];
    for (const pid of all) expect(isAlive(pid), `pid ${String(pid)}`).toBe(true);

    const restPort = /^LOGBRIDGE_REST_PORT='(\d+)'$/m.exec(
      await readFile(`${out.path}/lab.env`, 'utf8'),
    )?.[1];
    const restUrl = `http://127.0.0.1:${restPort ?? ''}`;
    expect(await stateOf(restUrl, 'lab')).toBe('RUNNING');
    expect(await stateOf(restUrl, 'lab-amqp')).toBe('RUNNING');
    expect(running.stdout).toMatch(
      new RegExp(`event hub ${AMQP_HUB}, 4 partitions, consumer group logbridge-lab-amqp`),
    );

    const events = (await lines(hecFile)).map((line) => JSON.parse(line) as HecLine);
    const topics = new Set(events.map((event) => event.fields.kafka_topic));
    expect([...topics].sort()).toEqual(['cri-logs', AMQP_HUB, 'fluentbit-logs']);
    // Read over AMQP, through the same transforms: the same Fluent Bit record, told apart by its source.
    const overAmqp = events.find((event) => event.fields.kafka_topic === AMQP_HUB);
    expect(overAmqp?.source).toBe(`amqp:${AMQP_HUB}`);
    expect(overAmqp?.event).toMatchObject({
      logtag: 'F',
      kubernetes: {
        docker_id: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
        cluster_name: expect.stringMatching(/\S/) as string,
      },
    });
    const fluentBit = events.find((event) => event.fields.kafka_topic === 'fluentbit-logs');
    expect(fluentBit?.event).toMatchObject({
      logtag: 'F',
      kubernetes: { docker_id: expect.stringMatching(/^[0-9a-f]{64}$/) as string },
    });
    // Raw CRI lines arrive parsed (cri), with Kubernetes metadata from their file path (kubernetes), routed (route).
    const cri = events.find((event) => event.fields.kafka_topic === 'cri-logs');
    expect(cri?.event).toMatchObject({
      stream: expect.stringMatching(/^(stdout|stderr)$/) as string,
      kubernetes: {
        docker_id: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
        cluster_name: expect.stringMatching(/\S/) as string,
      },
    });
    expect(cri?.sourcetype).toMatch(/^kube:container:\S+$/);
    const mqtt = (await lines(`${out.path}/mqtt-events.jsonl`)).map(
      (line) => JSON.parse(line) as { topic: string },
    );
    expect(mqtt.length).toBeGreaterThan(0);
    for (const message of mqtt) expect(message.topic).toMatch(/^acme\/[^/]+\/[^/]+\/[^/]+$/);

    running.kill('SIGINT');
    const status = await running.waitForExit(120_000);
    expect(status, output()).toEqual({ code: 0, signal: null });
    for (const pid of all) expect(isAlive(pid), `pid ${String(pid)} is still running`).toBe(false);
    expect(running.stdout).toContain('no Kafka, Mosquitto, HEC or logbridge process is left');
    // Drained and committed before Kafka stopped: every record produced was committed.
    const kafkaCount =
      /final count lab \(Kafka\): produced ([\d,]+); committed \1 ✓ all settled; events at HEC ([1-9][\d,]*), at MQTT [1-9][\d,]*, dead letters [\d,]+/.exec(
        running.stdout,
      );
    expect(kafkaCount, running.stdout).not.toBeNull();
    // Every event enqueued in the hub was checkpointed, and HEC received each one exactly once.
    const amqpCount =
      /final count lab-amqp \(AMQP\): produced ([\d,]+); checkpointed \1 ✓ all settled; events at HEC \1, dead letters 0/.exec(
        running.stdout,
      );
    expect(amqpCount, running.stdout).not.toBeNull();
    const final = (await lines(hecFile)).map((line) => JSON.parse(line) as HecLine);
    const ofTopic = (topic: string): HecLine[] => final.filter((event) => event.fields.kafka_topic === topic);
    expect(ofTopic(AMQP_HUB).length).toBe(numberOf(amqpCount?.[1]));
    expect(ofTopic('fluentbit-logs').length + ofTopic('cri-logs').length).toBe(numberOf(kafkaCount?.[2]));
    // The generator sent each Fluent Bit record to Kafka and to the hub: both connectors delivered the same events.
    expect(numberOf(amqpCount?.[1])).toBeGreaterThanOrEqual(100);
    expect(multiset(ofTopic(AMQP_HUB))).toEqual(multiset(ofTopic('fluentbit-logs')));
  });
});
