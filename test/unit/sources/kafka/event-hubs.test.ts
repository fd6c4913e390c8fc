import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  ConnectionStringError,
  oauthBearerProvider,
  parseConnectionString,
} from '../../../../src/sources/kafka/index.ts';
import { kafkaConfig } from '../../../../src/sources/kafka/client.ts';
import { kafkaSourceConfigFrom, kafkaSourceSchema } from '../../../../src/sources/kafka/config.ts';
import { parseOptions } from '../../../../src/config/index.ts';

const KEY = 'c2VjcmV0LWtleS1kby1ub3QtbGVhaw==';
const CS = `Endpoint=sb://acme-logs.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=${KEY}`;

describe('parseConnectionString', () => {
  it('derives the Kafka endpoint on port 9093', () => {
    expect(parseConnectionString(CS)).toEqual({
      broker: 'acme-logs.servicebus.windows.net:9093',
      host: 'acme-logs.servicebus.windows.net',
      namespace: 'acme-logs',
      entityPath: undefined,
    });
  });

  it('keeps an explicit port and reads EntityPath', () => {
    const parsed = parseConnectionString(
      `Endpoint=sb://localhost:19094/;SharedAccessKeyName=a;SharedAccessKey=b;EntityPath=logs`,
    );
    expect(parsed.broker).toBe('localhost:19094');
    expect(parsed.entityPath).toBe('logs');
  });

  it.each([
    ['', /no Endpoint/],
    [`SharedAccessKeyName=listen;SharedAccessKey=${KEY}`, /no Endpoint/],
    [
      `Endpoint=https://acme.servicebus.windows.net/;SharedAccessKeyName=l;SharedAccessKey=${KEY}`,
      /must look like sb:/,
    ],
    ['Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=listen', /no SharedAccessKey part/],
    [`Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKey=${KEY}`, /no SharedAccessKeyName/],
  ])('refuses %j with a message that never shows the key', (input, message) => {
    let caught: unknown;
    try {
      parseConnectionString(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConnectionStringError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toContain(KEY);
    expect((caught as ConnectionStringError).disposition).toBe('fatal');
  });
});

describe('Event Hubs preset', () => {
  const build = (properties: Record<string, string>) => {
    const { values, issues } = parseOptions(kafkaSourceSchema, { topics: 'logs', ...properties }, 'config');
    expect(issues).toEqual([]);
    return kafkaConfig(kafkaSourceConfigFrom(values, 'lab'), pino({ level: 'silent' }));
  };

  it('turns a connection string into TLS + SASL PLAIN $ConnectionString on <namespace>:9093', () => {
    const config = build({ 'eventhubs.connection.string': CS });
    expect(config.brokers).toEqual(['acme-logs.servicebus.windows.net:9093']);
    expect(config.ssl).toBe(true);
    expect(config.sasl).toEqual({ mechanism: 'plain', username: '$ConnectionString', password: CS });
    expect(config.requestTimeout).toBe(60_000);
    expect(config.connectionTimeout).toBe(10_000);
    expect(config.clientId).toBe('logbridge-lab');
  });

  it('lets kafka.bootstrap.servers override the derived broker', () => {
    const config = build({
      'eventhubs.connection.string': CS,
      'kafka.bootstrap.servers': 'localhost:1,localhost:2',
    });
    expect(config.brokers).toEqual(['localhost:1', 'localhost:2']);
  });

  it('trusts kafka.ssl.ca.location besides the system roots, as the docs say', () => {
    const dir = mkdtempSync(join(tmpdir(), 'logbridge-ca-'));
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBprivate\n-----END CERTIFICATE-----\n';
    writeFileSync(join(dir, 'ca.pem'), pem);
    try {
      const config = build({
        'eventhubs.connection.string': CS,
        'kafka.ssl.ca.location': join(dir, 'ca.pem'),
      });
      const ca = (config.ssl as { ca: string[] }).ca;
      expect(ca).toContain(pem);
      expect(ca).toEqual(expect.arrayContaining([...rootCertificates]));
      expect(ca).toHaveLength(rootCertificates.length + 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses plain Kafka without the preset', () => {
    const config = build({ 'kafka.bootstrap.servers': '127.0.0.1:9092' });
    expect(config.ssl).toBeUndefined();
    expect(config.sasl).toBeUndefined();
  });
});

describe('Entra ID (OAUTHBEARER)', () => {
  it('asks for a token scoped to the namespace and hands its value to kafkajs', async () => {
    const scopes: string[] = [];
    const provider = oauthBearerProvider(
      { namespace: 'acme-logs.servicebus.windows.net', clientId: undefined },
      {
        getToken: (scope) => {
          scopes.push(scope);
          return Promise.resolve({ token: 'eyJ.token', expiresOnTimestamp: Date.now() + 3_600_000 });
        },
      },
    );
    expect(await provider()).toEqual({ value: 'eyJ.token' });
    expect(scopes).toEqual(['https://acme-logs.servicebus.windows.net/.default']);
  });

  it('says which role is missing when no token comes back', async () => {
    const provider = oauthBearerProvider(
      { namespace: 'acme.servicebus.windows.net', clientId: undefined },
      { getToken: () => Promise.resolve(null) },
    );
    await expect(provider()).rejects.toThrow(/Azure Event Hubs Data Receiver/);
  });

  it('derives the broker from eventhubs.namespace with TLS', () => {
    const { values, issues } = parseOptions(
      kafkaSourceSchema,
      {
        topics: 'logs',
        'eventhubs.namespace': 'acme.servicebus.windows.net',
        'kafka.sasl.mechanism': 'oauthbearer',
      },
      'config',
    );
    expect(issues).toEqual([]);
    const config = kafkaConfig(kafkaSourceConfigFrom(values, 'lab'), pino({ level: 'silent' }));
    expect(config.brokers).toEqual(['acme.servicebus.windows.net:9093']);
    expect(config.ssl).toBe(true);
    expect(config.sasl?.mechanism).toBe('oauthbearer');
  });
});
