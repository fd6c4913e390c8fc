/**
 * Stack traces as each runtime prints them. Java and Python print one per line (so one exception becomes many CRI
 * lines, the multi-line case a log pipeline must cope with); JSON loggers embed them in one field.
 * @module
 */
import type { SeededRandom } from '../random.ts';

/** An exception to print. */
export interface Failure {
  readonly type: string;
  readonly message: string;
}

const javaFrames = [
  'com.acme.payments.vault.HsmClient.call(HsmClient.java:142)',
  'com.acme.payments.vault.TokenService.tokenize(TokenService.java:87)',
  'com.acme.payments.PaymentService.authorise(PaymentService.java:211)',
  'com.acme.payments.web.PaymentController.create(PaymentController.java:64)',
  'java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)',
  'java.base/java.lang.reflect.Method.invoke(Method.java:580)',
  'org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)',
  'org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)',
  'org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:140)',
  'org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1190)',
  'java.base/java.lang.Thread.run(Thread.java:1583)',
];

/** A Java stack trace, one string per printed line (frames start with a tab), sometimes with a cause. */
export function javaStackTrace(random: SeededRandom, failure: Failure): string[] {
  const depth = random.int(4, javaFrames.length);
  const lines = [
    `${failure.type}: ${failure.message}`,
    ...javaFrames.slice(0, depth).map((f) => `\tat ${f}`),
  ];
  if (random.chance(0.5)) {
    lines.push(
      'Caused by: java.net.SocketTimeoutException: Read timed out',
      '\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)',
      '\tat java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)',
      `\t... ${String(depth - 1)} more`,
    );
  }
  return lines;
}

/** A Python traceback, one string per printed line. */
export function pythonTraceback(failure: Failure): string[] {
  return [
    'Traceback (most recent call last):',
    '  File "/app/order_worker/consumer.py", line 88, in handle',
    '    shipment = build_shipment(order)',
    '  File "/app/order_worker/shipping.py", line 41, in build_shipment',
    "    address = order['shipping_address']",
    '              ~~~~~^^^^^^^^^^^^^^^^^^^^',
    `${failure.type}: ${failure.message}`,
  ];
}

/** A Node.js `error.stack`, as pino puts it in `err.stack` (newlines inside one JSON string). */
export function nodeStack(failure: Failure): string {
  return [
    `${failure.type}: ${failure.message}`,
    '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)',
    '    at async StockClient.reserve (/app/dist/stock/client.js:58:21)',
    '    at async CartService.checkout (/app/dist/cart/service.js:112:7)',
  ].join('\n');
}

/** A Go stack as zap's `stacktrace` field holds it. */
export function goStack(): string {
  return [
    'github.com/acme/auth-service/internal/jwks.(*Cache).refresh',
    '\t/src/internal/jwks/cache.go:97',
    'github.com/acme/auth-service/internal/jwks.(*Cache).run',
    '\t/src/internal/jwks/cache.go:61',
  ].join('\n');
}
