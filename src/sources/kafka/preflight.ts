/**
 * A TLS handshake with the first broker before kafkajs starts: kafkajs retries every connection error for minutes,
 * but an untrusted certificate is a configuration problem that retrying cannot fix, so it fails the connector at once
 * with a message that says what to set.
 * @module
 */
import { isIP } from 'node:net';
import { connect } from 'node:tls';
import type { KafkaConfig } from 'kafkajs';
import { classifyKafkaError } from './errors.ts';

/**
 * Resolves once a TLS handshake with the first broker verified its certificate, or when the failure is not about
 * trust (kafkajs then retries as usual).
 * @throws KafkaTlsError when the certificate is not trusted or does not name the host.
 */
export async function checkBrokerTls(config: KafkaConfig, timeoutMs: number): Promise<void> {
  const brokers = Array.isArray(config.brokers) ? config.brokers : [];
  const first = brokers[0];
  if (config.ssl === undefined || config.ssl === false || first === undefined) return;
  const at = first.lastIndexOf(':');
  const host = first.slice(0, at);
  const port = Number(first.slice(at + 1));
  const ca = typeof config.ssl === 'object' ? config.ssl.ca : undefined;
  const failure = await new Promise<Error | undefined>((resolve) => {
    const socket = connect({
      host,
      port,
      // SNI takes host names only (RFC 6066): Node warns (DEP0123) when given an IP address. kafkajs does the same.
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ...(ca === undefined ? {} : { ca }),
      timeout: timeoutMs,
    });
    socket.once('secureConnect', () => {
      socket.end();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', resolve);
  });
  if (failure === undefined) return;
  const classified = classifyKafkaError(failure, `connect to ${first}`);
  if (classified.disposition === 'fatal') throw classified;
}
