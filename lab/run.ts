/**
 * `make lab`: runs logbridge on a local lab — Kafka with an Event Hubs-like SASL_SSL listener, Mosquitto, the
 * Splunk HEC test server, an MQTT subscriber and a log generator — until Ctrl-C. See docs/lab.md.
 *
 *   node lab/run.ts [--for 90s] [--rate 200]      (node lab/run.ts --help for every option)
 *
 * This process only starts the supervisor (`orchestrator/supervisor.ts`) in a process group of its own and
 * forwards signals to it. A terminal's Ctrl-C goes to every process of the foreground group at once: without this,
 * Kafka and Mosquitto would stop while logbridge is still draining and committing. Forwarded, the supervisor stops
 * them in order. A second Ctrl-C is forwarded too (the supervisor kills everything); a third kills its whole group.
 * Exits with the supervisor's exit code.
 * @module
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const supervisorFile = fileURLToPath(new URL('orchestrator/supervisor.ts', import.meta.url));

const supervisor = spawn(process.execPath, [supervisorFile, ...process.argv.slice(2)], {
  detached: true,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, LAB_T0_MS: process.env['LAB_T0_MS'] ?? String(Date.now()) },
});

let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    signals += 1;
    if (supervisor.pid === undefined || supervisor.exitCode !== null) return;
    if (signals <= 2) supervisor.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
    else process.kill(-supervisor.pid, 'SIGKILL');
  });
}

supervisor.on('error', (error) => {
  process.stderr.write(`lab: cannot start ${supervisorFile}: ${error.message}\n`);
  process.exit(1);
});
supervisor.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
});
