/**
 * `make lab` works: `node lab/run.ts` brings up Kafka, Mosquitto, the HEC server, logbridge and the generator;
 * events from both topics reach the HEC file; SIGINT (Ctrl-C) stops everything in order, logbridge commits what
 * it delivered, the lab exits 0 and none of its processes is left. The lab writes to a scratch folder on free
 * ports, so a person's running lab is not disturbed.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, type LabPids } from '../../lab/orchestrator/processes.ts';
import { repoRoot } from '../support/paths.ts';
import { spawnGuarded, type GuardedProcess } from '../support/process.ts';
import { createScratchDir, type ScratchDir } from '../support/scratch.ts';
import { waitFor } from '../support/wait.ts';

interface HecLine {
  readonly event: unknown;
  readonly fields: { readonly kafka_topic: string };
  readonly sourcetype?: string;
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
  it('delivers generated logs to the HEC file, and Ctrl-C stops it cleanly with nothing left running', async () => {
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

    await waitFor(
      async () => exited() || (await lines(hecFile)).length >= 300,
      90_000,
      'the lab to deliver 300 events to the HEC file',
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

    const events = (await lines(hecFile)).map((line) => JSON.parse(line) as HecLine);
    const topics = new Set(events.map((event) => event.fields.kafka_topic));
    expect([...topics].sort()).toEqual(['cri-logs', 'fluentbit-logs']);
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
    // Drained and committed before Kafka stopped: what was committed is exactly what HEC and the dead-letter topic got.
    expect(running.stdout).toMatch(
      /final count: produced ([\d,]+); committed \1 ✓ all settled; events at HEC [1-9][\d,]*, at MQTT [1-9][\d,]*, dead letters [\d,]+/,
    );
  });
});
