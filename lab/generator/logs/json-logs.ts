/**
 * JSON log writers, one line per statement: logback's logstash encoder (Java), pino (Node.js, numeric levels) and
 * zap (Go). Each carries a level the way its library spells it.
 * @module
 */
import { appMessage } from './messages.ts';
import { goStack, javaStackTrace, nodeStack } from './stack-traces.ts';
import { isoMillis } from './time-formats.ts';
import { pickLevel, type Level, type LogWriter } from './writer.ts';

const logbackLevels: Readonly<Record<Level, readonly [string, number]>> = {
  debug: ['DEBUG', 10000],
  info: ['INFO', 20000],
  warn: ['WARN', 30000],
  error: ['ERROR', 40000],
};

const javaLoggers = [
  'com.acme.payments.PaymentService',
  'com.acme.payments.acquirer.AdyenClient',
  'com.acme.payments.web.PaymentController',
];

/** logstash-logback-encoder: `@timestamp`, `level` (`INFO`), `level_value`, `stack_trace` on errors. */
export const logbackJson: LogWriter = ({ random, container, timeMs }) => {
  const message = appMessage(random, container.app, pickLevel(random));
  const [level, levelValue] = logbackLevels[message.level];
  const record = {
    '@timestamp': isoMillis(timeMs),
    '@version': '1',
    message: message.text,
    logger_name: random.pick(javaLoggers),
    thread_name: `http-nio-8080-exec-${String(random.int(1, 20))}`,
    level,
    level_value: levelValue,
    trace_id: random.hex(32),
    ...message.fields,
    ...(message.failure === undefined
      ? {}
      : { stack_trace: javaStackTrace(random, message.failure).join('\n') }),
  };
  return [{ stream: 'stdout', text: JSON.stringify(record) }];
};

const pinoLevels: Readonly<Record<Level, number>> = { debug: 20, info: 30, warn: 40, error: 50 };

/** pino: numeric `level` (30 = info), `time` in epoch ms, `err` with `stack` on errors. */
export const pinoJson: LogWriter = ({ random, container, timeMs }) => {
  const message = appMessage(random, container.app, pickLevel(random));
  const failure = message.failure;
  const record = {
    level: pinoLevels[message.level],
    time: timeMs,
    pid: 1,
    hostname: container.pod.name,
    reqId: `req-${random.chars('0123456789abcdefghijklmnopqrstuvwxyz', 6)}`,
    ...message.fields,
    ...(failure === undefined
      ? {}
      : { err: { type: failure.type, message: failure.message, stack: nodeStack(failure) } }),
    msg: message.text,
  };
  return [{ stream: 'stdout', text: JSON.stringify(record) }];
};

const goCallers = [
  'login/handler.go:88',
  'token/issuer.go:142',
  'jwks/cache.go:97',
  'server/middleware.go:51',
];

/** zap's production encoder: `level` (`info`), `ts` in epoch seconds, `caller`, `stacktrace` on errors. */
export const zapJson: LogWriter = ({ random, container, timeMs }) => {
  const message = appMessage(random, container.app, pickLevel(random));
  const record = {
    level: message.level,
    ts: timeMs / 1000 + random.int(0, 999) / 1e6,
    caller: random.pick(goCallers),
    msg: message.text,
    ...message.fields,
    ...(message.failure === undefined ? {} : { stacktrace: goStack() }),
  };
  return [{ stream: 'stderr', text: JSON.stringify(record) }];
};
