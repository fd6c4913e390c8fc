import { describe, expect, it } from 'vitest';
import {
  type AckAnswer,
  ackAnswerOf,
  AckPoller,
  Slots,
} from '../../../../src/sinks/splunk-hec/indexer-acks.ts';

function poller(answers: (ids: readonly number[]) => AckAnswer, timeoutMs = 10_000) {
  let now = 0;
  const queries: number[][] = [];
  const settled: string[] = [];
  const p = new AckPoller({
    pollIntervalMs: 1_000_000,
    timeoutMs,
    now: () => now,
    query: (ids) => {
      queries.push([...ids]);
      return Promise.resolve(answers(ids));
    },
    settled: (outcome) => settled.push(outcome),
  });
  return { p, queries, settled, advance: (ms: number) => (now += ms) };
}

const statuses = (acks: Record<string, boolean>): AckAnswer => ({ kind: 'statuses', acks });

describe('AckPoller', () => {
  it('asks about every pending id in one query and settles those reported true', async () => {
    const { p, queries } = poller(() => statuses({ '0': true, '1': false, '2': true }));
    const waits = [p.wait(0), p.wait(1), p.wait(2)];
    await p.poll();
    expect(queries).toEqual([[0, 1, 2]]);
    expect(await waits[0]).toBe('acked');
    expect(await waits[2]).toBe('acked');
    expect(p.pending).toBe(1);
    p.close();
    expect(await waits[1]).toBe('closed');
  });

  it('times an id out after the event timeout', async () => {
    const { p, advance } = poller(() => statuses({ '7': false }), 300_000);
    const wait = p.wait(7);
    advance(299_999);
    await p.poll();
    expect(p.pending).toBe(1);
    advance(1);
    await p.poll();
    expect(await wait).toBe('timeout');
  });

  it('treats a repeated ack id as a forgotten channel: the earlier waits are lost', async () => {
    const { p } = poller(() => statuses({}));
    const first = p.wait(0);
    const second = p.wait(1);
    const again = p.wait(0);
    expect(await first).toBe('lost');
    expect(await second).toBe('lost');
    expect(p.pending).toBe(1);
    p.close();
    expect(await again).toBe('closed');
  });

  it('treats an id far below the highest seen as restarted numbering, allowing for late answers', async () => {
    const p = new AckPoller({
      pollIntervalMs: 1_000_000,
      timeoutMs: 10_000,
      concurrency: 4,
      query: () => Promise.resolve(statuses({})),
    });
    const high = p.wait(57);
    const late = p.wait(53);
    expect(p.pending).toBe(2);
    const restarted = p.wait(0);
    expect(await high).toBe('lost');
    expect(await late).toBe('lost');
    const next = p.wait(1);
    expect(p.pending).toBe(2);
    p.close();
    expect(await Promise.all([restarted, next])).toEqual(['closed', 'closed']);
  });

  it.each([
    [{ kind: 'disabled' } as const, 'unsupported'],
    [{ kind: 'channel-lost' } as const, 'lost'],
  ])('settles every wait when /ack answers %o', async (answer, outcome) => {
    const { p } = poller(() => answer);
    const waits = [p.wait(0), p.wait(1)];
    await p.poll();
    expect(await Promise.all(waits)).toEqual([outcome, outcome]);
  });

  it('keeps waiting when /ack fails (no response, 5xx)', async () => {
    const { p } = poller(() => ({ kind: 'failed' }));
    void p.wait(0);
    await p.poll();
    expect(p.pending).toBe(1);
    p.close();
  });

  it('polls on its own timer while ids are pending', async () => {
    let calls = 0;
    const p = new AckPoller({
      pollIntervalMs: 5,
      timeoutMs: 10_000,
      query: () => {
        calls += 1;
        return Promise.resolve(statuses(calls < 3 ? {} : { '0': true }));
      },
    });
    expect(await p.wait(0)).toBe('acked');
    expect(calls).toBe(3);
  });
});

describe('ackAnswerOf', () => {
  it.each([
    [{ status: 200, reply: { acks: { '1': true } }, retryAfter: undefined }, 'statuses'],
    [{ status: 400, reply: { code: 14, text: 'ACK is disabled' }, retryAfter: undefined }, 'disabled'],
    [{ status: 400, reply: { code: 10 }, retryAfter: undefined }, 'channel-lost'],
    [{ status: 400, reply: { code: 11 }, retryAfter: undefined }, 'channel-lost'],
    [{ status: 503, reply: { code: 9 }, retryAfter: undefined }, 'failed'],
    [undefined, 'failed'],
  ])('%o → %s', (response, kind) => {
    expect(ackAnswerOf(response).kind).toBe(kind);
  });
});

describe('Slots', () => {
  it('lets at most size holders in, in arrival order', async () => {
    const slots = new Slots(2);
    const signal = new AbortController().signal;
    const a = await slots.acquire(signal);
    await slots.acquire(signal);
    let third = false;
    const waiting = slots.acquire(signal).then((release) => {
      third = true;
      return release;
    });
    await Promise.resolve();
    expect(third).toBe(false);
    a();
    a();
    (await waiting)();
    expect(third).toBe(true);
    expect(slots.used).toBe(1);
  });

  it('gives up waiting when the signal aborts', async () => {
    const slots = new Slots(1);
    const controller = new AbortController();
    await slots.acquire(controller.signal);
    const waiting = slots.acquire(controller.signal);
    controller.abort(new Error('stopping'));
    await expect(waiting).rejects.toThrow('stopping');
  });
});
