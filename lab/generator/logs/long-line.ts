/**
 * Very long lines: a service dumping a whole response body at debug level. Longer than the container runtime's
 * line limit (16 KiB in containerd), so the CRI log file holds them as `P` fragments followed by an `F`. Some carry
 * non-ASCII text, so a fragment boundary can fall inside a UTF-8 sequence, as it does on real nodes.
 * @module
 */
import { email } from '../pii.ts';
import type { SeededRandom } from '../random.ts';
import type { LogWriter } from './writer.ts';

const names = [
  'Zoë Müller',
  'Łukasz Kowalski',
  'Amélie Dubois',
  '佐藤 健二',
  'Ольга Иванова',
  'Sofía García',
];

function item(random: SeededRandom, international: boolean): Record<string, unknown> {
  return {
    sku: `SKU-${String(random.int(10000, 99999))}`,
    title: international ? `Geschenkkarte für ${random.pick(names)}` : 'Gift card',
    quantity: random.int(1, 5),
    unitPriceMinor: random.int(99, 99_999),
  };
}

/**
 * A single JSON line of `minBytes` to `maxBytes` (UTF-8) logging a large response body.
 * @param minBytes smallest size, bytes @default 18_000
 * @param maxBytes largest size, bytes (approximate: the last item may pass it) @default 60_000
 */
export function longLineWriter(minBytes = 18_000, maxBytes = 60_000): LogWriter {
  return ({ random, container, timeMs }) => {
    const target = random.int(minBytes, maxBytes);
    const international = random.chance(0.5);
    const items: Record<string, unknown>[] = [];
    const record = {
      level: 'debug',
      time: new Date(timeMs).toISOString(),
      logger: `${container.app}.http.client`,
      msg: 'response body',
      customer: email(random),
      body: { items },
    };
    // Grown item by item, counting bytes as it goes (stringifying the whole record each time would be quadratic).
    let bytes = Buffer.byteLength(JSON.stringify(record));
    while (bytes < target) {
      const next = item(random, international);
      items.push(next);
      bytes += Buffer.byteLength(JSON.stringify(next)) + 1;
    }
    return [{ stream: 'stdout', text: JSON.stringify(record) }];
  };
}
