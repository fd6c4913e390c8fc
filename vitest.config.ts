import { defineConfig } from 'vitest/config';

/**
 * Three projects. `integration` and `e2e` share one global set-up that starts one real Kafka broker (PLAINTEXT and an
 * Event Hubs-like SASL_SSL listener) and one Mosquitto for the whole run; run them in one `vitest run` so the
 * broker starts once.
 *
 * Every logbridge a test starts runs one process (`LOGBRIDGE_WORKERS=1`) unless the test asks for more: the tests
 * count the members of consumer groups and the duplicates per process, and `workers=auto` would make that depend
 * on the machine. test/e2e/workers.test.ts runs two.
 */
const oneProcess = { LOGBRIDGE_WORKERS: '1' };
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          env: oneProcess,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          env: oneProcess,
          testTimeout: 600_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      thresholds: { 'src/engine/**': { lines: 90 } },
    },
  },
});
