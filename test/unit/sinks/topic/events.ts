import type { JsonObject, LogEvent } from '../../../../src/engine/index.ts';
import { record } from '../../engine/records.ts';

/** The seed hierarchy's fields, as the kubernetes transform sets them. */
export function k8sBody(cluster: string, app: string, container: string, level = 'info'): JsonObject {
  return {
    log: `hello from ${app}`,
    level,
    kubernetes: {
      cluster,
      container_name: `${app}-main`,
      container_id: container,
      labels: { app },
    },
  };
}

/** An event for sink unit tests. */
export function event(body: JsonObject | string, overrides: Partial<LogEvent> = {}): LogEvent {
  return { record: record('logs', 3, 42), body, timeMs: 1_700_000_000_123, meta: {}, ...overrides };
}
