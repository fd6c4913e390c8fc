/**
 * Shutdown never hangs: SIGTERM while HEC refuses connections or never answers, while the Kafka address leads
 * nowhere useful, and right after a connector was deleted (its drain must not run on unseen in the background). In
 * each case the process exits with code 0 within `drain.timeout.ms` + 5 s, and logs why it stopped as it did.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HecServer } from '../support/hec/index.ts';
import { createTopic, produce } from '../support/kafka/index.ts';
import { logLines, type RunningLogbridge, startLogbridge } from '../support/logbridge.ts';
import { uniqueName } from '../support/names.ts';
import { kafkaPeer } from '../support/peers.ts';
import { waitFor } from '../support/wait.ts';
import { countingHec, Deliveries, hecConnector, numbered, secretsEnv } from './delivery/setup.ts';

const DRAIN_MS = 5000;
/** The promise: exit within the drain timeout and 5 s. */
const EXIT_BOUND_MS = DRAIN_MS + 5000;
const RECORDS = 20_000;
const kafka = kafkaPeer();
let running: RunningLogbridge | undefined;
let hec: HecServer | undefined;
/** A TCP peer that accepts connections and never answers (a black hole at a wrong address). */
let silent: Server;
const sockets = new Set<Socket>();
const exits: string[] = [];

beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});

afterEach(async () => {
  await running?.kill();
  running = undefined;
  await hec?.close();
  hec = undefined;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
  console.log(`shutdown exits: ${exits.join('; ')}`);
});

/** SIGTERM, then the exit status and how long it took; fails when it exceeds the bound. */
async function stopWithin(logbridge: RunningLogbridge, what: string): Promise<number> {
  const started = Date.now();
  const exit = await logbridge.stop(EXIT_BOUND_MS);
  const tookMs = Date.now() - started;
  exits.push(`${what} ${tookMs} ms`);
  expect(exit).toEqual({ code: 0, signal: null });
  return tookMs;
}

/** The parsed log lines whose `msg` is `msg`. */
async function logged(logbridge: RunningLogbridge, msg: string): Promise<Record<string, unknown>[]> {
  return (await logLines(logbridge.logFile)).filter((line) => line.msg === msg);
}

/** Starts a connector into a HEC test server with `RECORDS` records waiting, and lets delivery get going. */
async function deliveringTo(name: string): Promise<{ deliveries: Deliveries; connector: string }> {
  const topic = await createTopic(kafka, { partitions: 2 });
  await produce(kafka, topic, numbered(0, RECORDS));
  const deliveries = new Deliveries(RECORDS);
  const server = await countingHec(deliveries);
  hec = server;
  // A slow HEC (2,000 events/s at most): batches are in flight all the time, and most records are still to go when
  // a test stops it or makes it hang.
  server.inject({ delayMs: 2000 });
  const connector = uniqueName(name);
  running = await startLogbridge({
    connectors: [
      hecConnector(connector, topic, kafka, server, {
        'drain.timeout.ms': String(DRAIN_MS),
        'splunk.hec.request.timeout.ms': '60000',
        'splunk.hec.max.batch.size': '500',
      }),
    ],
    env: secretsEnv(kafka, server),
  });
  await waitFor(() => deliveries.total >= 1000, 60_000, 'delivery under way');
  return { deliveries, connector };
}

describe('shutdown', () => {
  it('exits 0 in time when HEC refuses connections, saying the drain did not finish', async () => {
    const { deliveries } = await deliveringTo('shutdown-refused');
    await hec?.stop();
    const deliveredBefore = deliveries.total;
    const logbridge = running as RunningLogbridge;
    expect(await stopWithin(logbridge, 'HEC refusing')).toBeLessThan(EXIT_BOUND_MS);
    const [stopped] = await logged(logbridge, 'logbridge stopped');
    expect(stopped?.reason).toMatch(/drain timed out after 5000 ms: \d+ records not delivered/);
    expect(deliveredBefore).toBeLessThan(RECORDS);
  });

  it('exits 0 in time when HEC accepts connections and never answers', async () => {
    await deliveringTo('shutdown-hang');
    hec?.inject({ path: 'all', hang: true });
    const logbridge = running as RunningLogbridge;
    expect(await stopWithin(logbridge, 'HEC hanging')).toBeLessThan(EXIT_BOUND_MS);
    const [stopped] = await logged(logbridge, 'logbridge stopped');
    expect(stopped?.reason).toMatch(/drain timed out after 5000 ms/);
  });

  it('exits 0 in time when the Kafka address answers nothing', async () => {
    const address = silent.address() as { port: number };
    const name = uniqueName('shutdown-nowhere');
    running = await startLogbridge({
      connectors: [
        {
          name,
          config: {
            topics: 'nowhere',
            'kafka.bootstrap.servers': `127.0.0.1:${address.port}`,
            'splunk.hec.uri': 'http://127.0.0.1:9',
            'splunk.hec.token': '00000000-0000-0000-0000-000000000000',
            'drain.timeout.ms': String(DRAIN_MS),
          },
        },
      ],
      readyPath: '/',
    });
    await waitFor(() => sockets.size > 0, 30_000, 'kafkajs to connect to the silent address');
    const logbridge = running;
    expect(await stopWithin(logbridge, 'Kafka silent')).toBeLessThan(EXIT_BOUND_MS);
    const [stopped] = await logged(logbridge, 'logbridge stopped');
    expect(stopped?.reason).toMatch(/never started/);
  });

  it('waits for a deleted connector that is still draining, and exits 0 in time', async () => {
    const { connector } = await deliveringTo('shutdown-deleted');
    hec?.inject({ path: 'all', hang: true });
    const logbridge = running as RunningLogbridge;
    const response = await request(`${logbridge.restUrl}/connectors/${connector}`, { method: 'DELETE' });
    await response.body.dump();
    expect(response.statusCode).toBe(204);
    await waitFor(
      async () => (await logged(logbridge, 'stopping connector instance')).length > 0,
      10_000,
      'the deleted connector to start draining',
    );
    expect(await stopWithin(logbridge, 'after a delete')).toBeLessThan(EXIT_BOUND_MS);
    const [stopped] = await logged(logbridge, 'logbridge stopped');
    expect(stopped?.reason).toMatch(new RegExp(`${connector}: drain timed out after 5000 ms`));
  });
});
