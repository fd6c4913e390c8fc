/**
 * Connector state, degradation and source and sink health as gauges, from each connector's status at every scrape:
 * what alerts fire on (charts/logbridge PrometheusRule).
 * @module
 */
import type { ConnectorState, ConnectorStatus, EngineMetrics } from '../engine/index.ts';

const STATES: readonly ConnectorState[] = ['UNASSIGNED', 'RUNNING', 'PAUSED', 'STOPPED', 'FAILED'];

/** A connector as the gauges read it. */
export interface StatusSource {
  status(): ConnectorStatus;
}

/**
 * Sets the gauges from `connectors()` at each scrape.
 * @returns the remover.
 */
export function exportStates(metrics: EngineMetrics, connectors: () => Iterable<StatusSource>): () => void {
  return metrics.addSampler(() => {
    // Reset first: a deleted connector's series go away.
    for (const gauge of [
      metrics.connectorState,
      metrics.connectorDegraded,
      metrics.sourceHealthy,
      metrics.sinkHealthy,
    ]) {
      gauge.reset();
    }
    for (const slot of connectors()) {
      const status = slot.status();
      const connector = status.name;
      for (const state of STATES) {
        metrics.connectorState.set({ connector, state }, state === status.state ? 1 : 0);
      }
      metrics.connectorDegraded.set({ connector }, status.degraded ? 1 : 0);
      if (status.source !== undefined) {
        metrics.sourceHealthy.set({ connector }, status.source.healthy ? 1 : 0);
      }
      for (const sink of status.sinks) {
        metrics.sinkHealthy.set({ connector, sink: sink.id }, sink.healthy ? 1 : 0);
      }
    }
  });
}
