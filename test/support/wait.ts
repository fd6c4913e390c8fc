/**
 * Polling with a deadline, for conditions that real peers reach asynchronously (never a fixed sleep).
 */

/**
 * Resolves when `check` returns true; polls every `intervalMs`.
 * @throws Error naming `what` when the deadline passes
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  intervalMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
