/**
 * What the lab started, in order, so that it stops in the reverse order: the generator before logbridge (so
 * logbridge can drain and commit everything produced), logbridge before the brokers (so its last commit reaches
 * Kafka), Kafka last.
 * @module
 */

/** Something the lab started. */
export interface Part {
  readonly name: string;
  /** Stopping it is not worth a line of its own. */
  readonly quiet?: boolean;
  /** Stops it gracefully; may take a while (logbridge drains, Kafka shuts down in a controlled way). */
  stop(): Promise<void>;
  /** Kills it at once (SIGKILL); used when a person asks twice. */
  kill(): Promise<void>;
}

/** A last-in, first-out list of started parts. */
export class Teardown {
  readonly #parts: Part[] = [];
  #used = false;

  /** True once anything was added. */
  get used(): boolean {
    return this.#used;
  }

  /** Adds a part that has started. */
  add(part: Part): void {
    this.#used = true;
    this.#parts.push(part);
  }

  /** Stops every part, last started first, reporting each; a part that fails to stop is killed. */
  async stopAll(report: (line: string) => void): Promise<void> {
    for (let part = this.#parts.at(-1); part !== undefined; part = this.#parts.at(-1)) {
      const startedAt = performance.now();
      try {
        await part.stop();
        if (part.quiet !== true)
          report(`stopped ${part.name} (${((performance.now() - startedAt) / 1000).toFixed(1)} s)`);
      } catch (error) {
        report(
          `${part.name} did not stop cleanly (${error instanceof Error ? error.message : String(error)}): killing it`,
        );
        await part.kill().catch(() => undefined);
      }
      // Removed only now, so that killAll() (a second Ctrl-C) also reaches the part being stopped.
      const at = this.#parts.lastIndexOf(part);
      if (at >= 0) this.#parts.splice(at, 1);
    }
  }

  /** Kills every part not yet stopped at once, including one being stopped. */
  async killAll(): Promise<void> {
    const parts = this.#parts.splice(0);
    await Promise.allSettled(parts.map((part) => part.kill()));
  }
}
