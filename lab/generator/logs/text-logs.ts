/**
 * Plain-text log writers: Spring Boot's console pattern (with Java stack traces, one line per frame), Python
 * logging (stderr, with tracebacks), CoreDNS query logs and Fluent Bit's own log.
 * @module
 */
import { ipv4 } from '../pii.ts';
import { appMessage } from './messages.ts';
import { javaStackTrace, pythonTraceback } from './stack-traces.ts';
import { pythonTime, slashTime, springTime } from './time-formats.ts';
import { pickLevel, type Level, type LogLine, type LogWriter } from './writer.ts';

const springLevels: Readonly<Record<Level, string>> = {
  debug: 'DEBUG',
  info: ' INFO',
  warn: ' WARN',
  error: 'ERROR',
};

/** Spring Boot: `2025-01-02 15:04:05.123  INFO 1 --- [nio-8080-exec-3] c.a.p.v.TokenService : …` + stack trace. */
export const log4jText: LogWriter = ({ random, container, timeMs }) => {
  const message = appMessage(random, container.app, pickLevel(random));
  const thread = `nio-8080-exec-${String(random.int(1, 20))}`.padStart(15);
  const logger = random.pick([
    'c.a.p.vault.TokenService',
    'c.a.p.vault.HsmClient',
    'c.a.p.vault.web.VaultController',
  ]);
  const head = `${springTime(timeMs)} ${springLevels[message.level]} 1 --- [${thread}] ${logger.padEnd(35)} : ${message.text}`;
  const trace = message.failure === undefined ? [] : javaStackTrace(random, message.failure);
  return [head, ...trace].map((text) => ({ stream: 'stdout', text }));
};

/** Python logging's StreamHandler: everything on stderr, tracebacks one line per frame. */
export const pythonText: LogWriter = ({ random, container, timeMs }) => {
  const message = appMessage(random, container.app, pickLevel(random));
  const level = message.level === 'warn' ? 'WARNING' : message.level.toUpperCase();
  const module = random.pick(['order_worker.consumer', 'order_worker.shipping', 'order_worker.db']);
  const head = `${pythonTime(timeMs)} ${level} ${module}: ${message.text}`;
  const trace = message.failure === undefined ? [] : pythonTraceback(message.failure);
  return [head, ...trace].map((text) => ({ stream: 'stderr', text }));
};

const dnsNames = [
  'payment-api.payments.svc.cluster.local.',
  'cart-service.checkout.svc.cluster.local.',
  'login.microsoftonline.com.',
  'acme-logs.servicebus.windows.net.',
  'api.example.com.',
];

/** CoreDNS `log` plugin query lines, and the `errors` plugin now and then. */
export const coredns: LogWriter = ({ random }) => {
  const client = `${ipv4(random)}:${String(random.int(30000, 60999))}`;
  const name = random.pick(dnsNames);
  if (random.chance(0.05)) {
    const text = `[ERROR] plugin/errors: 2 ${name} A: read udp ${client}->168.63.129.16:53: i/o timeout`;
    return [{ stream: 'stdout', text }];
  }
  const type = random.pick(['A', 'AAAA', 'SRV']);
  const rcode = name.endsWith('cluster.local.') || random.chance(0.9) ? 'NOERROR' : 'NXDOMAIN';
  const seconds = (random.int(30_000, 4_000_000) / 1e9).toFixed(9);
  const text = `[INFO] ${client} - ${String(random.int(1, 65535))} "${type} IN ${name} udp 41 false 512" ${rcode} qr,aa,rd 130 ${seconds}s`;
  return [{ stream: 'stdout', text }];
};

/** Fluent Bit's own log (the shipper logs too): tail watches, retries, Kafka disconnects. */
export const fluentBitText: LogWriter = ({ random, timeMs }) => {
  const at = `[${slashTime(timeMs)}]`;
  const roll = random.next();
  let text: string;
  if (roll < 0.7) {
    text = `${at} [ info] [input:tail:tail.0] inotify_fs_add(): inode=${String(random.int(100000, 999999))} watch_fd=${String(random.int(1, 80))} name=/var/log/containers/${random.hex(8)}.log`;
  } else if (roll < 0.95) {
    text = `${at} [ warn] [engine] failed to flush chunk '1-${String(Math.floor(timeMs / 1000))}.${String(random.int(100000000, 999999999))}.flb', retry in ${String(random.int(5, 60))} seconds: task_id=${String(random.int(0, 9))}, input=tail.0 > output=kafka.0 (out_id=0)`;
  } else {
    text = `${at} [error] [output:kafka:kafka.0] fluent-bit#producer-1: [thrd:sasl_ssl://acme-logs.servicebus.windows.net:9093/bootstrap]: sasl_ssl://acme-logs.servicebus.windows.net:9093/0: Disconnected (after 240012ms in state UP)`;
  }
  const line: LogLine = { stream: 'stderr', text };
  return [line];
};
