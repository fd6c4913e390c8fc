import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../../src/config/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'logbridge-worker-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let count = 0;
function settings(value: unknown): string {
  count += 1;
  const file = join(dir, `worker-${String(count)}.json`);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('worker settings', () => {
  it('accepts the flat keys the reference lists, equal to the nested form', () => {
    const flat = loadWorkerConfig(
      settings({ 'rest.port': 51045, 'rest.auth.token': 't', 'log.summary_interval_ms': 0 }),
      {},
    );
    const nested = loadWorkerConfig(
      settings({ rest: { port: 51045, auth: { token: 't' } }, log: { summary_interval_ms: 0 } }),
      {},
    );
    expect(flat).toEqual(nested);
    expect(flat.rest.port).toBe(51045);
    expect(flat.log.summary_interval_ms).toBe(0);
  });

  it('accepts both forms in one file', () => {
    const config = loadWorkerConfig(settings({ rest: { host: '0.0.0.0' }, 'rest.port': 9000 }), {});
    expect(config.rest).toMatchObject({ host: '0.0.0.0', port: 9000 });
  });

  it('refuses an unknown key, flat or nested', () => {
    expect(() => loadWorkerConfig(settings({ 'rest.portx': 1 }), {})).toThrow(/rest\.portx/);
    expect(() => loadWorkerConfig(settings({ rest: { portx: 1 } }), {})).toThrow(/rest\.portx/);
  });

  it('refuses a setting given twice with different values', () => {
    expect(() => loadWorkerConfig(settings({ 'rest.port': 1, rest: { port: 2 } }), {})).toThrow(
      /rest\.port is given twice/,
    );
  });

  it('lets the environment win over the file', () => {
    const config = loadWorkerConfig(settings({ 'rest.port': 9000 }), { LOGBRIDGE_REST_PORT: '9100' });
    expect(config.rest.port).toBe(9100);
  });

  it('says which file is not JSON', () => {
    const file = settings('{"rest.port": 1,}');
    expect(() => loadWorkerConfig(file, {})).toThrow(`worker settings ${file} is not valid JSON`);
  });

  it('defaults the summary line to every 30 s', () => {
    expect(loadWorkerConfig(undefined, {}).log.summary_interval_ms).toBe(30000);
  });
});
