import { afterEach, describe, expect, it, vi } from 'vitest';
import { readLabConnector, resolveLabValue } from '../../../lab/orchestrator/connector.ts';
import { LAB_TOPICS } from '../../../lab/orchestrator/start.ts';
import { readDefinitionFile } from '../../../src/config/index.ts';
import { validateConnector } from '../../../src/worker/index.ts';

const file = new URL('../../../connectors/lab.json', import.meta.url).pathname;
const amqpFile = new URL('../../../connectors/lab-amqp.json', import.meta.url).pathname;

/** What the lab puts in logbridge's environment (lab.env), with made-up values. */
const labEnv = {
  LAB_EVENTHUBS_CONNECTION_STRING:
    'Endpoint=sb://localhost:19093/;SharedAccessKeyName=lab;SharedAccessKey=a2V5',
  LAB_KAFKA_CA_FILE: '/tmp/lab-ca.pem',
  LAB_HEC_URI: 'http://127.0.0.1:8088',
  LAB_MQTT_URL: 'mqtt://127.0.0.1:1883',
  LAB_HEC_TOKEN: '1ab1ab1a-b000-4000-8000-00000000000c',
};

/** What the lab adds for the AMQP connector, with made-up values. */
const amqpEnv = {
  LAB_AMQP_CONNECTION_STRING:
    'Endpoint=sb://logbridge-lab.servicebus.windows.net/;SharedAccessKeyName=lab;SharedAccessKey=a2V5',
  LAB_AMQP_ENDPOINT: 'amqps://localhost:5671',
  LAB_AMQP_CA_FILE: '/tmp/lab-amqp-ca.pem',
  LAB_AMQP_CHECKPOINT_FILE: '/tmp/lab-out/amqp-checkpoints.json',
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('connectors/lab.json', () => {
  it('is a valid connector once the lab has set its variables, using the Event Hubs preset', () => {
    for (const [name, value] of Object.entries(labEnv)) vi.stubEnv(name, value);
    const { definition } = readDefinitionFile(file);
    expect(definition).toBeDefined();
    const { connector, issues } = validateConnector(definition ?? { name: '', config: {} });
    expect(issues).toEqual([]);
    expect(connector?.source.connectionString?.reveal()).toBe(labEnv.LAB_EVENTHUBS_CONNECTION_STRING);
    expect(connector?.source.caFile).toBe(labEnv.LAB_KAFKA_CA_FILE);
    expect(connector?.common['errors.tolerance']).toBe('all');
  });

  it('reads both generator topics and names a dead-letter topic for the lab to create', () => {
    const connector = readLabConnector(file);
    expect(connector.name).toBe('lab');
    expect(connector.topics).toEqual(expect.arrayContaining([LAB_TOPICS.fluentBit, LAB_TOPICS.cri]));
    expect(connector.deadLetterTopic).not.toBe('');
    expect(connector.topics).not.toContain(connector.deadLetterTopic);
  });
});

describe('connectors/lab-amqp.json', () => {
  it('is a valid eventhubs connector once the lab has set its variables, with a file checkpoint store', () => {
    for (const [name, value] of Object.entries({ ...labEnv, ...amqpEnv })) vi.stubEnv(name, value);
    const { definition } = readDefinitionFile(amqpFile);
    expect(definition).toBeDefined();
    const { connector, issues } = validateConnector(definition ?? { name: '', config: {} });
    expect(issues).toEqual([]);
    expect(connector?.sourceType).toBe('eventhubs');
    expect(connector?.source).toMatchObject({
      eventHub: 'fluentbit-amqp',
      groupId: 'logbridge-lab-amqp',
      namespace: 'logbridge-lab.servicebus.windows.net',
      endpointAddress: amqpEnv.LAB_AMQP_ENDPOINT,
      caFile: amqpEnv.LAB_AMQP_CA_FILE,
      checkpointStore: { kind: 'file', path: amqpEnv.LAB_AMQP_CHECKPOINT_FILE },
    });
  });

  it('reads as an eventhubs connector with the default group, its hub and its checkpoint file', () => {
    const connector = readLabConnector(amqpFile, 'LAB_AMQP_CONNECTOR');
    expect(connector).toMatchObject({
      name: 'lab-amqp',
      source: 'eventhubs',
      topics: ['fluentbit-amqp'],
      groupId: 'logbridge-lab-amqp',
      deadLetterTopic: 'logbridge-lab-amqp-dlq',
      checkpointFile: '${env:LAB_AMQP_CHECKPOINT_FILE}',
    });
    expect(resolveLabValue(connector.checkpointFile, amqpEnv)).toBe(amqpEnv.LAB_AMQP_CHECKPOINT_FILE);
    expect(readLabConnector(file)).toMatchObject({ source: 'kafka', checkpointFile: '' });
  });
});

describe('resolveLabValue', () => {
  it('takes a whole-value env reference from the lab env, and anything else as written', () => {
    expect(resolveLabValue('${env:X}', { X: '/a' })).toBe('/a');
    expect(resolveLabValue('${env:Y}', { X: '/a' })).toBe('');
    expect(resolveLabValue('/lab/out/c.json', {})).toBe('/lab/out/c.json');
    expect(resolveLabValue('pre-${env:X}', { X: '/a' })).toBe('pre-${env:X}');
  });
});
