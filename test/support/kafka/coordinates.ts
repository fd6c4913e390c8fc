/**
 * How tests reach a Kafka broker: plain, serialisable data that global setup hands to test files
 * (`inject('kafka')`). Both the local broker and an external one (`KAFKA_BOOTSTRAP`) are described this way.
 */
export interface KafkaCoordinates {
  /** Kafka version of the local broker, or undefined for an external one. */
  readonly version: string | undefined;
  /** True when the tests use a broker they did not start (`KAFKA_BOOTSTRAP`): it cannot be stopped or restarted. */
  readonly external: boolean;
  /** PLAINTEXT listener, `host:port`: for test set-up (topics, producing, reading offsets). */
  readonly bootstrap: string;
  /** Event Hubs-like SASL_SSL PLAIN listener, `localhost:port`; undefined when not available. */
  readonly saslBootstrap: string | undefined;
  /**
   * Event Hubs connection string accepted by the SASL_SSL listener as the password of user `$ConnectionString`:
   * `Endpoint=sb://localhost:<port>/;SharedAccessKeyName=logbridge-test;SharedAccessKey=<random per run>`.
   * The port is in the endpoint on purpose: logbridge's Event Hubs preset honours an explicit port.
   */
  readonly connectionString: string | undefined;
  /** PEM file of the CA that signed the SASL_SSL listener's certificate; undefined to trust the system CAs. */
  readonly caFile: string | undefined;
  /** Contents of `caFile`. */
  readonly caPem: string | undefined;
  /** The broker's log (stdout and stderr of the JVM); undefined for an external broker. */
  readonly logFile: string | undefined;
}

/** The SASL_SSL part of {@link KafkaCoordinates}, once known to be there (see `requireSasl`). */
export interface SaslListener {
  readonly saslBootstrap: string;
  readonly connectionString: string;
  readonly caPem: string | undefined;
}
