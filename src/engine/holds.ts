/**
 * The holds that events take on their records' tickets. A record settles when the last hold on its ticket is released,
 * and every event that carries some of its content holds it: once per sink the event is pushed to, once while a
 * stateful transform keeps the event, once per dead-letter write under way. An event built from kept events (a
 * reassembled line, `joined`) takes their place: their holds are released once it has taken its own, so that a
 * record kept in two fragments is held twice and settles only when both have reached an outcome.
 * @module
 */
import type { Carrier, LogEvent } from './event.ts';
import { type PartitionKey, partitionKey, type SourceRecord } from './record.ts';
import type { Ticket } from './tracker.ts';

/** Tickets of in-flight records and the holds events take on them. */
export class Holds {
  /** Tickets of records not yet settled (a Map, not a WeakMap: ephemerons are costly for the GC at this rate). */
  readonly #tickets = new Map<SourceRecord, Ticket>();
  /** Events kept by stateful transforms, each holding its records once. */
  readonly #kept = new Set<LogEvent>();
  /** Records of kept events, with how many holds kept events have on each. */
  readonly #keptRecords = new Map<SourceRecord, number>();

  /** Starts following a record's ticket. */
  open(record: SourceRecord, ticket: Ticket): void {
    this.#tickets.set(record, ticket);
  }

  /** The ticket of a record not yet settled. */
  ticket(record: SourceRecord): Ticket | undefined {
    return this.#tickets.get(record);
  }

  /** A record settled: forget its ticket. */
  settled(record: SourceRecord): void {
    this.#tickets.delete(record);
  }

  /** Takes `count` holds on every record `event` carries. */
  retain(event: Carrier, count: number): void {
    if (event.joined === undefined) this.#tickets.get(event.record)?.retain(count);
    else eachRecord(event, (record) => this.#tickets.get(record)?.retain(count));
  }

  /** Releases one hold on every record `event` carries. */
  release(event: Carrier): void {
    if (event.joined === undefined) this.#tickets.get(event.record)?.release();
    else eachRecord(event, (record) => this.#tickets.get(record)?.release());
  }

  /** A stateful transform kept `event`: one hold on each of its records until an event that joins it passes on. */
  keep(event: LogEvent): void {
    if (this.#kept.has(event)) return;
    this.#kept.add(event);
    eachRecord(event, (record) => {
      this.#keptRecords.set(record, (this.#keptRecords.get(record) ?? 0) + 1);
      this.#tickets.get(record)?.retain();
    });
  }

  /** `join` reached its outcome and took its holds: the kept events it joined let theirs go. */
  passOn(join: LogEvent): void {
    for (const part of join.joined ?? []) if (this.#kept.delete(part)) this.#letGo(part);
  }

  /** Lets go every kept event of these partitions (their transform state is forgotten). */
  revoke(partitions: ReadonlySet<PartitionKey>): void {
    for (const event of this.#kept) {
      if (!partitions.has(partitionKey(event.record.position))) continue;
      this.#kept.delete(event);
      this.#letGo(event);
    }
  }

  /** Events kept by stateful transforms. */
  get keptEvents(): number {
    return this.#kept.size;
  }

  /** Distinct records that kept events hold (they cannot settle before more records arrive). */
  get keptRecords(): number {
    return this.#keptRecords.size;
  }

  #letGo(event: LogEvent): void {
    eachRecord(event, (record) => {
      const holds = (this.#keptRecords.get(record) ?? 1) - 1;
      if (holds === 0) this.#keptRecords.delete(record);
      else this.#keptRecords.set(record, holds);
      this.#tickets.get(record)?.release();
    });
  }
}

/** Visits every record `event` carries, once per event that carries it (retains and releases stay paired). */
function eachRecord(event: Carrier, visit: (record: SourceRecord) => void): void {
  visit(event.record);
  if (event.joined !== undefined) for (const part of event.joined) eachRecord(part, visit);
}
