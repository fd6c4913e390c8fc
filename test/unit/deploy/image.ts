/**
 * The runtime stage's environment as the image sets it (`ENV` lines of the Dockerfile), for the checks that run
 * logbridge's own start-up logic with it (no Docker engine here).
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helm.ts';

/** `KEY=value` pairs of the `ENV` instructions of the `runtime` stage. */
export function imageEnv(): Record<string, string> {
  const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
  const stage = text.slice(text.indexOf(' AS runtime'));
  const env: Record<string, string> = {};
  for (const line of stage.split('\n')) {
    const match = /^ENV\s+(.*)$/.exec(line.trim());
    for (const pair of match?.[1]?.split(/\s+/) ?? []) {
      const at = pair.indexOf('=');
      if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return env;
}
