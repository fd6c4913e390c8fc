import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root (the folder holding package.json). */
export const repoRoot: string = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

/** Ignored cache for downloaded tools (`.cache/`): Kafka jars live in `.cache/kafka/<version>/libs`. */
export const cacheDir = `${repoRoot}/.cache`;

/** Ignored scratch space for test peers (`.tmp/`): broker data, generated config, logs. */
export const scratchRoot = `${repoRoot}/.tmp`;
