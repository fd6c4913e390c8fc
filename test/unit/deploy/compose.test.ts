/**
 * The docker-compose lab stack, checked statically (no Docker engine here): the Compose specification's JSON schema
 * (vendored in test/fixtures/compose-spec/), the start-up order, and that the files of compose/ agree with each
 * other and with connectors/compose.json.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConnectionString } from '../../../src/sources/kafka/index.ts';
import { checkExposure } from '../../../src/api/index.ts';
import { loadWorkerConfig } from '../../../src/config/index.ts';
import { validateConnector } from '../../../src/worker/index.ts';
import { repoRoot } from './helm.ts';
import { imageEnv } from './image.ts';

interface DependsOn {
  readonly condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
}
interface Service {
  readonly image?: string;
  readonly build?: { readonly context: string; readonly target: string };
  readonly depends_on?: Readonly<Record<string, DependsOn>>;
  readonly healthcheck?: { readonly test: readonly string[] };
  readonly restart?: string;
  readonly secrets?: readonly string[];
  readonly volumes?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly stop_grace_period?: string;
  readonly read_only?: boolean;
  readonly cap_drop?: readonly string[];
  readonly ports?: readonly string[];
}
interface ComposeFile {
  readonly services: Readonly<Record<string, Service>>;
  readonly secrets: Readonly<Record<string, { readonly file: string }>>;
}
interface ConnectorFile {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
}

const read = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');
const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as ComposeFile;
const connector = JSON.parse(read('connectors/compose.json')) as ConnectorFile;
const serverProperties = read('compose/kafka/server.properties');

function service(name: string): Service {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`no service ${name}`);
  return found;
}

/** The Compose specification's formats, as Docker Compose reads them. */
const composeFormats: Readonly<Record<string, RegExp>> = {
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
  ports: /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  subnet_ip_address: /^[0-9a-f.:]+\/\d{1,3}$/,
};

/** The schema without its draft-4 style `id` strings: they only restate positions, and every `$ref` is local. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, inner]) => !(key === 'id' && typeof inner === 'string'))
      .map(([key, inner]) => [key, withoutIds(inner)]),
  );
}

/**
 * A validator for the vendored schema. It declares draft 2019-09 but is written in draft 7 (`definitions`, `id`),
 * which is how Docker Compose's own loader reads it: compile it as draft 7.
 */
