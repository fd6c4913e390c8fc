import { afterEach, describe, expect, it, vi } from 'vitest';
import { readLabConnector } from '../../../lab/orchestrator/connector.ts';
import { LAB_TOPICS } from '../../../lab/orchestrator/start.ts';
import { readDefinitionFile } from '../../../src/config/index.ts';
import { validateConnector } from '../../../src/worker/index.ts';

const file = new URL('../../../connectors/lab.json', import.meta.url).pathname;

/** What the lab puts in logbridge's environment (lab.env), with made-up values. */
const labEnv = {
  LAB_EVENTHUBS_CONNECTION_STRING:
    'Endpoint=sb://localhost:19093/;SharedAccessKeyName=lab;SharedAccessKey=a2V5',
  LAB_KAFKA_CA_FILE: '/tmp/lab-ca.pem',
  LAB_HEC_URI: 'http://127.0.0.1:8088',
  LAB_MQTT_URL: 'mqtt://127.0.0.1:1883',
  LAB_HEC_TOKEN: '1ab1ab1a-b000-4000-8000-00000000000c',
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
