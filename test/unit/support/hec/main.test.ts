import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNEL, envelopes, send } from './hec-client.ts';

const TOKEN = 'secret-lab-token';
const MAIN = new URL('../../../support/hec/main.ts', import.meta.url).pathname;

describe('standalone HEC server (main.ts)', () => {
  it('prints its URL, serves, writes JSON lines, and stops cleanly on SIGTERM', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hec-main-')), 'hec-events.jsonl');
    const args = ['--port', '0', '--token', TOKEN, '--ack', '--index', 'main,apps', '--out', out];
    const child = spawn(process.execPath, [MAIN, ...args]);
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.once('exit', (code) => {
        reject(new Error(`exited early with ${String(code)}: ${stdout}`));
      });
    });
    const body = envelopes({ event: 'hello', index: 'apps' });
    const reply = await send(url, '/services/collector/event', {
      token: TOKEN,
      channel: CHANNEL,
      body,
    });
    expect(reply.json).toEqual({ text: 'Success', code: 0, ackId: 0 });
    const refused = await send(url, '/services/collector/event', {
      token: TOKEN,
      channel: CHANNEL,
      body: envelopes({ event: 'x', index: 'other' }),
    });
    expect(refused.json).toMatchObject({ code: 7 });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('SIGTERM: stopped after 1 events');
    expect(stdout).not.toContain(TOKEN);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ event: 'hello', index: 'apps', ackId: 0 });
  });

  it('exits with status 2 and the usage on a bad option', async () => {
    const child = spawn(process.execPath, [MAIN, '--no-such-option']);
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: node test/support/hec/main.ts');
  });
});
