import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SummaryLog } from '../../../src/cli/summary.ts';
import { type ConnectorStatus, createEngineMetrics } from '../../../src/engine/index.ts';
import { exportStates } from '../../../src/worker/state-metrics.ts';

const status: ConnectorStatus = {
  name: 'lab',
  state: 'RUNNING',
  degraded: true,
  source: { id: 'kafka', healthy: true },
  inFlight: { records: 40, unsettled: 12, bytes: 4096, full: false },
  partitions: [],
  offsets: [
    { topic: 't', partition: 0, committed: 90n, end: 100n, start: 0n, lag: 10n, committedAboveEnd: false },
    { topic: 't', partition: 1, committed: 50n, end: 52n, start: 0n, lag: 2n, committedAboveEnd: false },
  ],
  sinks: [
    { id: 'splunk-hec', healthy: true, retrying: 0 },
    { id: 'mqtt', healthy: false, retrying: 1, lastError: { code: 'LB_MQTT_CONNECT', message: 'refused' } },
  ],
};

function setup(): { registry: Registry; lines: Record<string, unknown>[]; summary: SummaryLog } {
  const registry = new Registry();
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const source = { names: () => ['lab'], slot: () => ({ status: () => status }), registry };
  return { registry, lines, summary: new SummaryLog(source, logger, 30_000) };
}

describe('summary log line', () => {
  it('logs records in and events out per sink since the last line, lag, in flight, dead letters, health', async () => {
    const { registry, lines, summary } = setup();
    const metrics = createEngineMetrics(registry);
    metrics.recordsReceived.inc({ connector: 'lab' }, 1000);
    await summary.log();
    metrics.recordsReceived.inc({ connector: 'lab' }, 600);
    metrics.eventsSent.inc({ connector: 'lab', sink: 'splunk-hec', outcome: 'delivered' }, 590);
    metrics.eventsSent.inc({ connector: 'lab', sink: 'splunk-hec', outcome: 'rejected' }, 10);
    metrics.deadLetters.inc({ connector: 'lab', stage: 'TASK_PUT', reason: 'LB_HEC_INVALID_EVENT' }, 10);
    await summary.log();
    const last = lines.at(-1);
    expect(last).toMatchObject({
      component: 'summary',
      connector: 'lab',
      state: 'RUNNING',
      degraded: true,
      records_in: 600,
      lag: 12,
      in_flight: 40,
      dead_letters: 10,
      source_healthy: true,
      sinks: [
        { id: 'splunk-hec', delivered: 590, rejected: 10, healthy: true },
        { id: 'mqtt', delivered: 0, rejected: 0, healthy: false, last_error: 'LB_MQTT_CONNECT' },
      ],
    });
    expect(String(last?.msg)).toMatch(
      /^summary lab RUNNING \(degraded\) · in 600 \([\d.]+\/s\) · kafka ok · splunk-hec 590 out \([\d.]+\/s\) ok · mqtt 0 out \(0\/s\) unhealthy LB_MQTT_CONNECT · lag 12 · in flight 40 · dead letters 10$/,
    );
  });

  it('is off with an interval of 0', () => {
    const { registry, lines } = setup();
    const off = new SummaryLog(
      { names: () => ['lab'], slot: () => ({ status: () => status }), registry },
      pino({ level: 'silent' }),
      0,
    );
    off.start();
    off.stop();
    expect(lines).toEqual([]);
  });
});

describe('state gauges', () => {
  it('export state, degradation, source and sink health for alerts', async () => {
    const registry = new Registry();
    const metrics = createEngineMetrics(registry);
    exportStates(metrics, () => [{ status: () => status }]);
    const text = await registry.metrics();
    expect(text).toContain('logbridge_connector_state{connector="lab",state="RUNNING"} 1');
    expect(text).toContain('logbridge_connector_state{connector="lab",state="FAILED"} 0');
    expect(text).toContain('logbridge_connector_degraded{connector="lab"} 1');
    expect(text).toContain('logbridge_source_healthy{connector="lab"} 1');
    expect(text).toContain('logbridge_sink_healthy{connector="lab",sink="mqtt"} 0');
    expect(text).toContain('logbridge_sink_healthy{connector="lab",sink="splunk-hec"} 1');
  });
});
