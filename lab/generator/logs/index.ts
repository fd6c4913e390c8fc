/**
 * Log writers by style: what each kind of container prints.
 * @module
 */
import type { LogStyle } from '../catalog.ts';
import { ingressAccess, nginxAccess } from './access-logs.ts';
import { logbackJson, pinoJson, zapJson } from './json-logs.ts';
import { coredns, fluentBitText, log4jText, pythonText } from './text-logs.ts';
import type { LogWriter } from './writer.ts';

export { longLineWriter } from './long-line.ts';
export type { LineContext, LogLine, LogWriter, Stream } from './writer.ts';

/** The writer of each log style. */
export const writers: Readonly<Record<LogStyle, LogWriter>> = {
  'logback-json': logbackJson,
  'log4j-text': log4jText,
  'pino-json': pinoJson,
  'zap-json': zapJson,
  'python-text': pythonText,
  'nginx-access': nginxAccess,
  'ingress-access': ingressAccess,
  coredns,
  'fluent-bit-text': fluentBitText,
};
