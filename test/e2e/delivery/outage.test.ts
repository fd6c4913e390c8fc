/**
 * Sink outage, for each source: the HEC server answers 503 (busy) for 60 s, then refuses connections for 30 s, while records keep
 * arriving. Nothing is lost; RSS grows by less than 20 MiB during the outage; status and metrics show the source
 * paused and the sink unhealthy; delivery resumes by itself.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { HecServer } from '../../support/hec/index.ts';
import { startLogbridge, type RunningLogbridge } from '../../support/logbridge.ts';
import { uniqueName } from '../../support/names.ts';
import { waitFor } from '../../support/wait.ts';
import { countingHec, Deliveries, produceStream } from './setup.ts';
import { deliverySource, type DeliverySource } from './sources.ts';

const RECORDS = 150_000;
const MiB = 1024 * 1024;
let source: DeliverySource | undefined;
let hec: HecServer | undefined;
let running: RunningLogbridge | undefined;

interface Status {
  connector: { state: string };
  logbridge: {
    degraded: boolean;
    in_flight: { full: boolean };
    sinks: { healthy: boolean; last_error?: { code: string } }[];
  };
}

function gauge(metrics: string, name: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(name));
  return Number(line?.split(' ').at(-1));
}

describe.each(['kafka', 'eventhubs'] as const)('sink outage (source.type=%s)', (kind) => {
  afterAll(async () => {
    await running?.kill();
    running = undefined;
    await hec?.close();
    hec = undefined;
    await source?.close();
    source = undefined;
  });

  it('pauses with flat memory through 60 s of 503 and 30 s of refused connections, then catches up', async () => {
    source = await deliverySource(kind);
    const stream = await source.stream(4);
    const deliveries = new Deliveries(RECORDS);
    hec = await countingHec(deliveries);
    const name = uniqueName('outage');
    const connector = stream.connector(name, hec, { 'errors.retry.delay.max.ms': '5000' });
    running = await startLogbridge({ connectors: [connector], env: stream.env(hec) });
    const producing = produceStream((messages) => stream.produce(messages), RECORDS, {
      slice: 1000,
      pauseMs: 50,
    });
    await waitFor(() => deliveries.total >= 10_000, 60_000, 'delivery before the outage');

    // No end of its own: the server is stopped while it still answers 503, so no request can get through between
    // the end of the 503s and the stop (a poll's window).
    const busyUntil = Date.now() + Number(process.env.OUTAGE_BUSY_MS ?? 60_000);
    const busy = hec.injectBusy();
    await waitFor(
      async () =>
        (await running?.get<Status>(`/connectors/${name}/status`))?.logbridge.in_flight.full === true,
      30_000,
      'the in-flight budget to fill',
    );
    const rssAtStart = gauge(await running.metrics(), 'logbridge_process_resident_memory_bytes');
    let rssPeak = rssAtStart;
    const sample = setInterval(() => {
      void running?.metrics().then((m) => {
        rssPeak = Math.max(rssPeak, gauge(m, 'logbridge_process_resident_memory_bytes'));
      });
    }, 1000);
    try {
      const status = await running.get<Status>(`/connectors/${name}/status`);
      expect(status.connector.state).toBe('RUNNING');
      expect(status.logbridge.degraded).toBe(true);
      expect(status.logbridge.sinks[0]?.healthy).toBe(false);
      // 503 code 9 (LB_HEC_BUSY) backs the only endpoint off, which then reads as LB_HEC_UNAVAILABLE: both retry.
      expect(['LB_HEC_BUSY', 'LB_HEC_UNAVAILABLE']).toContain(status.logbridge.sinks[0]?.last_error?.code);
      expect(gauge(await running.metrics(), 'logbridge_source_paused')).toBe(1);
      const duringBusy = deliveries.total;
      await waitFor(() => Date.now() >= busyUntil, 70_000, 'the 60 s of 503 to pass');
      expect(busy.active).toBe(true);
      await hec.stop();
      busy.remove();
      expect(deliveries.total).toBe(duringBusy);
      await new Promise((resolve) => setTimeout(resolve, Number(process.env.OUTAGE_DOWN_MS ?? 30_000)));
      await hec.start();
    } finally {
      clearInterval(sample);
    }
    const growthMiB = (rssPeak - rssAtStart) / MiB;
    console.log(
      `outage test (${kind}): RSS ${(rssAtStart / MiB).toFixed(1)} MiB at the start of the outage, peak ${(rssPeak / MiB).toFixed(1)} MiB (+${growthMiB.toFixed(1)})`,
    );
    expect(growthMiB).toBeLessThan(20);

    expect(await producing).toBe(RECORDS);
    const ends = await stream.ends();
    await waitFor(
      async () => {
        const committed = await stream.committed(name);
        return Object.entries(ends).every(([p, end]) => committed[Number(p)] === end);
      },
      180_000,
      'delivery to resume and commit the end offsets',
    );
    expect(deliveries.missing()).toEqual([]);
    expect(deliveries.distinct).toBe(RECORDS);
    const status = await running.get<Status>(`/connectors/${name}/status`);
    expect(status.logbridge.degraded).toBe(false);
    expect(gauge(await running.metrics(), 'logbridge_source_paused')).toBe(0);
  });
});
