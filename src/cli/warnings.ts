/**
 * Process warnings: which one logbridge contains (a harmless one of kafkajs) and how the others are printed (one
 * line, as Node prints them without a listener, not a stack trace).
 * @module
 */

/**
 * True for kafkajs 2.2.4's negative throttle-check timeout (`src/network/requestQueue/index.js`): it schedules
 * `setTimeout(check, throttledUntil - Date.now())` with `throttledUntil = -1` until a broker throttles it.
 */
export function isKafkajsNegativeTimeout(warning: Error): boolean {
  return (
    warning.name === 'TimeoutNegativeWarning' &&
    /[/\\]kafkajs[/\\]src[/\\]network[/\\]requestQueue[/\\]/.test(warning.stack ?? '')
  );
}

/** `[DEP0123] DeprecationWarning: …` or `TimeoutNegativeWarning: …`, one line. */
export function warningText(warning: Error): string {
  const code = (warning as { code?: unknown }).code;
  return `${typeof code === 'string' ? `[${code}] ` : ''}${warning.name}: ${warning.message}`;
}

/**
 * Replaces Node's warning printer with one that prints every warning on one line on stderr, except kafkajs'
 * negative throttle-check timeout ({@link isKafkajsNegativeTimeout}): that cause is in kafkajs, not ours to fix.
 */
export function containKafkajsWarnings(): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (!isKafkajsNegativeTimeout(warning))
      console.error(`(node:${String(process.pid)}) ${warningText(warning)}`);
  });
}
