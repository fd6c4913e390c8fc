/**
 * Throughput of the HEC test server: events/s it accepts for ~1 KiB events in ~1 MiB batches, plain and gzip, with
 * the server in a child process and 4 concurrent keep-alive clients on loopback.
 *
 *   node test/support/hec/bench.ts [--seconds 5] [--ack] [--record count|events]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { Agent, request } from 'undici';
import { startHecServer } from './index.ts';

const CHANNEL = '11111111-2222-4333-8444-555555555555';
const EVENTS_PER_BATCH = 1024;
const CLIENTS = 4;

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    ack: { type: 'boolean', default: false },
    record: { type: 'string', default: 'count' },
    server: { type: 'boolean', default: false },
  },
});

/** Log-like text with a realistic compression ratio (about 4.5 with gzip), from a fixed seed. */
function batches(count: number): Buffer[] {
  const words = [
    'GET',
    'POST',
    '/api/v1/orders',
    'status=200',
    'latency_ms=',
    'pod',
    'kube-system',
    'upstream',
  ];
  let seed = 42;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff);
  const message = (n: number): string => {
    let text = `${n} `;
    while (text.length < 860)
      text += `${next() % 3 === 0 ? next().toString(16) : (words[next() % words.length] ?? '')} `;
    return text;
  };
  return Array.from({ length: count }, (_, b) => {
    const lines = Array.from({ length: EVENTS_PER_BATCH }, (_, i) =>
      JSON.stringify({
        time: 1_700_000_000.123,
        host: 'h',
        sourcetype: 'st',
        event: { seq: b * 1e6 + i, msg: message(i) },
      }),
    );
    return Buffer.from(lines.join('\n'));
  });
}

async function serve(): Promise<void> {
  const record = values.record === 'events' ? 'events' : 'count';
  const hec = await startHecServer({ record, tokens: { bench: { ack: values.ack } } });
  process.send?.(hec.url);
  process.once('message', () => {
    void hec.close().then(() => process.exit(0));
  });
}

async function measure(
  url: string,
  bodies: readonly Buffer[],
  gzip: boolean,
  seconds: number,
): Promise<number> {
  const agent = new Agent({ connections: CLIENTS });
  const headers = {
    authorization: 'Splunk bench',
    'x-splunk-request-channel': CHANNEL,
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  };
  let accepted = 0;
  let sent = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const body = bodies[sent++ % bodies.length] ?? Buffer.alloc(0);
      const response = await request(`${url}/services/collector/event`, {
        method: 'POST',
        headers,
        body,
        dispatcher: agent,
      });
      const text = await response.body.text();
      if (response.statusCode !== 200) throw new Error(`HEC answered ${response.statusCode}: ${text}`);
      accepted += EVENTS_PER_BATCH;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  await agent.close();
  return accepted / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const args = ['--server', '--record', values.record, ...(values.ack ? ['--ack'] : [])];
  const child = fork(fileURLToPath(import.meta.url), args);
  const url = await new Promise<string>((resolve) => {
    child.once('message', (message) => {
      resolve(message as string);
    });
  });
  const plain = batches(8);
  const gzipped = plain.map((body) => gzipSync(body));
  const size = plain[0]?.length ?? 0;
  const ratio = size / (gzipped[0]?.length ?? 1);
  process.stdout.write(`batch: ${EVENTS_PER_BATCH} events, ${size} bytes, gzip ratio ${ratio.toFixed(1)}\n`);
  for (const [name, bodies] of [
    ['plain', plain],
    ['gzip', gzipped],
  ] as const) {
    const rate = await measure(url, bodies, name === 'gzip', Number(values.seconds));
    process.stdout.write(
      `${name} (record ${values.record}, ack ${values.ack ? 'on' : 'off'}): ${Math.round(rate)} events/s\n`,
    );
  }
  child.send('stop');
}

await (values.server ? serve() : main());
