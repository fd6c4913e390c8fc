/**
 * The lab's log generator: realistic container logs from a made-up AKS estate, as Fluent Bit `out_kafka` JSON
 * records and as raw CRI lines. The building blocks are pure and seeded, for tests and benchmarks:
 *
 * ```ts
 * const workload = createWorkload({ seed: 7 });
 * const records = Array.from({ length: 1000 }, () => workload.next()).flat();
 * ```
 * @module
 */
export { apps, clusters, type AppSpec, type ClusterSpec, type LogStyle, type Shipping } from './catalog.ts';
export {
  CRI_MAX_LINE_BYTES,
  criLinesOf,
  criLogPath,
  formatCriLine,
  rfc3339Nano,
  splitPartial,
  type CriLine,
} from './cri.ts';
export { createFleet, type Container, type Fleet, type FleetSpec, type Pod } from './fleet.ts';
export {
  fluentBitRecord,
  kubernetesMetadata,
  type FluentBitRecord,
  type KubernetesMetadata,
} from './fluent-bit.ts';
export { connectSender, kafkaConfigFor, type KafkaSender, type KafkaTarget } from './kafka-sender.ts';
export {
  longLineWriter,
  writers,
  type LineContext,
  type LogLine,
  type LogWriter,
  type Stream,
} from './logs/index.ts';
export { bearerToken, cardNumber, email, ipv4, ipv6, luhnCheckDigit, luhnValid } from './pii.ts';
export { SeededRandom } from './random.ts';
export {
  emptyCounts,
  produceAtRate,
  type ProduceAtRateOptions,
  type ProducedCounts,
  type SendRecords,
} from './rate.ts';
export {
  CRI_HEADERS,
  createWorkload,
  type LabRecord,
  type Workload,
  type WorkloadOptions,
} from './workload.ts';
