/**
 * The transforms' instrument (prom-client): one counter of outcomes, labelled by connector, transform alias and
 * outcome. Registered once per registry and shared by every connector of the process.
 * @module
 */
import { Counter, type Registry } from 'prom-client';
import type { TransformCounters } from './counters.ts';

const NAME = 'logbridge_transform_events_total';

type Labels = 'connector' | 'transform' | 'outcome';

/** Counts of one labelled child not yet added to it. */
interface Tally {
  readonly child: Counter.Internal;
  pending: number;
}

/** The tallies behind each registry's counter, added to it when it is read (a scrape, `get()`, JSON). */
const talliesOf = new WeakMap<Counter<Labels>, Set<Tally>>();

/**
 * @returns a factory of counters for the transforms of `connector`, backed by `registry`. Counting on the hot path
 *   adds to a plain number (a map lookup and an addition, per event); the counter takes the tallies whenever it is
 *   read, so every reading is exact.
 */
export function transformCountersFor(
  registry: Registry,
  connector: string,
): (transform: string) => TransformCounters {
  const counter = instrument(registry);
  const tallies = talliesOf.get(counter);
  if (tallies === undefined) throw new Error(`${NAME} was registered without its tallies`);
  return (transform) => {
    const byOutcome = new Map<string, Tally>();
    return {
      add: (outcome, count = 1) => {
        let tally = byOutcome.get(outcome);
        if (tally === undefined) {
          tally = { child: counter.labels({ connector, transform, outcome }), pending: 0 };
          byOutcome.set(outcome, tally);
          tallies.add(tally);
        }
        tally.pending += count;
      },
    };
  };
}

function instrument(registry: Registry): Counter<Labels> {
  const existing = registry.getSingleMetric(NAME);
  if (existing instanceof Counter) return existing;
  const tallies = new Set<Tally>();
  const counter = new Counter<Labels>({
    name: NAME,
    help:
      'Events by transform outcome: not_cri (passed raw), json_invalid (kept as text), partial_age and ' +
      'partial_size (partial lines sent), masked_<kind>, excluded_*, matched_<rule>…',
    labelNames: ['connector', 'transform', 'outcome'],
    registers: [registry],
    collect() {
      for (const tally of tallies) {
        if (tally.pending === 0) continue;
        tally.child.inc(tally.pending);
        tally.pending = 0;
      }
    },
  });
  talliesOf.set(counter, tallies);
  return counter;
}
