import type { ConfigIssue } from '../../../src/config/index.ts';
import type {
  ConnectorService,
  ConnectorView,
  OffsetRow,
  OptionEntry,
  TargetState,
} from '../../../src/api/index.ts';
import { Connector, type EngineMetrics } from '../../../src/engine/index.ts';
import { MemorySource, parts, ScriptedSink } from '../engine/fakes.ts';

interface Entry {
  config: Record<string, unknown>;
  target: TargetState;
  instance: Connector | undefined;
}

/** An in-memory connector service over engine connectors with memory sources, for API tests. */
export class FakeService implements ConnectorService {
  readonly mode = 'standalone';
  readonly entries = new Map<string, Entry>();
  readonly offsetRows = new Map<string, OffsetRow[]>();
  readonly #metrics: EngineMetrics;

  constructor(metrics: EngineMetrics) {
    this.#metrics = metrics;
  }

  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  slot(name: string): ConnectorView {
    const entry = this.#entry(name);
    const instance = entry.instance;
    return {
      name,
      config: entry.config,
      target: entry.target,
      state: instance?.state ?? 'STOPPED',
      status: () =>
        instance?.status() ?? {
          name,
          state: 'STOPPED',
          degraded: false,
          inFlight: { records: 0, unsettled: 0, bytes: 0, full: false },
          partitions: [],
          offsets: [],
          sinks: [],
        },
      instance,
    };
  }

  async create(
    definition: { name: string; config: Readonly<Record<string, unknown>> },
    initial: TargetState = 'RUNNING',
  ): Promise<void> {
    if (this.entries.has(definition.name))
      throw Object.assign(new Error(`Connector ${definition.name} already exists`), { kind: 'conflict' });
    this.#invalidIfBad(definition.config);
    this.entries.set(definition.name, {
      config: { ...definition.config },
      target: 'STOPPED',
      instance: undefined,
    });
    await this.setTarget(definition.name, initial);
  }

  async putConfig(name: string, config: Readonly<Record<string, unknown>>): Promise<boolean> {
    this.#invalidIfBad(config);
    const existing = this.entries.get(name);
    if (existing) {
      existing.config = { ...config };
      return false;
    }
    await this.create({ name, config });
    return true;
  }

  async setTarget(name: string, target: TargetState): Promise<void> {
    const entry = this.#entry(name);
    entry.target = target;
    if (target === 'STOPPED') {
      await entry.instance?.stop();
      entry.instance = undefined;
      return;
    }
    if (entry.instance === undefined) {
      entry.instance = new Connector(
        parts(new MemorySource(), [new ScriptedSink('hec')], { name, metrics: this.#metrics }),
      );
      await entry.instance.start();
    }
    if (target === 'PAUSED') entry.instance.pause();
    else entry.instance.resume();
  }

  async restart(name: string): Promise<void> {
    const entry = this.#entry(name);
    const target = entry.target;
    await this.setTarget(name, 'STOPPED');
    await this.setTarget(name, target);
  }

  async delete(name: string): Promise<void> {
    await this.setTarget(name, 'STOPPED');
    this.entries.delete(name);
  }

  validate(config: Readonly<Record<string, unknown>>): readonly ConfigIssue[] {
    return typeof config.topics === 'string'
      ? []
      : [{ path: 'config.topics', message: 'is required: topics' }];
  }

  options(): readonly OptionEntry[] {
    return [
      { group: 'Source', key: 'topics', spec: { type: 'list', required: true, doc: 'Topics.' } },
      {
        group: 'splunk-hec',
        key: 'splunk.hec.token',
        spec: { type: 'string', sensitive: true, doc: 'Token.' },
      },
    ];
  }

  redact(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(config).map(([k, v]) => [k, k.includes('token') ? '[hidden]' : v]),
    );
  }

  async offsets(name: string): Promise<readonly OffsetRow[]> {
    this.#entry(name);
    return Promise.resolve(this.offsetRows.get(name) ?? []);
  }

  async alterOffsets(name: string, rows: readonly OffsetRow[]): Promise<void> {
    this.#stoppedOrThrow(name);
    this.offsetRows.set(name, [...rows]);
    return Promise.resolve();
  }

  async resetOffsets(name: string): Promise<void> {
    this.#stoppedOrThrow(name);
    this.offsetRows.delete(name);
    return Promise.resolve();
  }

  #stoppedOrThrow(name: string): void {
    if (this.#entry(name).target !== 'STOPPED') {
      throw Object.assign(
        new Error('Connectors must be in the STOPPED state before their offsets can be modified.'),
        { kind: 'invalid' },
      );
    }
  }

  #invalidIfBad(config: Readonly<Record<string, unknown>>): void {
    const issues = this.validate(config);
    if (issues.length > 0)
      throw Object.assign(new Error(issues.map((i) => `${i.path}: ${i.message}`).join('\n')), {
        kind: 'invalid',
      });
  }

  #entry(name: string): Entry {
    const entry = this.entries.get(name);
    if (entry === undefined)
      throw Object.assign(new Error(`Connector ${name} not found`), { kind: 'not-found' });
    return entry;
  }
}
