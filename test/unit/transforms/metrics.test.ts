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
});
