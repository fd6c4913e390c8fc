/**
 * The engine fed by the real kafka source: a local broker (the test harness), N records of 1 KiB produced first,
 * then logbridge's KafkaSource → decode → tracker → a sink that acknowledges at once, with commits. Prints
 * records/s, MB/s, CPU and peak RSS of this process (broker excluded: it is a separate JVM).
 *
 *   node --max-old-space-size=128 --max-semi-space-size=16 bench/kafka-source.ts [records=300000] [recordBytes=1024]
 */
import { pino } from 'pino';
import { createKafkaSource, kafkaSourceConfigFrom, kafkaSourceSchema } from '../src/sources/kafka/index.ts';
import { parseOptions } from '../src/config/index.ts';
import { createTopic, produce, startKafka } from '../test/support/kafka/index.ts';
import { report, sampleRss } from './report.ts';
import { InstantSink, sourceBenchConnector } from './instant-sink.ts';

const total = Number(process.argv[2] ?? 300_000);
const recordBytes = Number(process.argv[3] ?? 1024);

const broker = await startKafka();
try {
  const topic = await createTopic(broker, { partitions: 8 });
  const pad = 'x'.repeat(Math.max(0, recordBytes - 80));
  await produce(
    broker,
    topic,
    (function* () {
      for (let i = 0; i < total; i += 1)
        yield { value: JSON.stringify({ seq: i, log: `request ${i} ${pad}` }) };
    })(),
  );
  const { values } = parseOptions(
    kafkaSourceSchema,
    {
      topics: topic,
      'kafka.bootstrap.servers': broker.bootstrap,
      ...(JSON.parse(process.env.BENCH_SOURCE ?? '{}') as Record<string, string>),
    },
    'bench',
  );
  const logger = pino({ level: 'warn' });
  const { source } = createKafkaSource(kafkaSourceConfigFrom(values, 'bench'), undefined, logger);
  const sink = new InstantSink(total);
  const connector = sourceBenchConnector(source, sink, logger);
  const rss = sampleRss();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await connector.start();
  await sink.done.promise;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await connector.stop();
  report('kafka source → engine → instant sink (PLAINTEXT broker on loopback)', {
    records: total,
    seconds,
    bytes: total * recordBytes,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssBytes: rss.stop(),
  });
} finally {
  await broker.dispose();
}
