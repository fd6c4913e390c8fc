/**
 * Small HTTP reads the lab makes: readiness probes and logbridge's status.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import type { GuardedProcess } from '../../test/support/process.ts';

/** GETs a URL; status 0 when nothing answered. Never throws. */
export async function httpGet(url: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  try {
    const response = await request(url, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    return { status: response.statusCode, body: await response.body.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

/**
 * Polls `check` every 200 ms until it returns true.
 * @returns `'ready'`, `'exited'` when `process` exited first, or `'timeout'`
 */
export async function waitUntil(
  check: () => Promise<boolean>,
  options: { readonly timeoutMs: number; readonly process?: GuardedProcess; readonly signal?: AbortSignal },
): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    if (options.process?.exitStatus !== undefined) return 'exited';
    if (await check()) return 'ready';
    if (performance.now() > deadline || options.signal?.aborted === true) return 'timeout';
    await sleep(200);
  }
}
