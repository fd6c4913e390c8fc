import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = (file: string): string => pathToFileURL(join(import.meta.dirname, '../../../../src', file)).href;

describe('@azure/event-hubs loading', () => {
  it('happens only when an eventhubs connector opens its clients; @azure/identity only with Entra ID', () => {
    // A fresh process that records every module it resolves (ESM has no require cache to look into).
    const script = `
      import { registerHooks } from 'node:module';
      const seen = new Set();
      registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.add(r.url); return r; } });
      const loaded = (name) => [...seen].some((url) => url.includes('/node_modules/' + name + '/'));
      const { validateConnector, buildConnector } = await import(${JSON.stringify(src('worker/index.ts'))});
      const { pino } = await import('pino');
      const { Registry } = await import('prom-client');
      const { createEngineMetrics } = await import(${JSON.stringify(src('engine/index.ts'))});
      const registry = new Registry();
      const config = {
        'source.type': 'eventhubs', topics: 'logs',
        'eventhubs.connection.string': 'Endpoint=sb://ns.example/;SharedAccessKeyName=a;SharedAccessKey=b',
        'eventhubs.checkpoint.store': 'file', 'eventhubs.checkpoint.file.path': '/tmp/never-written.json',
        'splunk.hec.uri': 'https://hec.example:8088', 'splunk.hec.token': 't',
      };
      const { connector } = validateConnector({ name: 'eh', config });
      buildConnector(connector, { logger: pino({ level: 'silent' }), registry, metrics: createEngineMetrics(registry) });
      const built = loaded('@azure/event-hubs');
      const { createConsumer } = await import(${JSON.stringify(src('sources/eventhubs/client.ts'))});
      const consumer = await createConsumer(connector.source, { listOwnership: async () => [] });
      await consumer.close();
      console.log(JSON.stringify({ built, opened: loaded('@azure/event-hubs'), identity: loaded('@azure/identity'), blob: loaded('@azure/storage-blob') }));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '../../../..'),
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual({ built: false, opened: true, identity: false, blob: false });
  });
});
