/**
 * Status tells the truth when things break (the whole process): with Kafka unreachable the status answers from what
 * the connector keeps, degraded, with the source's connection error, and `logbridge status` says so; a stopped
 * connector shows its lag growing from the last known offsets, marked as such; the summary line reaches the log; and
 * no Node warning (DEP0123, TimeoutNegativeWarning) is printed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHecServer, type HecServer } from '../support/hec/index.ts';
import { createTopic, produce, requireSasl } from '../support/kafka/index.ts';
import { logLines, startLogbridge, type RunningLogbridge } from '../support/logbridge.ts';
import { uniqueName } from '../support/names.ts';
import { repoRoot } from '../support/paths.ts';
import { kafkaPeer } from '../support/peers.ts';
import { runGuarded } from '../support/process.ts';
import { waitFor } from '../support/wait.ts';

const kafka = kafkaPeer();
let hec: HecServer;
const running: RunningLogbridge[] = [];

beforeAll(async () => {
  hec = await startHecServer();
});
afterAll(async () => {
  for (const r of running) await r.kill();
  await hec.close();
});

interface Status {
  readonly connector: { readonly state: string; readonly version?: string };
  readonly logbridge: {
    readonly degraded: boolean;
    readonly source?: { readonly healthy: boolean; readonly last_error?: { code: string; message: string } };
    readonly offsets_read_at: string | null;
    readonly offsets_last_known?: boolean;
    readonly partitions: readonly { readonly lag: number; readonly committed_offset: number | null }[];
  };
}

/** GET with a bound: a status that waits for Kafka (it used to, for about a minute) fails here. */
async function status(r: RunningLogbridge, name: string): Promise<Status> {
  const answer = await request(`${r.restUrl}/connectors/${name}/status`, {
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  expect(answer.statusCode).toBe(200);
  return (await answer.body.json()) as Status;
}

const totalLag = (s: Status): number => s.logbridge.partitions.reduce((sum, p) => sum + p.lag, 0);

describe('status when things break', () => {
  it('with Kafka unreachable: answers at once, degraded, with the connection error; the CLI says so', async () => {
    const name = uniqueName('unreachable');
    const r = await startLogbridge({
      connectors: [
        {
          name,
          config: {
            topics: 'aks-logs',
            // The Event Hubs preset on an IP address nobody listens on: TLS, SASL, kafkajs retrying for minutes.
            'eventhubs.connection.string':
              'Endpoint=sb://127.0.0.1:1/;SharedAccessKeyName=listen;SharedAccessKey=a2V5',
            'splunk.hec.uri': hec.url,
            'splunk.hec.token': hec.token,
          },
        },
      ],
      readyPath: '/healthz',
      env: { LOGBRIDGE_LOG_SUMMARY_INTERVAL_MS: '1000' },
    });
    running.push(r);
    await waitFor(
      async () => (await status(r, name)).logbridge.source?.healthy === false,
      60_000,
      'the source to report the connection error',
    );
    const down = await status(r, name);
    expect(down.connector.state).toBe('UNASSIGNED');
    expect(down.connector.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(down.logbridge.degraded).toBe(true);
    expect(down.logbridge.source?.last_error?.code).toBe('LB_KAFKA_TRANSIENT');
    expect(down.logbridge.source?.last_error?.message).toContain('127.0.0.1');
    expect(down.logbridge.offsets_read_at).toBeNull();

    const cli = await runGuarded(join(repoRoot, 'logbridge'), ['status', '--url', r.restUrl], {
      timeoutMs: 60_000,
    });
    expect(cli.stdout).toMatch(
      new RegExp(
        `^${name}  UNASSIGNED \\(degraded\\)  lag \\?  in flight 0  kafka unhealthy \\(LB_KAFKA_TRANSIENT: .*127\\.0\\.0\\.1.*\\), splunk-hec ok`,
      ),
    );

    await waitFor(
      async () => (await logLines(r.logFile)).some((l) => l.component === 'summary'),
      30_000,
      'a summary line',
    );
    const summary = (await logLines(r.logFile)).find((l) => l.component === 'summary');
    expect(summary).toMatchObject({
      connector: name,
      state: 'UNASSIGNED',
      degraded: true,
      source_healthy: false,
    });
    expect((await r.stop()).code).toBe(0);
    const log = await readFile(r.logFile, 'utf8');
    expect(log).not.toContain('DEP0123');
    expect(log).not.toContain('TimeoutNegativeWarning');
  });

  it('a stopped connector shows its last known lag, read again as records arrive; metrics compare', async () => {
    const sasl = requireSasl(kafka);
    const topic = await createTopic(kafka, { partitions: 2 });
    await produce(
      kafka,
      topic,
      Array.from({ length: 200 }, (_, i) => ({ value: `line ${String(i)}` })),
    );
    const name = uniqueName('stopped');
    const r = await startLogbridge({
      connectors: [
        {
          name,
          config: {
            topics: topic,
            'eventhubs.connection.string': '${env:EH_CS}',
            ...(kafka.caFile === undefined ? {} : { 'kafka.ssl.ca.location': kafka.caFile }),
            'splunk.hec.uri': hec.url,
            'splunk.hec.token': hec.token,
            'offset.flush.interval.ms': '500',
          },
        },
      ],
      env: { EH_CS: sasl.connectionString },
    });
    running.push(r);
    await waitFor(
      async () => {
        const s = await status(r, name);
        return s.logbridge.partitions.length === 2 && totalLag(s) === 0;
      },
      120_000,
      'the backlog delivered and committed',
    );
    const metrics = await r.metrics();
    for (const partition of ['0', '1']) {
      const value = (metric: string): number =>
        Number(
          new RegExp(
            `^${metric}\\{connector="${name}",topic="${topic}",partition="${partition}"\\} (\\d+)$`,
            'm',
          ).exec(metrics)?.[1],
        );
      expect(value('logbridge_committed_offset')).toBeLessThanOrEqual(
        value('logbridge_partition_end_offset'),
      );
    }
    expect(metrics).toContain(`logbridge_connector_state{connector="${name}",state="RUNNING"} 1`);

    const stop = await request(`${r.restUrl}/connectors/${name}/stop`, { method: 'PUT' });
    expect(stop.statusCode).toBe(204);
    await stop.body.dump();
    await produce(
      kafka,
      topic,
      Array.from({ length: 50 }, (_, i) => ({ value: `later ${String(i)}` })),
    );
    await waitFor(
      async () => totalLag(await status(r, name)) === 50,
      60_000,
      'the stopped connector to show the 50 records it has not read',
      1000,
    );
    const stopped = await status(r, name);
    expect(stopped.connector.state).toBe('STOPPED');
    expect(stopped.logbridge.offsets_last_known).toBe(true);
    expect(stopped.logbridge.offsets_read_at).not.toBeNull();
    expect((await r.stop()).code).toBe(0);
  });
});
