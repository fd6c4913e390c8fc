import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { transformCountersFor } from '../../../src/transforms/index.ts';

describe('transform counters', () => {
  it('count outcomes by connector, transform and outcome, on one instrument per registry', async () => {
    const registry = new Registry();
    transformCountersFor(registry, 'lab')('mask').add('masked_email', 2);
    const again = transformCountersFor(registry, 'other')('cri');
    again.add('not_cri');
    again.add('not_cri');
    const text = await registry.metrics();
    expect(text).toContain(
      'logbridge_transform_events_total{connector="lab",transform="mask",outcome="masked_email"} 2',
    );
    expect(text).toContain(
      'logbridge_transform_events_total{connector="other",transform="cri",outcome="not_cri"} 2',
    );
  });

  it('are exact at every reading: text, JSON and get(), counts added since the last one included', async () => {
    const registry = new Registry();
    const counters = transformCountersFor(registry, 'lab')('mask');
    const value = async (): Promise<number | undefined> => {
      const metric = registry.getSingleMetric('logbridge_transform_events_total');
      return (await metric?.get())?.values.find((v) => v.labels.outcome === 'masked_ipv4')?.value;
    };
    counters.add('masked_ipv4');
    expect(await value()).toBe(1);
    counters.add('masked_ipv4', 3);
    const [json] = await registry.getMetricsAsJSON();
    expect(json?.values).toEqual([expect.objectContaining({ value: 4 })]);
    counters.add('masked_ipv4');
    expect(await registry.metrics()).toContain('outcome="masked_ipv4"} 5');
    expect(await value()).toBe(5);
  });
});
