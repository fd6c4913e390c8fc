/**
 * The lab's settings, from the command line and `LAB_*` environment variables (the command line wins).
 * @module
 */
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../../test/support/paths.ts';

/** Everything the lab can be told. */
export interface LabSettings {
  /** Where the lab writes what a person reads (`hec-events.jsonl`, …); emptied of the last run's files first. */
  readonly outDir: string;
  /** Records per second the generator produces, over both topics. */
  readonly rate: number;
  readonly seed: string;
  /** Stop by itself after this many seconds, as on Ctrl-C; undefined: run until a signal. */
  readonly durationS: number | undefined;
  /** HEC test server port; 0: any free port. */
  readonly hecPort: number;
  /** logbridge REST port; 0: any free port. */
  readonly restPort: number;
  /** Connector definition logbridge runs. */
  readonly connectorFile: string;
  /** The second connector, reading the AMQP peer's event hub; undefined: no AMQP peer, no second connector. */
  readonly amqpConnectorFile: string | undefined;
  /** Kafka JVM heap, MiB. */
  readonly kafkaHeapMb: number;
  /** Seconds between status lines. */
  readonly statusIntervalS: number;
}

/** The `--help` text. */
export const USAGE = `Usage: node lab/run.ts [options]        (make lab)
  --for <duration>     stop by itself this long after it is up: 90, 90s, 5m (env LAB_DURATION_S; default: until Ctrl-C)
  --rate <n>           generated records per second over both topics (env LAB_RATE; default 200)
  --seed <s>           seed of the generated fleet and log lines (env LAB_SEED; default logbridge-lab)
  --out <dir>          output folder (env LAB_OUT_DIR; default lab/out)
  --connector <file>   connector definition to run (env LAB_CONNECTOR; default connectors/lab.json)
  --amqp-connector <file>
                       second connector, reading the Event Hubs AMQP peer (env LAB_AMQP_CONNECTOR;
                       default connectors/lab-amqp.json; "none": no AMQP peer and no second connector)
  --no-amqp            the same as --amqp-connector none
  --help
Environment only: LAB_HEC_PORT (default 8088), LAB_REST_PORT (default 8083; 0 for either: any free port),
LAB_KAFKA_HEAP_MB (default 256), LAB_STATUS_INTERVAL_S (default 10).`;

/** A setting that cannot be used; the message says which and why. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/**
 * Reads the settings.
 * @returns the settings, or `'help'` when `--help` was given
 * @throws SettingsError naming the bad option or variable
 */
export function readSettings(argv: readonly string[], env: NodeJS.ProcessEnv): LabSettings | 'help' {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        for: { type: 'string' },
        rate: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        connector: { type: 'string' },
        'amqp-connector': { type: 'string' },
        'no-amqp': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new SettingsError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  const duration = values.for ?? env['LAB_DURATION_S'];
  return {
    outDir: path(values.out ?? env['LAB_OUT_DIR'] ?? 'lab/out'),
    rate: number('--rate / LAB_RATE', values.rate ?? env['LAB_RATE'], 200, { min: 0.1 }),
    seed: values.seed ?? env['LAB_SEED'] ?? 'logbridge-lab',
    durationS: duration === undefined || duration === '' ? undefined : seconds(duration),
    hecPort: number('LAB_HEC_PORT', env['LAB_HEC_PORT'], 8088, { min: 0, max: 65535, integer: true }),
    restPort: number('LAB_REST_PORT', env['LAB_REST_PORT'], 8083, { min: 0, max: 65535, integer: true }),
    connectorFile: path(values.connector ?? env['LAB_CONNECTOR'] ?? 'connectors/lab.json'),
    amqpConnectorFile: amqpConnector(
      values['no-amqp'],
      values['amqp-connector'] ?? env['LAB_AMQP_CONNECTOR'],
    ),
    kafkaHeapMb: number('LAB_KAFKA_HEAP_MB', env['LAB_KAFKA_HEAP_MB'], 256, { min: 128, integer: true }),
    statusIntervalS: number('LAB_STATUS_INTERVAL_S', env['LAB_STATUS_INTERVAL_S'], 10, { min: 1 }),
  };
}

/** `--no-amqp` wins over a file; `none` turns it off too. */
function amqpConnector(off: boolean, file: string | undefined): string | undefined {
  if (off || file === 'none') return undefined;
  return path(file === undefined || file === '' ? 'connectors/lab-amqp.json' : file);
}

/** Relative paths are relative to the repository (make runs from there; so does the test). */
function path(value: string): string {
  return isAbsolute(value) ? value : resolve(repoRoot, value);
}

interface Bounds {
  readonly min: number;
  readonly max?: number;
  readonly integer?: boolean;
}

function number(name: string, text: string | undefined, fallback: number, bounds: Bounds): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  const ok =
    Number.isFinite(value) &&
    value >= bounds.min &&
    value <= (bounds.max ?? Infinity) &&
    (bounds.integer !== true || Number.isInteger(value));
  if (!ok) {
    const range = `${String(bounds.min)}${bounds.max === undefined ? ' or more' : `..${String(bounds.max)}`}`;
    throw new SettingsError(
      `${name} must be a ${bounds.integer === true ? 'whole ' : ''}number, ${range}: got "${text}"`,
    );
  }
  return value;
}

/** `90`, `90s`, `5m`, `1h` → seconds. */
function seconds(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (match === null)
    throw new SettingsError(`--for / LAB_DURATION_S must look like 90, 90s, 5m or 1h: got "${text}"`);
  const unit = { s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}
