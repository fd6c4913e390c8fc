/**
 * Indexer acknowledgement, reference §6: one ack id per accepted request, counted per channel from 0; `/ack`
 * reports `true` once, then forgets the id (a second query says `false`); idle channels are forgotten, after which
 * the channel's ids start again at 0. Delay and loss model a slow or lossy indexer.
 */
import type { AckLimits, AckSettings } from './options.ts';
import { resolveAckSettings } from './options.ts';

/** Marks a pending id that will never become `true`; `NaN <= now` is always false. */
const LOST = Number.NaN;

interface Channel {
  nextId: number;
  /** Pending ack id → time (ms) from which it reports `true`, or {@link LOST}. Insertion order = oldest first. */
  readonly pending: Map<number, number>;
  lastUsedMs: number;
}

/** The ack state of every channel, shared by all tokens as it is on one indexer. */
export class AckRegistry {
  readonly #channels = new Map<string, Channel>();
  readonly #limits: Required<AckLimits>;
  readonly #random: () => number;
  #settings: Required<AckSettings>;

  /** `random` decides loss (`random() < lossRate`). */
  constructor(settings: Required<AckSettings>, limits: Required<AckLimits>, random: () => number) {
    this.#settings = settings;
    this.#limits = limits;
    this.#random = random;
  }

  /** Changes delay and/or loss for ack ids issued from now on. Throws `RangeError` on out-of-range values. */
  configure(settings: AckSettings): void {
    this.#settings = resolveAckSettings(settings, this.#settings);
  }

  /**
   * Issues the next ack id of `channelId`. Returns `undefined` when opening the channel would pass `maxChannels`
   * (the caller answers 503 code 9).
   */
  issue(channelId: string, nowMs: number): number | undefined {
    const channel = this.#live(channelId, nowMs) ?? this.#open(channelId, nowMs);
    if (channel === undefined) return undefined;
    const ackId = channel.nextId++;
    const { delayMs, lossRate } = this.#settings;
    const lost = lossRate > 0 && this.#random() < lossRate;
    channel.pending.set(ackId, lost ? LOST : nowMs + delayMs);
    if (channel.pending.size > this.#limits.maxPendingPerChannel) {
      const oldest = channel.pending.keys().next();
      if (oldest.done !== true) channel.pending.delete(oldest.value);
    }
    return ackId;
  }

  /**
   * Statuses of `ackIds` on `channelId`, keyed by the id as a string. A `true` is reported once and the id is then
   * forgotten. An unknown or forgotten channel reports `false` for every id.
   */
  query(channelId: string, ackIds: readonly number[], nowMs: number): Record<string, boolean> {
    const channel = this.#live(channelId, nowMs);
    const statuses: Record<string, boolean> = {};
    for (const ackId of ackIds) {
      const key = String(ackId);
      // A repeated id is answered once: the object key cannot hold both the true and the later false.
      if (key in statuses) continue;
      const readyAtMs = channel?.pending.get(ackId);
      const ready = readyAtMs !== undefined && readyAtMs <= nowMs;
      if (ready) channel?.pending.delete(ackId);
      statuses[key] = ready;
    }
    return statuses;
  }

  /** Makes every pending id that is delayed (not lost) report `true` from now on. */
  release(nowMs: number): void {
    for (const channel of this.#channels.values()) {
      for (const [ackId, readyAtMs] of channel.pending) {
        if (!Number.isNaN(readyAtMs)) channel.pending.set(ackId, Math.min(readyAtMs, nowMs));
      }
    }
  }

  /** Forgets every channel, as an indexer restart or idle cleanup would: pending ids are lost, ids restart at 0. */
  forget(): void {
    this.#channels.clear();
  }

  /** Pending ack ids (delayed, lost, or ready but not yet queried) on one channel or on all. */
  pendingCount(channelId?: string): number {
    if (channelId !== undefined) return this.#channels.get(channelId)?.pending.size ?? 0;
    let count = 0;
    for (const channel of this.#channels.values()) count += channel.pending.size;
    return count;
  }

  /** The channel if it exists and has not been idle past `maxIdleMs` (then it is dropped); marks it used. */
  #live(channelId: string, nowMs: number): Channel | undefined {
    const channel = this.#channels.get(channelId);
    if (channel === undefined) return undefined;
    if (nowMs - channel.lastUsedMs > this.#limits.maxIdleMs) {
      this.#channels.delete(channelId);
      return undefined;
    }
    channel.lastUsedMs = nowMs;
    return channel;
  }

  #open(channelId: string, nowMs: number): Channel | undefined {
    if (this.#channels.size >= this.#limits.maxChannels) return undefined;
    const channel: Channel = { nextId: 0, pending: new Map(), lastUsedMs: nowMs };
    this.#channels.set(channelId, channel);
    return channel;
  }
}
