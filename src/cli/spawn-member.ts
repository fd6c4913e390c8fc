/**
 * How `logbridge run` starts its member processes (`workers` > 1): `logbridge member` from this very entry point,
 * with the same Node flags and environment, a worker id of its own, no REST API and no members of its own.
 * @module
 */
import { fork } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memberWorkerId, type WorkerConfig } from '../config/index.ts';
import type { SpawnMember } from '../worker/index.ts';

/** `main.js` next to this file when built, `main.ts` when run from the sources. */
const entry = fileURLToPath(new URL(`./main${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** Spawns member `index` of the worker with settings `config` (read from `configFile`, if any). */
export function spawnMember(config: WorkerConfig, configFile: string | undefined): SpawnMember {
  return (index) =>
    fork(entry, ['member', ...(configFile === undefined ? [] : ['--config', configFile])], {
      env: {
        ...process.env,
        LOGBRIDGE_WORKER_ID: memberWorkerId(config.worker.id, index),
        LOGBRIDGE_REST_PORT: '0',
        LOGBRIDGE_WORKERS: '1',
      },
      // Statuses carry bigint offsets.
      serialization: 'advanced',
    });
}