function composeSpecValidator(): ReturnType<Ajv['compile']> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const [name, pattern] of Object.entries(composeFormats)) {
    ajv.addFormat(name, (value: string | number) => pattern.test(String(value)));
  }
  const { $schema: _declared, ...schema } = withoutIds(
    JSON.parse(read('test/fixtures/compose-spec/compose-spec.json')),
  ) as { $schema: string };
  return ajv.compile(schema);
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose specification', () => {
    const validate = composeSpecValidator();
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('is checked by a schema that rejects what Compose rejects', () => {
    const validate = composeSpecValidator();
    expect(
      validate({ services: { a: { image: 'x', depends_on: { b: { condition: 'when_ready' } } } } }),
    ).toBe(false);
    expect(validate({ services: { a: { image: 'x', restart_policy: 'always' } } })).toBe(false);
    expect(validate({ services: { a: { image: 'x', healthcheck: { interval: 'often' } } } })).toBe(false);
  });

  it('starts in order: every dependency is waited for by health or completion', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(s.depends_on ?? {})) {
        const target = service(dependency);
        if (condition === 'service_healthy')
          expect(target.healthcheck, `${name} → ${dependency}`).toBeDefined();
        if (condition === 'service_completed_successfully') expect(target.restart, dependency).toBe('no');
      }
    }
    expect(service('kafka').depends_on).toEqual({
      'kafka-certs': { condition: 'service_completed_successfully' },
    });
    expect(service('kafka-topics').depends_on).toEqual({ kafka: { condition: 'service_healthy' } });
    expect(service('solace-provision').depends_on).toEqual({ solace: { condition: 'service_healthy' } });
    expect(service('logbridge').depends_on).toEqual({
      'kafka-topics': { condition: 'service_completed_successfully' },
      splunk: { condition: 'service_healthy' },
      'solace-provision': { condition: 'service_completed_successfully' },
    });
    expect(service('generator').depends_on).toMatchObject({ logbridge: { condition: 'service_healthy' } });
    expect(service('subscriber').depends_on).toEqual({
      'solace-provision': { condition: 'service_completed_successfully' },
    });
  });

  it('has no dependency cycle', () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (name: string): void => {
      expect(visiting.has(name), `cycle through ${name}`).toBe(false);
      if (done.has(name)) return;
      visiting.add(name);
      for (const dependency of Object.keys(service(name).depends_on ?? {})) visit(dependency);
      visiting.delete(name);
      done.add(name);
    };
    for (const name of Object.keys(compose.services)) visit(name);
    expect(done.size).toBe(Object.keys(compose.services).length);
  });

  it('uses the official images at pinned versions and builds logbridge from the Dockerfile', () => {
    expect(service('kafka').image).toMatch(/^apache\/kafka:\d+\.\d+\.\d+$/);
    expect(service('splunk').image).toMatch(/^splunk\/splunk:\d+\.\d+\.\d+$/);
    expect(service('solace').image).toMatch(/^solace\/solace-pubsub-standard:\d+\.\d+\.\d+$/);
    for (const s of Object.values(compose.services)) expect(s.image ?? '').not.toMatch(/:latest$/);
    expect(service('logbridge').build).toEqual({ context: '.', target: 'runtime' });
    expect(service('generator').build).toEqual({ context: '.', target: 'lab' });
    expect(service('subscriber').build).toEqual({ context: '.', target: 'lab' });
  });

  it('runs logbridge with connectors/compose.json, read-only, and stops it within its drain timeout', () => {
    const logbridge = service('logbridge');
    expect(logbridge.volumes).toContain(
      './connectors/compose.json:/etc/logbridge/connectors/compose.json:ro',
    );
    expect(logbridge.read_only).toBe(true);
    expect(logbridge.cap_drop).toEqual(['ALL']);
    expect(logbridge.healthcheck?.test.join(' ')).toContain('/readyz');
    const graceS = Number(/^(\d+)s$/.exec(logbridge.stop_grace_period ?? '')?.[1]);
    expect(graceS * 1000).toBeGreaterThan(Number(connector.config['drain.timeout.ms'] ?? '30000'));
  });

  it("gives logbridge a REST token, so the image's 0.0.0.0 starts protected, and publishes it on loopback only", () => {
    const logbridge = service('logbridge');
    const tokenFile = logbridge.environment?.['LOGBRIDGE_REST_AUTH_TOKEN_FILE'] ?? '';
    const secretName = /^\/run\/secrets\/(.+)$/.exec(tokenFile)?.[1] ?? '';
    expect(logbridge.secrets).toContain(secretName);
    const file = join(repoRoot, compose.secrets[secretName]?.file ?? '');
    const env = { ...imageEnv(), ...logbridge.environment, LOGBRIDGE_REST_AUTH_TOKEN_FILE: file };
    const { rest } = loadWorkerConfig(undefined, env);
    expect(rest.auth.token.length).toBeGreaterThan(16);
    expect(checkExposure({ host: rest.host, token: rest.auth.token, required: rest.auth.required })).toBe(
      false,
    );
    expect(logbridge.ports?.filter((port) => port.includes('8083'))).toEqual(['127.0.0.1:8083:8083']);
  });

  it('gives every interpolated variable a default', () => {
    const variables = [...composeText.matchAll(/(?<!\$)\$\{([^}]+)\}/g)].map((m) => m[1] ?? '');
    expect(variables.length).toBeGreaterThan(0);
    for (const variable of variables) expect(variable).toMatch(/^[A-Z_]+:-.+$/);
  });
});

