import {
  type DeadLetterQueue,
  type Failure,
  type NamedTransform,
  type SourceRecord,
} from '../../../src/engine/index.ts';
import {
  createTransforms,
  NO_COUNTERS,
  transformTypes,
  validateTransforms,
} from '../../../src/transforms/index.ts';
import { record } from './records.ts';

/** The real transforms a connector's `transforms.*` keys configure (as `{ transforms: 'a,b', 'transforms.a.type': … }`). */
export function transformsOf(properties: Readonly<Record<string, string>>): NamedTransform[] {
  const context = {
    connector: 'test',
    path: 'config',
    topics: ['t'],
    eventHubsNamespace: 'test.servicebus.windows.net',
    consumerGroup: 'logbridge-test',
  };
  const { transforms, issues } = validateTransforms(properties, context, transformTypes);
  if (issues.length > 0) throw new Error(JSON.stringify(issues));
  return createTransforms(transforms, () => NO_COUNTERS);
}

/** A record of partition `t/0` whose value is an Azure `{"records": […]}` body of CRI lines, keyed `pod-a`. */
export function criRecords(offset: number, lines: readonly string[]): SourceRecord {
  const value = JSON.stringify({ records: lines.map((l) => `2024-11-24T08:16:00.000000001Z ${l}`) });
  return { ...record('t', 0, offset, value), key: Buffer.from('pod-a') };
}

/** A dead-letter queue in memory. */
export class MemoryDeadLetters implements DeadLetterQueue {
  readonly written: { record: SourceRecord; failure: Failure }[] = [];
  async write(r: SourceRecord, failure: Failure): Promise<void> {
    this.written.push({ record: r, failure });
    await Promise.resolve();
  }
  async close(): Promise<void> {
    await Promise.resolve();
  }
  /** Offsets written, in order. */
  get offsets(): bigint[] {
    return this.written.map((w) => w.record.position.offset);
  }
}
