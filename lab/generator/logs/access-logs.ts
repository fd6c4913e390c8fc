/**
 * HTTP access logs: nginx's `combined` format (with its error log on stderr) and ingress-nginx's `upstreaminfo`
 * format (with the controller's klog lines on stderr). Client addresses are IPv4 or IPv6; some query strings carry
 * e-mail addresses, as real ones do.
 * @module
 */
import { email, ipv4, ipv6 } from '../pii.ts';
import type { SeededRandom } from '../random.ts';
import { klogTime, nginxLocalTime, slashTime } from './time-formats.ts';
import type { LogWriter } from './writer.ts';

const userAgents = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'kube-probe/1.30',
  'okhttp/4.12.0',
  'curl/8.5.0',
];

interface Request {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly bytes: number;
}

function request(random: SeededRandom): Request {
  const roll = random.next();
  let path: string;
  if (roll < 0.05) path = `/api/users?email=${encodeURIComponent(email(random))}`;
  else if (roll < 0.07) path = `/account/reset-password?email=${email(random)}`;
  else
    path = random.pick([
      '/',
      '/checkout',
      '/cart',
      '/api/cart/items',
      '/api/payments',
      '/healthz',
      '/static/app.js',
    ]);
  const method = path.startsWith('/api/payments') || random.chance(0.1) ? 'POST' : 'GET';
  const statusRoll = random.next();
  const status = statusRoll < 0.9 ? 200 : statusRoll < 0.95 ? 404 : statusRoll < 0.98 ? 502 : 500;
  return { method, path, status, bytes: random.int(0, 48_000) };
}

function client(random: SeededRandom): string {
  return random.chance(0.2) ? ipv6(random) : ipv4(random);
}

/** nginx `combined`, and now and then an `[error]` line on stderr. */
export const nginxAccess: LogWriter = ({ random, timeMs }) => {
  const from = client(random);
  const r = request(random);
  if (r.status >= 502 && random.chance(0.5)) {
    const text = `${slashTime(timeMs)} [error] 29#29: *${String(random.int(1, 99999))} upstream timed out (110: Connection timed out) while reading response header from upstream, client: ${from}, server: _, request: "${r.method} ${r.path} HTTP/1.1", upstream: "http://127.0.0.1:3000${r.path}", host: "shop.example.com"`;
    return [{ stream: 'stderr', text }];
  }
  const referer = random.chance(0.5) ? 'https://shop.example.com/cart' : '-';
  const text = `${from} - - [${nginxLocalTime(timeMs)}] "${r.method} ${r.path} HTTP/1.1" ${String(r.status)} ${String(r.bytes)} "${referer}" "${random.pick(userAgents)}"`;
  return [{ stream: 'stdout', text }];
};

const upstreams = ['checkout-checkout-web-80', 'payments-payment-api-8080', 'identity-auth-service-8080'];

/** ingress-nginx `upstreaminfo`, and the controller's klog lines on stderr. */
export const ingressAccess: LogWriter = ({ random, timeMs }) => {
  if (random.chance(0.03)) {
    const text = `I${klogTime(timeMs, random.int(0, 999999))}       7 controller.go:213] "Backend successfully reloaded" ingress="checkout/shop"`;
    return [{ stream: 'stderr', text }];
  }
  const r = request(random);
  const upstream = random.pick(upstreams);
  const upstreamAddr = `10.244.${String(random.int(0, 15))}.${String(random.int(2, 254))}:8080`;
  const seconds = (random.int(1, 2500) / 1000).toFixed(3);
  const text =
    `${client(random)} - - [${nginxLocalTime(timeMs)}] "${r.method} ${r.path} HTTP/2.0" ${String(r.status)} ${String(r.bytes)} ` +
    `"-" "${random.pick(userAgents)}" ${String(random.int(40, 900))} ${seconds} [${upstream}] [] ${upstreamAddr} ` +
    `${String(r.bytes)} ${seconds} ${String(r.status)} ${random.hex(32)}`;
  return [{ stream: 'stdout', text }];
};
