/**
 * The transforms' instrument (prom-client): one counter of outcomes, labelled by connector, transform alias and
 * outcome. Registered once per registry and shared by every connector of the process.
 * @module
 */
import { Counter, type Registry } from 'prom-client';
import type { TransformCounters } from './counters.ts';

const NAME = 'logbridge_transform_events_total';

type Labels = 'connector' | 'transform' | 'outcome';

/**
 * @returns a factory of counters for the transforms of `connector`, backed by `registry`. Each counter caches its
 *   labelled children, so counting on the hot path costs a map lookup.
 */
export function transformCountersFor(
  registry: Registry,
  connector: string,
): (transform: string) => TransformCounters {
  const counter = instrument(registry);
  return (transform) => {
    const children = new Map<string, Counter.Internal>();
    return {
      add: (outcome, count = 1) => {
        let child = children.get(outcome);
        if (child === undefined) {
          child = counter.labels({ connector, transform, outcome });
          children.set(outcome, child);
        }
        child.inc(count);
      },
    };
  };
}

function instrument(registry: Registry): Counter<Labels> {
  const existing = registry.getSingleMetric(NAME);
  if (existing instanceof Counter) return existing;
  return new Counter({
    name: NAME,
    help:
      'Events by transform outcome: not_cri (passed raw), json_invalid (kept as text), partial_age and ' +
      'partial_size (partial lines sent), masked_<kind>, excluded_*, matched_<rule>…',
    labelNames: ['connector', 'transform', 'outcome'],
    registers: [registry],
  });
}
