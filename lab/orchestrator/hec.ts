/**
 * The lab's Splunk HEC: the protocol-faithful test server (`test/support/hec/main.ts`) as a child process, ack
 * off, writing every accepted event to `hec-events.jsonl`. A process of its own, so that a person can stop it
 * (`kill -STOP`) to watch logbridge ride out an outage.
 * @module
 */
import { logTail } from '../../test/support/log-tail.ts';
import { repoRoot } from '../../test/support/paths.ts';
import { freePorts } from '../../test/support/ports.ts';
import { spawnGuarded, type GuardedProcess } from '../../test/support/process.ts';
import { httpGet, waitUntil } from './http.ts';
import { assertPortFree, LabError } from './lab-error.ts';
import type { LabFiles } from './lab-files.ts';

/** The lab's HEC token: fixed, so that a person can paste it; it guards nothing. */
export const LAB_HEC_TOKEN = '1ab1ab1a-b000-4000-8000-00000000000c';

/** A running HEC test server. */
export interface LabHec {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly process: GuardedProcess;
}

/**
 * Starts the HEC test server and waits until `/services/collector/health` answers.
 * @param port 0: any free port
 * @throws LabError when the port is taken or the server does not come up
 */
export async function startLabHec(port: number, files: LabFiles): Promise<LabHec> {
  if (port === 0) [port = 0] = await freePorts(1);
  else await assertPortFree(port, 'the HEC test server', 'LAB_HEC_PORT');
  const args = [
    '--port',
    String(port),
    '--token',
    LAB_HEC_TOKEN,
    '--out',
    files.hecEvents,
    '--stats-ms',
    '0',
  ];
  const child = await spawnGuarded(process.execPath, [`${repoRoot}/test/support/hec/main.ts`, ...args], {
    cwd: repoRoot,
    output: { appendTo: files.hecLog },
  });
  const url = `http://127.0.0.1:${String(port)}`;
  const outcome = await waitUntil(
    async () => (await httpGet(`${url}/services/collector/health`)).status === 200,
    { timeoutMs: 15_000, process: child },
  );
  if (outcome !== 'ready') {
    await child.terminate(2000);
    throw new LabError(
      `the HEC test server did not start on ${url} (${outcome}):\n${await logTail(files.hecLog, 10)}`,
      `read ${files.hecLog}; if the port was taken meanwhile, start again or set LAB_HEC_PORT=0`,
    );
  }
  return { url, port, token: LAB_HEC_TOKEN, process: child };
}
