/**
 * The caller policy through a real worker and the real schemas: what a connector from the REST API may refer to
 * (`${env:}`, `${file:}`, file options) and reach (hosts), what the operator's files may, and that no answer shows
 * a resolved value.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ConfigIssue, loadWorkerConfig } from '../../../src/config/index.ts';
import { InvalidConnectorError, MemoryConfigStore, Worker } from '../../../src/worker/index.ts';

const SECRET = 'hec-token-that-must-not-leak-7f3a';
let scratch: string;
let secrets: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'logbridge-caller-'));
  secrets = join(scratch, 'secrets');
  mkdirSync(secrets);
  writeFileSync(join(secrets, 'hec-token'), `${SECRET}\n`);
  writeFileSync(join(scratch, 'outside'), 'outside-content-must-not-leak\n');
  symlinkSync(join(scratch, 'outside'), join(secrets, 'escape'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** The operator's connector: a file on the command line. */
const operator = {
  name: 'ops',
  config: {
    topics: 'logs',
    'kafka.bootstrap.servers': 'kafka.internal:9092',
    'splunk.hec.uri': 'https://hec.internal:8088',
    'splunk.hec.token': '${env:OPERATOR_HEC_TOKEN}',
  },
};

function worker(env: Record<string, string> = {}): Worker {
  const config = loadWorkerConfig(undefined, {
    LOGBRIDGE_CONFIG_PROVIDERS_FILE_ALLOWED_PATHS: secrets,
    ...env,
  });
  return new Worker(config, pino({ level: 'silent' }), {
    operatorDefinitions: [operator],
    store: new MemoryConfigStore([{ ...operator, target: 'STOPPED' }]),
  });
}

/** A connector an API caller sends, to the operator's own hosts. */
function fromCaller(overrides: Record<string, string>): Record<string, string> {
  return {
    topics: 'logs',
    'kafka.bootstrap.servers': 'kafka.internal:9092',
    'splunk.hec.uri': 'https://hec.internal:8088',
    'splunk.hec.token': 'literal',
    ...overrides,
  };
}

function messages(issues: readonly ConfigIssue[]): string[] {
  return issues.map((i) => `${i.path}: ${i.message}`);
}

describe('references from API callers', () => {
  it('resolves an allowed variable and a file under the allowed paths', () => {
    vi.stubEnv('LOGBRIDGE_SECRET_HEC', SECRET);
    const w = worker();
    expect(w.validate(fromCaller({ 'splunk.hec.token': '${env:LOGBRIDGE_SECRET_HEC}' }))).toEqual([]);
    expect(w.validate(fromCaller({ 'splunk.hec.token': `\${file:${secrets}/hec-token}` }))).toEqual([]);
  });

  it('refuses other variables, the worker settings and other files, naming the setting to change', () => {
    vi.stubEnv('LAB_EVENTHUBS_CONNECTION_STRING', 'Endpoint=sb://x/;SharedAccessKey=must-not-leak');
    vi.stubEnv('LOGBRIDGE_REST_AUTH_TOKEN', 'admin-token-must-not-leak');
    const w = worker({ LOGBRIDGE_CONFIG_PROVIDERS_ENV_ALLOWED_NAMES: 'LOGBRIDGE_*' });
    const issues = [
      ...w.validate(fromCaller({ 'splunk.hec.token': '${env:LAB_EVENTHUBS_CONNECTION_STRING}' })),
      ...w.validate(fromCaller({ 'splunk.hec.token': '${env:LOGBRIDGE_REST_AUTH_TOKEN}' })),
      ...w.validate(fromCaller({ 'splunk.hec.token': '${file:/etc/passwd}' })),
      ...w.validate(fromCaller({ 'splunk.hec.token': `\${file:${secrets}/escape}` })),
      ...w.validate(fromCaller({ 'splunk.hec.token': '${file:relative/path}' })),
    ];
    const text = messages(issues).join('\n');
    expect(text).toContain(
      'config.splunk.hec.token: refers to ${env:LAB_EVENTHUBS_CONNECTION_STRING}, which a connector created over REST may not use: the operator allows variables with config.providers.env.allowed.names',
    );
    expect(text).toContain('refers to ${env:LOGBRIDGE_REST_AUTH_TOKEN}, a setting of the worker itself');
    expect(text).toContain(
      'refers to ${file:/etc/passwd}, outside the directories a connector created over REST may read: the operator allows directories with config.providers.file.allowed.paths',
    );
    expect(text).toContain(`refers to \${file:${secrets}/escape}, outside the directories`);
    expect(text).toContain('refers to ${file:relative/path}: the path must be absolute');
    expect(text).not.toMatch(/must-not-leak|root:/);
  });

  it('refuses a reference in an option that is not secret (the attack: errors.tolerance)', () => {
    vi.stubEnv('LOGBRIDGE_SECRET_CS', 'Endpoint=sb://x/;SharedAccessKey=must-not-leak');
    const issues = worker().validate(fromCaller({ 'errors.tolerance': '${env:LOGBRIDGE_SECRET_CS}' }));
    expect(messages(issues)).toContain(
      'config.errors.tolerance: holds a secret reference, which a connector created over REST may use only in secret options (passwords, tokens, connection strings), where the value stays hidden: write the value itself',
    );
    // Not resolved at all: nothing downstream validates (and could quote) the value.
    expect(issues.filter((i) => i.path === 'config.errors.tolerance')).toHaveLength(1);
    expect(JSON.stringify(issues)).not.toContain('must-not-leak');
  });

  it('refuses file options outside the allowed paths', () => {
    const issues = worker().validate(
      fromCaller({ 'kafka.ssl.ca.location': '/etc/passwd', 'splunk.hec.ssl.trust.store.path': 'x.pem' }),
    );
    expect(messages(issues)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^config\.kafka\.ssl\.ca\.location: "\/etc\/passwd" is outside the directories/,
        ),
        expect.stringMatching(/^config\.splunk\.hec\.ssl\.trust\.store\.path: "x\.pem" is outside/),
      ]),
    );
  });
});

