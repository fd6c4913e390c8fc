/**
 * Secrets never appear in any REST response, log line or metric: logbridge runs with an Event Hubs connection string,
 * a HEC token, a REST token and a mask secret, and every answer and the whole log are searched for them.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { startHecServer, type HecServer } from '../support/hec/index.ts';
import { createTopic, produce, requireSasl } from '../support/kafka/index.ts';
import { startLogbridge, type RunningLogbridge } from '../support/logbridge.ts';
import { uniqueName } from '../support/names.ts';
import { kafkaPeer } from '../support/peers.ts';
import { waitFor } from '../support/wait.ts';

const kafka = kafkaPeer();
let hec: HecServer | undefined;
let running: RunningLogbridge | undefined;

afterAll(async () => {
  await running?.kill();
  await hec?.close();
});

describe('secrets', () => {
  it('never show in REST answers, logs or metrics', async () => {
    const sasl = requireSasl(kafka);
    const hecToken = '7d3c1c4e-5b9a-4f55-9d1e-6c3f0a9e2b71';
    hec = await startHecServer({ tokens: { [hecToken]: {} } });
    const restToken = 'rest-token-that-must-not-leak-4242';
    const maskSecret = 'mask-hmac-secret-that-must-not-leak';
    const sharedKey = /SharedAccessKey=([^;]+)/.exec(sasl.connectionString)?.[1] ?? '';
    expect(sharedKey.length).toBeGreaterThan(8);
    const topic = await createTopic(kafka, { partitions: 1 });
    await produce(kafka, topic, [{ value: JSON.stringify({ log: 'user alice@example.com logged in' }) }]);
    const name = uniqueName('secrets');
    running = await startLogbridge({
      connectors: [
        {
          name,
          config: {
            topics: topic,
            'eventhubs.connection.string': '${env:EH_CS}',
            ...(kafka.caFile === undefined ? {} : { 'kafka.ssl.ca.location': kafka.caFile }),
            'splunk.hec.uri': hec.url,
            'splunk.hec.token': '${env:HEC_TOKEN}',
            transforms: 'mask',
            'transforms.mask.type': 'mask',
            'transforms.mask.mode': 'hash',
            'transforms.mask.hash.secret': '${env:MASK_SECRET}',
          },
        },
      ],
      env: {
        EH_CS: sasl.connectionString,
        HEC_TOKEN: hecToken,
        MASK_SECRET: maskSecret,
        LOGBRIDGE_REST_AUTH_TOKEN: restToken,
      },
      readyHeaders: { authorization: `Bearer ${restToken}` },
    });
    await waitFor(() => hec?.count === 1, 60_000, 'the event at HEC');
    const auth = { authorization: `Bearer ${restToken}` };
    const answers: string[] = [];
    for (const path of [
      '/',
      '/connectors',
      '/connectors?expand=status&expand=info',
      `/connectors/${name}`,
      `/connectors/${name}/config`,
      `/connectors/${name}/status`,
      `/connectors/${name}/tasks`,
      '/connector-plugins',
      '/metrics',
      '/admin/loggers',
    ]) {
      const response = await request(running.restUrl + path, { headers: auth });
      expect(response.statusCode, path).toBe(200);
      answers.push(await response.body.text());
    }
    const validate = await request(`${running.restUrl}/connector-plugins/logbridge/config/validate`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        topics: topic,
        'splunk.hec.token': hecToken,
        'eventhubs.connection.string': sasl.connectionString,
      }),
    });
    answers.push(await validate.body.text());
    expect((await running.stop()).code).toBe(0);
    const log = await readFile(running.logFile, 'utf8');
    expect(log).toContain('"msg":"logbridge running"');
    for (const secret of [sharedKey, hecToken, restToken, maskSecret, sasl.connectionString]) {
      for (const answer of answers) expect(answer).not.toContain(secret);
      expect(log).not.toContain(secret);
    }
    expect(answers.join('\n')).toContain('[hidden]');
    expect(JSON.stringify(hec.events[0]?.event)).not.toContain('alice@example.com');
  });
});
