import { describe, expect, it } from 'vitest';
import {
  Connector,
  HOLD,
  type LogEvent,
  type NamedTransform,
  recordsOf,
  type StatefulTransform,
  type SourceRecord,
} from '../../../src/engine/index.ts';
import { MemorySource, parts, ScriptedSink } from './fakes.ts';
import { record } from './records.ts';

/**
 * Joins lines ending with "\\" to the next one, like partial CRI lines; flushes lines that waited 1 s on the reading
 * clock.
 */
const joiner: StatefulTransform<{ parts: LogEvent[]; since: number | undefined }> = {
  init: () => ({ parts: [], since: undefined }),
  apply(state, event) {
    const text = typeof event.body === 'string' ? event.body : '';
    if (text.endsWith('\\')) {
      if (state.parts.length === 0) state.since = undefined;
      state.parts.push(event);
      return HOLD;
    }
    if (state.parts.length === 0) return event;
    const joined = [...state.parts, event];
    state.parts = [];
    return join(joined);
  },
  flush(state, nowMs) {
    if (state.parts.length === 0) return [];
    state.since ??= nowMs;
    if (nowMs - state.since < 1000) return [];
    const out = join(state.parts);
    state.parts = [];
    return [{ ...out, body: `${typeof out.body === 'string' ? out.body : ''}[partial]` }];
  },
};

function join(events: readonly LogEvent[]): LogEvent {
  const [first] = events;
  if (first === undefined) throw new Error('nothing to join');
  return {
    ...first,
    body: events.map((e) => (typeof e.body === 'string' ? e.body.replace(/\\$/, '') : '')).join(''),
    joined: events,
  };
}

const chain: NamedTransform[] = [{ name: 'joiner', stateful: joiner }];
const line = (offset: number, text: string, timestampMs = Date.now()): SourceRecord => ({
  ...record('t', 0, offset, text),
  timestampMs,
});

/**
 * How long a test waits for a timed-out fragment: the engine asks for flushes once a second, the joiner starts its
 * 1 s wait at the first flush that sees the fragment and lets it go at the first flush after that, so 2–3 s when
 * timers are on time and more on a loaded machine.
 */
const FLUSHED_WITHIN_MS = 15_000;

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('stateful transforms', () => {
  it('holds fragment records until the joined line is delivered, then settles them all', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    sink.held = Promise.withResolvers();
    const connector = new Connector(parts(source, [sink], { transforms: chain }));
    await connector.start();
    source.offer([line(0, 'a\\'), line(1, 'b\\')]);
    expect(connector.status().partitions[0]?.watermark).toBe(0n);
    source.offer([line(2, 'c'), line(3, 'd')]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(connector.status().partitions[0]?.watermark).toBe(0n);
    sink.held.resolve();
    await until(() => sink.received.length === 2);
    expect(sink.received.map((e) => [e.body, recordsOf(e).map((r) => r.position.offset)])).toEqual([
      ['abc', [0n, 1n, 2n]],
      ['d', [3n]],
    ]);
    await until(() => connector.status().partitions[0]?.watermark === 4n);
    await connector.stop();
    expect(source.committed(0)).toBe(4n);
  });

  it('flushes a partial line when it is too old, marked by the transform', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    const connector = new Connector(parts(source, [sink], { transforms: chain }));
    await connector.start();
    source.offer([line(0, 'x\\', Date.now() - 5000)]);
    await until(() => sink.received.length === 1, FLUSHED_WITHIN_MS);
    expect(sink.received[0]?.body).toBe('x[partial]');
    await until(() => connector.status().partitions[0]?.watermark === 1n);
    await connector.stop();
  });

  it('on stop, commits below a held fragment so the next start reads it again', async () => {
    const source = new MemorySource();
    const sink = new ScriptedSink();
    const connector = new Connector(parts(source, [sink], { transforms: chain }));
    await connector.start();
    source.offer([line(0, 'done'), line(1, 'half\\')]);
    await connector.stop();
    expect(source.committed(0)).toBe(1n);
    expect(sink.received.map((e) => e.body)).toEqual(['done']);
  });

  it('lets held records of a revoked partition go without moving its checkpoint', async () => {
    const source = new MemorySource();
    const connector = new Connector(parts(source, [new ScriptedSink()], { transforms: chain }));
    await connector.start();
    source.offer([line(0, 'half\\')]);
    expect(connector.status().inFlight.records).toBe(1);
    connector.assigned([{ topic: 't', partition: 1 }]);
    expect(connector.status().inFlight.records).toBe(0);
    expect(connector.status().partitions).toEqual([]);
    await connector.stop();
  });

  it('joins fragments cut inside a multi-byte character, and dead-letters a cut nothing completes', async () => {
    // Lines end with "!": anything else waits for the next fragment (flushed after 1 s).
    const bang: StatefulTransform<{ parts: LogEvent[]; since: number | undefined }> = {
      ...joiner,
      apply(state, event) {
        const text = typeof event.body === 'string' ? event.body : '';
        if (!text.endsWith('!')) {
          // Kept as received: the event that joins it lists this very object (StatefulTransform).
          if (state.parts.length === 0) state.since = undefined;
          state.parts.push(event);
          return HOLD;
        }
        return joiner.apply(state, event);
      },
    };
    const source = new MemorySource();
    const sink = new ScriptedSink();
    const letters: string[] = [];
    const connector = new Connector(
      parts(source, [sink], {
        transforms: [{ name: 'bang', stateful: bang }],
        tolerance: 'all',
        deadLetters: {
          write: (r, failure) => {
            letters.push(`${String(r.position.offset)} ${failure.cause.code}`);
            return Promise.resolve();
          },
          close: () => Promise.resolve(),
        },
      }),
    );
    await connector.start();
    const euro = Buffer.from('€', 'utf8');
    const cut = (offset: number, value: Buffer): SourceRecord => ({
      ...line(offset, ''),
      value,
      sizeBytes: value.length,
    });
    source.offer([
      cut(0, Buffer.concat([Buffer.from('price 5'), euro.subarray(0, 2)])),
      cut(1, Buffer.concat([euro.subarray(2), Buffer.from(' ok!')])),
      cut(2, Buffer.concat([Buffer.from('broken '), euro.subarray(0, 1)])),
    ]);
    await until(() => sink.received.length === 1 && letters.length === 1, FLUSHED_WITHIN_MS);
    expect(sink.received[0]?.body).toBe('price 5€ ok!');
    expect(letters).toEqual(['2 LB_INVALID_UTF8']);
    await connector.stop();
    expect(source.committed(0)).toBe(3n);
  });
});
