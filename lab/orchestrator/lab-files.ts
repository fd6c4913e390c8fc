/**
 * The files the lab writes in its output folder (`lab/out/`, git-ignored) for a person to read, and for the lab's
 * own test. Each run starts them afresh: the broker's data is fresh too, so old lines would only mislead.
 * @module
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Paths of the lab's output files. */
export interface LabFiles {
  readonly dir: string;
  /** Events the HEC test server accepted, one JSON object per line. */
  readonly hecEvents: string;
  /** MQTT messages under `acme/#`, one JSON object per line. */
  readonly mqttEvents: string;
  /** logbridge's stdout and stderr (pino JSON lines). */
  readonly logbridgeLog: string;
  /** The HEC test server's own output. */
  readonly hecLog: string;
  /** Process ids of the lab and its children (see `processes.ts`). */
  readonly pids: string;
  /** `KEY='value'` lines with the lab's coordinates and secrets, to source in a shell. */
  readonly env: string;
  /**
   * The AMQP connector's file checkpoint store (`LAB_AMQP_CHECKPOINT_FILE`). Removed at each start with the rest:
   * the AMQP peer's event hub is new each run, and old sequence numbers would skip its first events.
   */
  readonly amqpCheckpoints: string;
}

/** The output files of a lab writing to `dir`. */
export function labFiles(dir: string): LabFiles {
  return {
    dir,
    hecEvents: join(dir, 'hec-events.jsonl'),
    mqttEvents: join(dir, 'mqtt-events.jsonl'),
    logbridgeLog: join(dir, 'logbridge.log'),
    hecLog: join(dir, 'hec.log'),
    pids: join(dir, 'pids.json'),
    env: join(dir, 'lab.env'),
    amqpCheckpoints: join(dir, 'amqp-checkpoints.json'),
  };
}

/** Creates the folder and removes the previous run's files (and nothing else in it). */
export async function resetLabFiles(files: LabFiles): Promise<void> {
  await mkdir(files.dir, { recursive: true });
  const { dir: _dir, ...paths } = files;
  await Promise.all(Object.values(paths).map((path) => rm(path, { force: true })));
}

/**
 * Writes `lab.env`: `set -a; . lab/out/lab.env; set +a` gives a shell what logbridge and the generator were given.
 * Values are single-quoted (connection strings hold `;`, `=`, `/` and `+`).
 * @throws Error when a value holds a single quote (none of the lab's do)
 */
export async function writeLabEnv(files: LabFiles, values: Readonly<Record<string, string>>): Promise<void> {
  const lines = Object.entries(values).map(([name, value]) => {
    if (value.includes("'")) throw new Error(`lab.env: the value of ${name} holds a single quote`);
    return `${name}='${value}'`;
  });
  const header = `# The lab's settings (written by lab/run.ts). In a shell: set -a; . ${files.env}; set +a`;
  await writeFile(files.env, `${header}\n${lines.join('\n')}\n`, { mode: 0o600 });
}
