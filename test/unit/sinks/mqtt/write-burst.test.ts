import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { WriteBurst } from '../../../../src/sinks/mqtt/write-burst.ts';

/** A stream that records each write request it gets (`_writev` takes every buffered chunk at once). */
function recordingStream(): { stream: Writable; requests: string[][] } {
  const requests: string[][] = [];
  const stream = new Writable({
    writev(chunks, callback) {
      requests.push(chunks.map(({ chunk }) => String(chunk)));
      callback();
    },
    write(chunk, _encoding, callback) {
      requests.push([String(chunk)]);
      callback();
    },
  });
  return { stream, requests };
}

describe('a write burst', () => {
  it('sends what is written in the nextTick callbacks of one turn in one write request, in order', async () => {
    const { stream, requests } = recordingStream();
    const burst = new WriteBurst();
    // As mqtt.js handles each PUBACK of a read in its own process.nextTick, and refills a slot in each.
    const refill = (n: number): void => {
      burst.hold(stream);
      stream.write(`p${n}`);
      if (n < 3) process.nextTick(refill, n + 1);
    };
    // From an I/O callback (a macrotask), as mqtt.js reads from its socket: the microtasks run after the ticks.
    await new Promise<void>((resolve) => {
      setImmediate(() => {
        refill(1);
        expect(requests).toEqual([]);
        resolve();
      });
    });
    await nextTurn();
    expect(requests).toEqual([['p1', 'p2', 'p3']]);
  });

  it('holds a new stream on its own and still releases the one held before', async () => {
    const first = recordingStream();
    const second = recordingStream();
    const burst = new WriteBurst();
    burst.hold(first.stream);
    first.stream.write('a');
    burst.hold(second.stream);
    second.stream.write('b');
    burst.hold(second.stream);
    second.stream.write('c');

    await nextTurn();
    expect(first.requests).toEqual([['a']]);
    expect(second.requests).toEqual([['b', 'c']]);
    expect([first.stream.writableCorked, second.stream.writableCorked]).toEqual([0, 0]);
  });

  it('corks again in the next turn', async () => {
    const { stream, requests } = recordingStream();
    const burst = new WriteBurst();
    burst.hold(stream);
    stream.write('a');
    await nextTurn();
    burst.hold(stream);
    stream.write('b');
    stream.write('c');

    expect(stream.writableCorked).toBe(1);
    await nextTurn();
    expect(requests).toEqual([['a'], ['b', 'c']]);
  });
});