describe('destinations of API callers', () => {
  it("allows the operator's hosts by default and refuses others, naming the setting", () => {
    const w = worker();
    expect(w.validate(fromCaller({}))).toEqual([]);
    const issues = w.validate(
      fromCaller({ 'splunk.hec.uri': 'https://hec.internal:8088,https://attacker.example:8088' }),
    );
    expect(messages(issues)).toEqual([
      'config.splunk.hec.uri: sends to attacker.example, which is not among the hosts a connector created over REST may reach: the operator allows hosts with rest.connectors.allowed.hosts (LOGBRIDGE_REST_CONNECTORS_ALLOWED_HOSTS)',
    ]);
    expect(messages(w.validate(fromCaller({ 'kafka.bootstrap.servers': 'evil:9092' })))[0]).toMatch(
      /^config\.kafka\.bootstrap\.servers: sends to evil, which is not among/,
    );
  });

  it('checks the namespace of a connection string without showing it', () => {
    vi.stubEnv(
      'LOGBRIDGE_SECRET_CS',
      'Endpoint=sb://attacker-ns.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=x',
    );
    const issues = worker().validate({
      ...fromCaller({ 'eventhubs.connection.string': '${env:LOGBRIDGE_SECRET_CS}' }),
      'kafka.bootstrap.servers': '',
    });
    expect(messages(issues)).toEqual([
      expect.stringMatching(/^config\.eventhubs\.connection\.string: names a host not among the hosts/),
    ]);
    expect(JSON.stringify(issues)).not.toContain('attacker-ns');
  });

  it('takes rest.connectors.allowed.hosts: names, *.domain, or *', () => {
    const w = worker({ LOGBRIDGE_REST_CONNECTORS_ALLOWED_HOSTS: 'kafka.internal,*.splunk.acme' });
    expect(w.validate(fromCaller({ 'splunk.hec.uri': 'https://idx1.splunk.acme:8088' }))).toEqual([]);
    expect(w.validate(fromCaller({}))).toHaveLength(1);
    expect(
      worker({ LOGBRIDGE_REST_CONNECTORS_ALLOWED_HOSTS: '*' }).validate(
        fromCaller({ 'splunk.hec.uri': 'https://anywhere:8088' }),
      ),
    ).toEqual([]);
  });
});

describe('what the operator wrote', () => {
  it("passes unchanged in a caller's change, and is checked once moved", async () => {
    const w = worker();
    await w.open();
    // The operator's reference is not in the caller allow-list, but it is the operator's: a PUT keeps it.
    vi.stubEnv('OPERATOR_HEC_TOKEN', SECRET);
    await expect(
      w.putConfig('ops', { ...operator.config, 'offset.flush.interval.ms': '1000' }),
    ).resolves.toBe(false);
    const moved = w.putConfig('ops', { ...operator.config, 'sol.password': '${env:OPERATOR_HEC_TOKEN}' });
    await expect(moved).rejects.toThrow(InvalidConnectorError);
    await expect(moved).rejects.toThrow(
      /sol\.password: refers to \$\{env:OPERATOR_HEC_TOKEN\}, which a connector/,
    );
    await w.stop();
  });

  it('is not bound by the caller policy (files given to logbridge run)', () => {
    vi.stubEnv('OPERATOR_HEC_TOKEN', SECRET);
    expect(() => {
      worker().check({ name: 'file', config: { ...operator.config, 'splunk.hec.uri': 'https://any:8088' } });
    }).not.toThrow();
  });
});

describe("the worker's own secrets", () => {
  it('keeps the REST token file out of reach even under the allowed paths', () => {
    writeFileSync(join(secrets, 'rest-token'), 'admin-token-must-not-leak\n');
    const w = worker({ LOGBRIDGE_REST_AUTH_TOKEN_FILE: join(secrets, 'rest-token') });
    const issues = w.validate(fromCaller({ 'splunk.hec.token': `\${file:${secrets}/rest-token}` }));
    expect(messages(issues)).toEqual([expect.stringContaining('outside the directories') as unknown]);
    expect(JSON.stringify(issues)).not.toContain('must-not-leak');
  });
});

describe('connector names', () => {
  it('ignores a stored connector whose name no file or REST call may have (config topic)', async () => {
    const config = loadWorkerConfig(undefined, {});
    const w = new Worker(config, pino({ level: 'silent' }), {
      store: new MemoryConfigStore([
        { name: '__proto__', config: operator.config, target: 'STOPPED' },
        { name: 'fine', config: operator.config, target: 'STOPPED' },
      ]),
    });
    await w.open();
    expect(w.names()).toEqual(['fine']);
    await w.stop();
  });

  it.each(['a/b', '../../etc', '__proto__', '', '.hidden'])('refuses %j from an API caller', async (name) => {
    const w = worker();
    await expect(w.create({ name, config: fromCaller({}) })).rejects.toThrow(
      /name: must be 1-200 characters/,
    );
    await w.stop();
  });
});