describe('the lab stack files agree', () => {
  const secret = (name: string): string => {
    const file = compose.secrets[name]?.file;
    if (file === undefined) throw new Error(`no secret ${name}`);
    return read(file);
  };

  it('passes every secret logbridge reads by ${file:/run/secrets/…} to its container', () => {
    const references = Object.values(connector.config).flatMap((value) =>
      [...value.matchAll(/\$\{file:\/run\/secrets\/([^}]+)\}/g)].map((m) => m[1] ?? ''),
    );
    expect(references).toEqual(
      expect.arrayContaining(['eventhubs-connection-string', 'splunk-hec-token', 'solace-password']),
    );
    for (const name of references) expect(service('logbridge').secrets).toContain(name);
  });

  it('connectors/compose.json is a connector logbridge accepts, with the stack secrets', () => {
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(connector.config)) {
      config[key] = value.replace(/\$\{file:\/run\/secrets\/([^}]+)\}/g, (_w, name: string) => secret(name));
    }
    expect(validateConnector({ name: connector.name, config }).issues).toEqual([]);
  });

  it('Kafka accepts the connection string as the $ConnectionString password, where it points', () => {
    const connectionString = secret('eventhubs-connection-string');
    expect(connectionString).not.toMatch(/\n/);
    const jaas = [...serverProperties.matchAll(/^listener\.name\.(\w+)\.plain\.sasl\.jaas\.config=(.*)$/gm)];
    expect(jaas.map((m) => m[1])).toEqual(['sasl_ssl', 'external']);
    for (const [, , line] of jaas) {
      expect(line).toContain(`user_$ConnectionString="${connectionString}";`);
    }
    const { broker, host } = parseConnectionString(connectionString);
    expect(serverProperties).toMatch(new RegExp(`^advertised\\.listeners=.*SASL_SSL://${broker}(,|$)`, 'm'));
    expect(read('compose/kafka/make-certs.sh')).toContain(`DNS:${host}`);
  });

  it('creates the topics logbridge reads and its dead-letter topic', () => {
    const created = [...read('compose/kafka/create-topics.sh').matchAll(/^create (\S+) \d+$/gm)].map(
      (m) => m[1],
    );
    const wanted = [
      ...(connector.config['topics'] ?? '').split(','),
      connector.config['errors.deadletterqueue.topic.name'],
    ];
    expect(created.sort()).toEqual(wanted.sort());
  });

  it('Splunk has the HEC token with indexer acknowledgement and the index logbridge writes to', () => {
    const inputs = read('compose/splunk/logbridge_lab/default/inputs.conf');
    expect(inputs).toContain(`token = ${secret('splunk-hec-token')}\n`);
    expect(inputs).toMatch(/^useACK = 1$/m);
    expect(connector.config['splunk.hec.ack.enabled']).toBe('true');
    const index = connector.config['splunk.indexes'] ?? '';
    expect(read('compose/splunk/logbridge_lab/default/indexes.conf')).toContain(`[${index}]`);
    expect(inputs).toMatch(new RegExp(`^indexes = ${index}$`, 'm'));
  });

  it('Solace keeps guaranteed messages under acme/> and knows the clients of the stack', () => {
    const provision = read('compose/solace/provision.sh');
    expect(provision).toContain('"subscriptionTopic":"acme/>"');
    expect(provision).toContain(`\\"clientUsername\\":\\"${connector.config['sol.username'] ?? ''}\\"`);
    expect(provision).toContain(
      `\\"clientUsername\\":\\"${service('subscriber').environment?.['MQTT_USERNAME'] ?? ''}\\"`,
    );
    expect(connector.config['sol.topic']).toMatch(/^acme\//);
    expect(connector.config['sinks']?.split(',')).toEqual(['splunk-hec', 'solace']);
  });

  it('shell scripts parse', () => {
    for (const script of [
      'compose/kafka/make-certs.sh',
      'compose/kafka/create-topics.sh',
      'compose/solace/provision.sh',
      'compose/lab-tools/generator.sh',
    ]) {
      expect(() => execFileSync('sh', ['-n', join(repoRoot, script)]), script).not.toThrow();
    }
  });
});
