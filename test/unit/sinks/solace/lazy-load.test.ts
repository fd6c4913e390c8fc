import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = (file: string): string => pathToFileURL(join(import.meta.dirname, '../../../../src', file)).href;

describe('solclientjs loading', () => {
  it('happens only when a solace sink connects, not when the sink registry is imported', () => {
    // A fresh process: the test runner's own module cache already holds solclientjs for other test files.
    const script = `
      import { createRequire } from 'node:module';
      const cache = createRequire(import.meta.url).cache;
      const loaded = () => Object.keys(cache).some((k) => k.includes('/solclientjs/'));
      const { sinkSpecs } = await import(${JSON.stringify(src('sinks/index.ts'))});
      const before = loaded();
      const { loadSolclient } = await import(${JSON.stringify(src('sinks/solace/solclient.ts'))});
      const { pino } = await import('pino');
      await loadSolclient(pino({ level: 'silent' }));
      console.log(JSON.stringify({ types: sinkSpecs.map((s) => s.type), before, after: loaded() }));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '../../../..'),
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual({
      types: ['splunk-hec', 'solace', 'mqtt'],
      before: false,
      after: true,
    });
  });
});
