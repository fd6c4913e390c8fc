import { appendFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { amqpFinalCountLine, expireOlderThan } from '../../../lab/orchestrator/amqp.ts';
import { finalCountLine } from '../../../lab/orchestrator/final-count.ts';
import { countOf, HecTopicCounter } from '../../../lab/orchestrator/progress.ts';
import { EventHub } from '../../support/eventhubs/index.ts';
import { createScratchDir, type ScratchDir } from '../../support/scratch.ts';

let scratch: ScratchDir | undefined;

afterEach(async () => {
  await scratch?.remove();
});

const line = (topic: string, event: unknown = 'x'): string =>
  `${JSON.stringify({ event, fields: { kafka_topic: topic, kafka_partition: '0', kafka_offset: '1' } })}\n`;

describe('HecTopicCounter', () => {
  it('counts HEC events by the topic they were read from, a line being written only once whole', async () => {
    scratch = await createScratchDir('lab-counts');
    const file = `${scratch.path}/hec-events.jsonl`;
    const counter = new HecTopicCounter(file);
    expect((await counter.count()).total).toBe(0);
    // An event that itself holds a kafka_topic key counts under the field's topic.
    await appendFile(file, line('fluentbit-logs') + line('fluentbit-amqp', { kafka_topic: 'no' }));
    const half = line('cri-logs', 'é');
    await appendFile(file, half.slice(0, 20));
    let counts = await counter.count();
    expect(counts.total).toBe(2);
    expect(countOf(counts, ['fluentbit-logs', 'cri-logs'])).toBe(1);
    expect(countOf(counts, ['fluentbit-amqp'])).toBe(1);
    await appendFile(file, half.slice(20) + line('fluentbit-amqp'));
    counts = await counter.count();
    expect(counts.total).toBe(4);
    expect(countOf(counts, ['fluentbit-logs', 'cri-logs'])).toBe(2);
    expect(countOf(counts, ['fluentbit-amqp'])).toBe(2);
  });
});

describe('final count lines', () => {
  it('name each connector and say whether everything produced was settled', () => {
    expect(
      finalCountLine({
        connector: 'lab',
        produced: 5990,
        committed: 5990,
        hecReceived: 5963,
        mqttReceived: 5963,
        deadLetters: 0,
      }),
    ).toBe(
      'final count lab (Kafka): produced 5,990; committed 5,990 ✓ all settled; events at HEC 5,963, at MQTT 5,963, dead letters 0',
    );
    const amqp = { connector: 'lab-amqp', produced: 2941, hecReceived: 2941, deadLetters: 0 };
    expect(amqpFinalCountLine({ ...amqp, checkpointed: 2941 })).toBe(
      'final count lab-amqp (AMQP): produced 2,941; checkpointed 2,941 ✓ all settled; events at HEC 2,941, dead letters 0',
    );
    expect(amqpFinalCountLine({ ...amqp, checkpointed: 2900 })).toContain(
      'checkpointed 2,900 left in the event hub 41;',
    );
    expect(amqpFinalCountLine({ ...amqp, checkpointed: undefined })).toContain(
      'checkpointed ? (not a file checkpoint store);',
    );
  });
});

describe("the AMQP peer's retention in the lab", () => {
  it('drops the events enqueued before the cutoff, keeping sequence numbers and the count of enqueued events', () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    try {
      const hub = new EventHub('h', 2);
      const [p0, p1] = hub.partitions;
      for (const ms of [0, 1000, 2000]) {
        vi.setSystemTime(1_000_000 + ms);
        p0?.append({ body: 'x' }, undefined, 1);
      }
      expireOlderThan(1_001_500, [hub, undefined]);
      expect(p0?.beginSequenceNumber).toBe(2);
      expect(p0?.at(2)?.enqueuedTimeMs).toBe(1_002_000);
      expect(p0?.lastSequenceNumber).toBe(2);
      expect(p1?.beginSequenceNumber).toBe(0);
      expireOlderThan(1_010_000, [hub]);
      expect(p0?.size).toBe(0);
      expect(p0?.lastSequenceNumber).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
