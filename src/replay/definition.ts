/**
 * The connector a replay runs: the operator's definition with a consumer group of its own (so the live connector's
 * offsets are never read or changed), only the chosen sinks, and a marker on every event: the indexed field
 * `logbridge_replay=<id>` for HEC (`splunk.hec.json.event.enrichment`) and the user property of the same name for
 * Solace and MQTT 5 (`sol.user_properties`, `mqtt.user.properties`).
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { ConnectorDefinition } from '../config/index.ts';

/** The field / user property that marks replayed events. */
export const REPLAY_MARKER = 'logbridge_replay';

/** A new replay id: UTC time and 4 random hex digits, e.g. `20261124T081500Z-3f9a`. */
export function newReplayId(nowMs = Date.now()): string {
  const stamp = new Date(nowMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** The temporary consumer group of a replay. */
export function replayGroupId(connector: string, replayId: string): string {
  return `logbridge-replay-${connector}-${replayId}`;
}

/** What the replay changes in the definition. */
export interface ReplayChanges {
  readonly replayId: string;
  /** The sinks to re-send to; empty = all the connector's sinks. */
  readonly sinks: readonly string[];
}

/** Sink types of a definition (`sinks=…`, default `splunk-hec`, as the connector schema says). */
export function sinksOf(definition: ConnectorDefinition): string[] {
  const value = definition.config.sinks;
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : [];
  const named = list.filter((s) => s !== '');
  return named.length > 0 ? named : ['splunk-hec'];
}

/**
 * The replay's definition.
 * @throws Error naming the connector's sinks when `changes.sinks` names another.
 */
export function replayDefinition(
  definition: ConnectorDefinition,
  changes: ReplayChanges,
): ConnectorDefinition {
  const own = sinksOf(definition);
  const unknown = changes.sinks.filter((sink) => !own.includes(sink));
  if (unknown.length > 0) {
    throw new Error(`--sink ${unknown.join(', ')}: the connector's sinks are ${own.join(', ')}`);
  }
  const sinks = changes.sinks.length > 0 ? own.filter((sink) => changes.sinks.includes(sink)) : own;
  const marker = `${REPLAY_MARKER}=${changes.replayId}`;
  const config: Record<string, unknown> = {
    ...definition.config,
    sinks: sinks.join(','),
    'kafka.group.id': replayGroupId(definition.name, changes.replayId),
  };
  const append = (key: string): void => {
    const value = config[key];
    config[key] = typeof value === 'string' && value.trim() !== '' ? `${value},${marker}` : marker;
  };
  if (sinks.includes('splunk-hec')) append('splunk.hec.json.event.enrichment');
  if (sinks.includes('solace')) append('sol.user_properties');
  const mqttVersion = config['mqtt.protocol.version'];
  // MQTT 3.1.1 has no user properties: such messages cannot be marked.
  if (sinks.includes('mqtt') && (mqttVersion === undefined || mqttVersion === '5' || mqttVersion === 5)) {
    append('mqtt.user.properties');
  }
  return { name: definition.name, config };
}
