import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../../src/engine/index.ts';
import { AckWatch } from '../../../../src/sinks/topic/ack-watch.ts';
import { batchOutcome, DURABLE, type MessageOutcome } from '../../../../src/sinks/topic/outcome.ts';

class Lost extends BridgeError {
  readonly code = 'LB_TEST_LOST';
  readonly disposition = 'retry';
}
class Refused extends BridgeError {
  readonly code = 'LB_TEST_REFUSED';
  readonly disposition = 'reject';
}
class Denied extends BridgeError {
  readonly code = 'LB_TEST_DENIED';
  readonly disposition = 'fatal';
}

const failed = (cause: BridgeError): MessageOutcome => ({ ok: false, cause });

describe('batch outcome of per-message results', () => {
  it('is delivered, or partial with the refused messages', () => {
    expect(batchOutcome([DURABLE, DURABLE])).toEqual({ kind: 'delivered' });
    const refused = new Refused('too large');
    expect(batchOutcome([DURABLE, failed(refused)])).toEqual({
      kind: 'partial',
      rejected: [{ index: 1, cause: refused }],
    });
  });

  it('is a retry that names what became durable and what was refused', () => {
    const lost = new Lost('session lost');
    const refused = new Refused('too large');
    expect(batchOutcome([DURABLE, failed(lost), failed(refused), DURABLE, failed(lost)])).toEqual({
      kind: 'retry',
      cause: lost,
      delivered: [0, 3],
      rejected: [{ index: 2, cause: refused }],
    });
  });

  it('is fatal when any message is', () => {
    const denied = new Denied('acl');
    expect(batchOutcome([failed(new Lost('x')), failed(denied)])).toEqual({ kind: 'fatal', cause: denied });
  });
});

describe('ack watch', () => {
  it('counts a wait only while the link is up, from the later of the send and the link coming up', () => {
    const expired: number[] = [];
    let up = false;
    let oldest: number | undefined = 1000;
    const watch = new AckWatch({
      timeoutMs: 500,
      linkUp: () => up,
      oldestSentAt: () => oldest,
      expired: (waited) => expired.push(waited),
    });
    watch.check(5000); // down: nothing counts
    up = true;
    watch.check(5200); // up since 5200, the message is older: its wait starts now
    watch.check(5600);
    expect(expired).toEqual([]);
    watch.check(5700);
    expect(expired).toEqual([500]);
    watch.check(5800); // resent at 5700: a new wait
    expect(expired).toEqual([500]);
    oldest = undefined;
    watch.check(9000);
    expect(expired).toEqual([500]);
    expect(watch.now()).toBe(9000);
  });
});
