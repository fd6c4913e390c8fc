/**
 * `logbridge preview <connector.json> (--file F | --from-topic [--count N])`: sample records through the connector's
 * transforms and sink encoders, stage by stage, with the HEC envelope, the Solace/MQTT topic and what would be
 * dead-lettered. Nothing is sent anywhere; `--from-topic` reads with a throwaway consumer group that commits nothing.
 * @module
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { readDefinitionFile } from '../config/index.ts';
import { asBridgeError, type SourceRecord } from '../engine/index.ts';
import { SampleError, samplesFromText } from '../preview/index.ts';
import {
  previewConnector,
  sampleFromTopics,
  validateConnector,
  type ValidConnector,
} from '../worker/index.ts';
import { previewText } from './preview-output.ts';
import { EXIT } from './run.ts';

/** Options of `preview`. */
export interface PreviewOptions {
  readonly file?: string;
  readonly fromTopic?: boolean;
  readonly count?: string;
  readonly partition?: string[];
  readonly json?: boolean;
}

/** The `preview` command, ready for `program.addCommand()`. */
export function previewCommand(): Command {
  return new Command('preview')
    .description(
      "Run sample records through a connector's transforms and sink encoders and show every stage: each " +
        "transform's output, the HEC envelope, the Solace/MQTT topic, and what would be dead-lettered and why. " +
        'Nothing is sent anywhere.',
    )
    .argument('<connector>', 'connector definition file ({"name": ..., "config": {...}})')
    .option('--file <file>', 'sample records: one record value per line, or a JSON array of records')
    .option('--from-topic', "read the latest records of the connector's topics (a throwaway read, no commit)")
    .option('--count <n>', 'with --from-topic: how many records', '10')
    .option('--partition <p...>', 'with --from-topic: only these partitions')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
A sample line is a record value as a producer writes it, or {"value": …, "key"?, "headers"?, "timestamp"?,
"topic"?, "partition"?}. Secrets the connector refers to must resolve, as for run.

Examples:
  logbridge preview connectors/aks-logs.json --file samples.jsonl
  logbridge preview connectors/aks-logs.json --from-topic --count 5 --json

Exit codes: 0 shown, 1 invalid connector or samples, 2 usage, 3 Kafka could not be read`,
    )
    .action(async (file: string, options: PreviewOptions) => {
      process.exitCode = await preview(file, options);
    });
}

/** Runs the command; resolves with the exit code. */
export async function preview(file: string, options: PreviewOptions): Promise<number> {
  if ((options.file === undefined) === (options.fromTopic !== true)) {
    console.error('logbridge preview: give either --file <file> or --from-topic');
    return EXIT.usage;
  }
  const valid = validConnector(file);
  if (valid === undefined) return EXIT.invalid;
  let samples: SourceRecord[];
  try {
    samples = await samplesFor(valid, options);
  } catch (error) {
    const cause = asBridgeError(error);
    console.error(`logbridge preview: ${cause.code}: ${cause.message}`);
    return error instanceof SampleError ? EXIT.invalid : EXIT.failed;
  }
  const report = await previewConnector(valid, samples);
  console.log(options.json === true ? JSON.stringify(report, null, 2) : previewText(report));
  return EXIT.ok;
}

function validConnector(file: string): ValidConnector | undefined {
  const { definition, issues: shape } = readDefinitionFile(file);
  const { connector, issues } =
    definition === undefined ? { connector: undefined, issues: shape } : validateConnector(definition);
  for (const issue of issues) console.error(`${file}: ${issue.path}: ${issue.message}`);
  return connector;
}

async function samplesFor(valid: ValidConnector, options: PreviewOptions): Promise<SourceRecord[]> {
  if (options.file !== undefined) {
    const text = readSampleFile(options.file);
    return samplesFromText(text, { topic: valid.source.topics[0] ?? 'preview', timestampMs: Date.now() });
  }
  const count = Number(options.count ?? '10');
  if (!Number.isInteger(count) || count < 1) throw new SampleError('--count must be a positive integer');
  const partitions = options.partition?.flatMap((p) => p.split(',')).map(Number);
  if (partitions?.some((p) => !Number.isInteger(p) || p < 0) === true) {
    throw new SampleError('--partition takes partition numbers');
  }
  return sampleFromTopics(valid, { count, ...(partitions === undefined ? {} : { partitions }) });
}

function readSampleFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new SampleError(`${path} cannot be read: ${(error as Error).message}`, { cause: error });
  }
}
