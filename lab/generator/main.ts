/**
 * Runs the log generator on its own:
 *
 *   node lab/generator/main.ts --connection-string 'Endpoint=sb://…' --rate 200 --count 10000
 *   node lab/generator/main.ts --bootstrap 127.0.0.1:9092 --rate 50
 *
 * Stops after `--count` records, or on SIGINT/SIGTERM (exit 0); exits 1 when producing fails, 2 on a bad option.
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { connectSender, type KafkaTarget } from './kafka-sender.ts';
import { emptyCounts, produceAtRate, type ProducedCounts } from './rate.ts';
import { createWorkload } from './workload.ts';
import { containKafkajsWarnings } from '../../src/cli/warnings.ts';

const USAGE = `Usage: node lab/generator/main.ts [options]
  --connection-string <s>  Event Hubs connection string: SASL_SSL to its Endpoint (default $LAB_EVENTHUBS_CONNECTION_STRING
                           when --bootstrap is not given either)
  --bootstrap <host:port>  broker; alone: PLAINTEXT; with --connection-string: SASL_SSL to this address
  --ca-file <pem>          CA to trust for SASL_SSL (default $LAB_KAFKA_CA_FILE; none: the system CAs)
  --rate <n>               records per second over both topics (default $LAB_RATE or 200)
  --count <n>              stop once n records are produced (a stack trace is never cut: maybe a few more;
                           default: until SIGINT/SIGTERM)
  --seed <s>               seed of the fleet and the log lines (default $LAB_SEED or logbridge-lab)
  --fluentbit-topic <t>    topic of Fluent Bit JSON records (default fluentbit-logs)
  --cri-topic <t>          topic of raw CRI lines (default cri-logs)
  --help`;

// kafkajs 2.2.4 warns of a negative timeout of its own; every other warning is printed, as src/cli/main.ts does.
containKafkajsWarnings();

function usageError(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse(): ReturnType<typeof parseOptions> {
  try {
    return parseOptions();
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
}

function parseOptions() {
  return parseArgs({
    options: {
      'connection-string': { type: 'string' },
      bootstrap: { type: 'string' },
      'ca-file': { type: 'string' },
      rate: { type: 'string' },
      count: { type: 'string' },
      seed: { type: 'string' },
      'fluentbit-topic': { type: 'string', default: 'fluentbit-logs' },
      'cri-topic': { type: 'string', default: 'cri-logs' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
}

function positive(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) usageError(`--${name} must be a positive number, got ${text}`);
  return value;
}

function targetOf(values: ReturnType<typeof parseOptions>): KafkaTarget {
  const env = process.env;
  const connectionString =
    values['connection-string'] ??
    (values.bootstrap === undefined ? env['LAB_EVENTHUBS_CONNECTION_STRING'] : undefined);
  if (connectionString === undefined && values.bootstrap === undefined) {
    usageError('give --connection-string or --bootstrap (or set LAB_EVENTHUBS_CONNECTION_STRING)');
  }
  const caFile = values['ca-file'] ?? env['LAB_KAFKA_CA_FILE'];
  let caPem: string | undefined;
  if (caFile !== undefined && caFile !== '' && connectionString !== undefined) {
    try {
      caPem = readFileSync(caFile, 'utf8');
    } catch (error) {
      usageError(
        `cannot read the CA file ${caFile}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return { connectionString, bootstrap: values.bootstrap, caPem };
}

function explain(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /does not host this topic-partition|UNKNOWN_TOPIC/i.test(message)
    ? `${message} (do the topics exist? Event Hubs and the lab's broker create none: create the event hubs first)`
    : message;
}

function summary(counts: ProducedCounts): string {
  const topics = [...counts.byTopic].map(([topic, n]) => `${topic} ${String(n)}`).join(', ');
  return `produced ${String(counts.total)} records${topics === '' ? '' : ` (${topics})`}`;
}

const values = parse();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const rate = positive('rate', values.rate ?? process.env['LAB_RATE']) ?? 200;
const count = positive('count', values.count);
const target = targetOf(values);
const workload = createWorkload({
  seed: values.seed ?? process.env['LAB_SEED'] ?? 'logbridge-lab',
  topics: { fluentBit: values['fluentbit-topic'], cri: values['cri-topic'] },
});

const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    stop.abort();
  });

let sender;
try {
  sender = await connectSender(target);
} catch (error) {
  process.stderr.write(
    `cannot connect to Kafka: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
process.stdout.write(
  `producing ${String(rate)} records/s${count === undefined ? '' : `, ${String(count)} in all`} to ${sender.description}\n`,
);
const counts = emptyCounts();
const progress = setInterval(() => {
  process.stdout.write(`${summary(counts)}\n`);
}, 10_000);
try {
  await produceAtRate({
    workload,
    send: sender.send,
    ratePerSecond: rate,
    signal: stop.signal,
    counts,
    ...(count === undefined ? {} : { count }),
  });
  process.stdout.write(`${summary(counts)}\n`);
} catch (error) {
  process.stderr.write(`producing failed after ${summary(counts)}: ${explain(error)}\n`);
  process.exitCode = 1;
} finally {
  clearInterval(progress);
  await sender.disconnect();
}
