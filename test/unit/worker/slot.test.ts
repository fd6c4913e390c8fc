/**
 * A connector slot answers status from what it keeps: a stopped connector shows its last known offsets, marked as
 * such, refreshed in the background from its group, never by making the caller wait for Kafka.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Connector, type PartitionLag, type PartitionOffsets } from '../../../src/engine/index.ts';
import { ConnectorSlot, type OffsetsReader } from '../../../src/worker/slot.ts';
import { MemorySource, parts, ScriptedSink } from '../engine/fakes.ts';

class ReadableSource extends MemorySource {
  end = 100n;
  offsets(): Promise<PartitionOffsets[]> {
    return Promise.resolve([{ topic: 't', partition: 0, committed: 90n, end: this.end, start: 0n }]);
  }
}

const lag = (committed: bigint, end: bigint): PartitionLag => ({
  topic: 't',
  partition: 0,
  committed,
  end,
  start: 0n,
  lag: end - committed,
  committedAboveEnd: false,
});

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function slotWith(readOffsets: OffsetsReader): ConnectorSlot {
  return new ConnectorSlot('c', {}, 'RUNNING', {
    factory: () => new Connector(parts(new ReadableSource(), [new ScriptedSink('hec')])),
    logger: pino({ level: 'silent' }),
    readOffsets,
  });
}

describe('ConnectorSlot status', () => {
  it('keeps the last reading when stopped, marked as last known, then reads the group in the background', async () => {
    const reads: PromiseWithResolvers<readonly PartitionLag[]>[] = [];
    const slot = slotWith(() => {
      const read = Promise.withResolvers<readonly PartitionLag[]>();
      reads.push(read);
      return read.promise;
    });
    await slot.update({});
    await slot.started();
    await slot.instance?.refreshOffsets();
    expect(slot.status().offsets.map((o) => o.lag)).toEqual([10n]);
    await slot.update({ target: 'STOPPED' });
    expect(slot.status()).toMatchObject({ state: 'STOPPED', offsetsLastKnown: true });
    expect(slot.status().offsets.map((o) => o.lag)).toEqual([10n]);

    slot.refreshOffsets();
    slot.refreshOffsets();
    expect(reads).toHaveLength(1);
    expect(slot.status().offsets.map((o) => o.lag)).toEqual([10n]);
    reads[0]?.resolve([lag(95n, 130n)]);
    await until(() => slot.status().offsets[0]?.lag === 35n);
    expect(slot.status().offsetsReadAtMs).toBeGreaterThan(0);
    slot.refreshOffsets();
    expect(reads).toHaveLength(1);
  });

  it('answers status while a reading of a stopped connector never finishes', () => {
    const slot = new ConnectorSlot('c', {}, 'STOPPED', {
      factory: () => {
        throw new Error('not started');
      },
      logger: pino({ level: 'silent' }),
      readOffsets: () => new Promise(() => undefined),
    });
    slot.refreshOffsets();
    expect(slot.status()).toMatchObject({ state: 'STOPPED', offsets: [], offsetsLastKnown: true });
  });
});
