/**
 * The generator as the lab runs it: in the supervisor's process, producing over the Event Hubs-like SASL_SSL
 * listener with the connection string (the path logbridge takes too), going on through broker hiccups. The Fluent
 * Bit records go to the AMQP peer's event hub too, for the connector that reads over AMQP.
 * @module
 */
import { connectAmqpSender, type AmqpTarget } from '../generator/amqp-sender.ts';
import {
  connectSender,
  createWorkload,
  emptyCounts,
  produceAtRate,
  type KafkaTarget,
  type ProducedCounts,
} from '../generator/index.ts';

/** The running generator. */
export interface LabGenerator {
  /** Records the broker acknowledged, in all and by topic. */
  readonly counts: ProducedCounts;
  /** Events the AMQP peer acknowledged, by event hub; undefined without an AMQP target. */
  readonly amqpCounts: ProducedCounts | undefined;
  /** Where it produces, e.g. `localhost:41234 (SASL_SSL)`. */
  readonly description: string;
  /** Stops producing and disconnects (waits for the request in flight). */
  stop(): Promise<void>;
}

/** What {@link startLabGenerator} needs. */
export interface GeneratorInput {
  readonly target: KafkaTarget;
  readonly rate: number;
  readonly seed: string;
  readonly topics: { readonly fluentBit: string; readonly cri: string };
  /** Where the Fluent Bit records go over AMQP as well; undefined: nowhere. */
  readonly amqp?: AmqpTarget | undefined;
  /** Told about failed sends, at most once every 10 s. */
  readonly warn: (message: string) => void;
}

/**
 * Connects and starts producing.
 * @throws Error when the producer cannot connect
 */
export async function startLabGenerator(input: GeneratorInput): Promise<LabGenerator> {
  const sender = await connectSender(input.target);
  const amqp =
    input.amqp === undefined
      ? undefined
      : {
          hub: input.amqp.eventHub,
          sender: await connectAmqpSender(input.amqp).catch(async (error: unknown) => {
            await sender.disconnect();
            throw error;
          }),
          counts: emptyCounts(),
        };
  const counts = emptyCounts();
  const stop = new AbortController();
  let lastWarningMs = -Infinity;
  const warnOfFailedSend = (what: string, error: unknown): void => {
    if (performance.now() - lastWarningMs > 10_000) {
      lastWarningMs = performance.now();
      input.warn(
        `generator: ${what} failed, going on: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  const running = produceAtRate({
    workload: createWorkload({ seed: input.seed, topics: input.topics }),
    send: async (records) => {
      await sender.send(records);
      // After Kafka took them: a failed AMQP send drops these records from the event hub only.
      const fluentBit = records.filter((record) => record.topic === input.topics.fluentBit);
      if (amqp === undefined || fluentBit.length === 0) return;
      try {
        await amqp.sender.send(fluentBit);
        amqp.counts.total += fluentBit.length;
        amqp.counts.byTopic.set(amqp.hub, (amqp.counts.byTopic.get(amqp.hub) ?? 0) + fluentBit.length);
      } catch (error) {
        warnOfFailedSend('a send over AMQP', error);
      }
    },
    ratePerSecond: input.rate,
    signal: stop.signal,
    counts,
    onSendError: (error) => {
      warnOfFailedSend('a send', error);
      return 'continue';
    },
  }).catch((error: unknown) => {
    input.warn(`generator stopped: ${error instanceof Error ? error.message : String(error)}`);
  });
  return {
    counts,
    amqpCounts: amqp?.counts,
    description:
      amqp === undefined ? sender.description : `${sender.description} and ${amqp.sender.description}`,
    async stop() {
      stop.abort();
      await running;
      await sender.disconnect();
      await amqp?.sender.close();
    },
  };
}
