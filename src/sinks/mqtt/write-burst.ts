/**
 * Coalesces the PUBLISH packets handed to mqtt.js in one turn into one socket write.
 *
 * mqtt-packet's `writeToStream` already corks the stream for each packet until the next `process.nextTick`, so the
 * packets of one synchronous loop leave in one `writev`. But mqtt.js handles each packet it reads in its own
 * `process.nextTick` (`nextTickWork` in its client.js): the PUBACKs of one read each free an in-flight slot in
 * their own tick, and the PUBLISH that refills the slot was flushed alone, one write system call per message.
 * A burst corks the stream once and uncorks it in a microtask, which Node runs once the nextTick queue is empty:
 * after mqtt.js has handled every packet of what it read, and before the event loop goes on, so no write waits
 * for I/O or a timer. Writes keep their order (cork only buffers them), and mqtt.js's outgoing store and resend
 * are untouched. Held from a microtask (a `publish` call in a promise continuation), a burst ends with that
 * microtask queue, before the nextTick queue runs: the packets of that synchronous loop still leave together.
 * @module
 */

/** The part of a stream a burst uses: `net.Socket` and `tls.TLSSocket` send corked writes in one `writev`. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/** Holds one stream corked until the end of the current turn. */
export class WriteBurst {
  #held: Corkable | undefined;

  /**
   * Corks `stream` until the microtask queue runs, unless this burst already holds it. A new stream (after a
   * reconnect) is corked on its own; the one held before is still uncorked at the end of the turn.
   */
  hold(stream: Corkable): void {
    if (this.#held === stream) return;
    this.#held = stream;
    stream.cork();
    queueMicrotask(() => {
      if (this.#held === stream) this.#held = undefined;
      stream.uncork();
    });
  }
}
