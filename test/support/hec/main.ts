/**
 * Runs the HEC test server on its own (the lab):
 *
 *   node test/support/hec/main.ts --port 8088 --token <t> [--ack] [--index main,...] [--out lab/out/hec-events.jsonl]
 *
 * Prints its URL, then a summary line every `--stats-ms` while events arrive; stops cleanly on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { HecServerOptions, TokenConfig } from './index.ts';
import { DEFAULT_TOKEN, startHecServer } from './index.ts';

const USAGE = `Usage: node test/support/hec/main.ts [options]
  --port <n>                 port (default 8088; 0 = any free port)
  --host <addr>              listen address (default 127.0.0.1)
  --token <t>                accepted token, repeatable (default ${DEFAULT_TOKEN})
  --ack                      indexer acknowledgement on for the tokens
  --index <a,b>              indexes the tokens may write to (default any)
  --default-index <i>        index for events naming none (default main)
  --allow-query-string-auth  accept ?token=
  --out <file>               append accepted events as JSON lines
  --max-content-length <n>   bytes; more gets 413
  --ack-delay-ms <n>         delay before /ack reports true
  --ack-loss-rate <r>        share of ack ids never reported true, 0..1
  --record <events|count>    keep events in memory or only count them (default count)
  --tls-cert <file> --tls-key <file>   serve HTTPS
  --stats-ms <n>             summary interval, 0 = off (default 10000)
  --help`;

/** Exits with status 2 after printing `message` and the usage. */
function usageError(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', default: '8088' },
        host: { type: 'string', default: '127.0.0.1' },
        token: { type: 'string', multiple: true },
        ack: { type: 'boolean', default: false },
        index: { type: 'string' },
        'default-index': { type: 'string' },
        'allow-query-string-auth': { type: 'boolean', default: false },
        out: { type: 'string' },
        'max-content-length': { type: 'string' },
        'ack-delay-ms': { type: 'string' },
        'ack-loss-rate': { type: 'string' },
        record: { type: 'string', default: 'count' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'stats-ms': { type: 'string', default: '10000' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
}

const values = parse();

if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

function numberOf(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new RangeError(`--${name} must be a number, got ${text}`);
  return value;
}

function tokenConfig(): TokenConfig {
  return {
    ack: values.ack,
    allowQueryStringAuth: values['allow-query-string-auth'],
    ...(values.index === undefined ? {} : { indexes: values.index.split(',').map((index) => index.trim()) }),
    ...(values['default-index'] === undefined ? {} : { defaultIndex: values['default-index'] }),
  };
}

function optionsOf(): HecServerOptions {
  if (values.record !== 'events' && values.record !== 'count')
    throw new RangeError('--record is events or count');
  const config = tokenConfig();
  const tokens = Object.fromEntries((values.token ?? [DEFAULT_TOKEN]).map((token) => [token, config]));
  const maxContentLength = numberOf('max-content-length', values['max-content-length']);
  const delayMs = numberOf('ack-delay-ms', values['ack-delay-ms']);
  const lossRate = numberOf('ack-loss-rate', values['ack-loss-rate']);
  const cert = values['tls-cert'];
  const key = values['tls-key'];
  return {
    port: numberOf('port', values.port) ?? 8088,
    host: values.host,
    tokens,
    record: values.record,
    ack: { ...(delayMs === undefined ? {} : { delayMs }), ...(lossRate === undefined ? {} : { lossRate }) },
    ...(maxContentLength === undefined ? {} : { maxContentLength }),
    ...(values.out === undefined ? {} : { out: values.out }),
    ...(cert === undefined || key === undefined
      ? {}
      : { tls: { cert: readFileSync(cert), key: readFileSync(key) } }),
  };
}

function optionsOrExit(): HecServerOptions {
  try {
    return optionsOf();
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
}

const options = optionsOrExit();
const hec = await startHecServer(options).catch((error: unknown) => {
  process.stderr.write(
    `HEC test server cannot start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  return process.exit(1);
});
const tokenCount = Object.keys(options.tokens ?? {}).length;
process.stdout.write(
  `HEC test server listening on ${hec.url} (${tokenCount} token(s), ack ${values.ack ? 'on' : 'off'}` +
    `${values.out === undefined ? '' : `, writing ${values.out}`})\n`,
);

let reported = 0;
const statsMs = numberOf('stats-ms', values['stats-ms']) ?? 0;
const stats =
  statsMs > 0
    ? setInterval(() => {
        if (hec.count === reported) return;
        reported = hec.count;
        process.stdout.write(`events accepted: ${hec.count}, requests: ${hec.requests.length}\n`);
      }, statsMs)
    : undefined;

async function shutdown(signal: string): Promise<void> {
  clearInterval(stats);
  await hec.close();
  process.stdout.write(`${signal}: stopped after ${hec.count} events\n`);
  process.exit(0);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void shutdown(signal);
  });
}
