/**
 * logbridge itself, as it runs in production: `node <the V8 flags of its shebang> src/cli/main.ts run <connector>…`
 * (what `./logbridge run` runs; one process, every connector of the lab) as a child process, settings
 * from `LOGBRIDGE_*` variables and secrets from the `LAB_*` variables its connector refers to, output appended to
 * `logbridge.log`.
 * @module
 */
import { shebangFlags } from '../../test/support/logbridge.ts';
import { logTail } from '../../test/support/log-tail.ts';
import { repoRoot } from '../../test/support/paths.ts';
import { spawnGuarded, type GuardedProcess } from '../../test/support/process.ts';
import type { LabConnector } from './connector.ts';
import { httpGet, waitUntil } from './http.ts';
import { assertPortFree, LabError } from './lab-error.ts';
import type { LabFiles } from './lab-files.ts';

/** A running logbridge. */
export interface LabLogbridge {
  readonly process: GuardedProcess;
  /** `http://127.0.0.1:<port>`. */
  readonly restUrl: string;
  readonly restPort: number;
}

/** What {@link startLabLogbridge} needs. */
export interface LogbridgeInput {
  /** Every connector it runs (one file each). */
  readonly connectors: readonly LabConnector[];
  /** The REST port (resolved: not 0). */
  readonly restPort: number;
  /** The `LAB_*` variables the connector refers to. */
  readonly env: Readonly<Record<string, string>>;
  readonly files: LabFiles;
}

/** The connector state as `GET /connectors/<name>/status` reports it. */
interface Status {
  readonly connector?: { readonly state?: string; readonly trace?: string };
}

/**
 * Starts logbridge and waits until each of its connectors is RUNNING.
 * @throws LabError when the REST port is taken, logbridge exits (an invalid connector, say) or a connector fails
 */
export async function startLabLogbridge(input: LogbridgeInput): Promise<LabLogbridge> {
  const port = input.restPort;
  await assertPortFree(port, "logbridge's REST API", 'LAB_REST_PORT');
  const child = await spawnGuarded(
    process.execPath,
    [
      ...(await shebangFlags()),
      `${repoRoot}/src/cli/main.ts`,
      'run',
      ...input.connectors.map((connector) => connector.file),
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...input.env,
        LOGBRIDGE_REST_PORT: String(port),
        LOGBRIDGE_WORKER_ID: process.env['LOGBRIDGE_WORKER_ID'] ?? 'lab',
      },
      output: { appendTo: input.files.logbridgeLog },
    },
  );
  const restUrl = `http://127.0.0.1:${String(port)}`;
  const states = new Map(input.connectors.map((connector) => [connector.name, 'not answering']));
  const outcome = await waitUntil(
    async () => {
      for (const [name, previous] of states) {
        if (previous === 'RUNNING') continue;
        const { status, body } = await httpGet(`${restUrl}/connectors/${name}/status`);
        const state =
          status === 200 ? ((JSON.parse(body) as Status).connector?.state ?? 'unknown') : previous;
        states.set(name, state);
        if (state === 'FAILED') return true;
      }
      return [...states.values()].every((state) => state === 'RUNNING');
    },
    { timeoutMs: 60_000, process: child },
  );
  const notRunning = [...states].filter(([, state]) => state !== 'RUNNING');
  if (outcome === 'ready' && notRunning.length === 0) return { process: child, restUrl, restPort: port };
  await child.terminate(5000);
  const which = notRunning.map(([name, state]) => `${name}: ${state}`).join(', ');
  const files = input.connectors.map((connector) => connector.file).join(' ');
  throw new LabError(
    `logbridge did not start its connectors (${outcome === 'exited' ? 'it exited' : which}); end of ` +
      `${input.files.logbridgeLog}:\n${await logTail(input.files.logbridgeLog, 15)}`,
    `fix what the log says (an invalid connector? check it with: set -a; . ${input.files.env}; set +a; ` +
      `./logbridge validate ${files})`,
  );
}
