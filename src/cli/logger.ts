/**
 * The process logger: pino JSON lines on stdout, secrets redacted, with levels that can be changed at run time by
 * logger name (`root`, a connector name, or a component such as `kafkajs`, `splunk-hec`, `api`).
 * @module
 */
import { pino, type Logger } from 'pino';
import { LOG_REDACT_PATHS } from '../config/index.ts';

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** A logger's level as `/admin/loggers` shows it, and when it was last set (epoch ms; null: never). */
export interface LoggerLevel {
  readonly level: string;
  readonly last_modified: number | null;
}

/**
 * Tracks every child logger so that `/admin/loggers` can change levels of loggers created earlier, and those
 * created later (a level set for a name that has no logger yet applies to the loggers of that name to come).
 */
export class LogLevels {
  readonly root: Logger;
  readonly #children = new Set<WeakRef<Logger>>();
  readonly #overrides = new Map<string, string>();
  readonly #modified = new Map<string, number>();
  readonly #now: () => number;

  constructor(level: string, workerId: string, now: () => number = Date.now) {
    this.#now = now;
    this.root = pino({
      level,
      base: { worker: workerId },
      redact: { paths: LOG_REDACT_PATHS, censor: '[hidden]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      onChild: (child) => {
        this.#children.add(new WeakRef(child));
        for (const [name, level] of this.#overrides) if (matches(child, name)) child.level = level;
      },
    });
  }

  /** Every named logger (root, components, connectors, and names a level was set for) with its pino level. */
  list(): Record<string, LoggerLevel> {
    const out: Record<string, LoggerLevel> = { root: this.#entry('root', this.root.level) };
    for (const [name, level] of this.#overrides) out[name] = this.#entry(name, level);
    for (const child of this.#live()) {
      const name = nameOf(child);
      if (name !== 'root') out[name] ??= this.#entry(name, child.level);
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  }

  /**
   * Sets the level of `name` (`root`: every logger), creating the name when no logger has it yet (Kafka Connect
   * does the same).
   * @returns the names changed, `name` first among them. @throws Error for an unknown level.
   */
  set(name: string, level: string): string[] {
    if (!LEVELS.has(level)) throw new Error(`unknown level "${level}"; use one of ${[...LEVELS].join(', ')}`);
    const changed = new Set<string>([name]);
    if (name === 'root') {
      this.#overrides.clear();
      this.root.level = level;
    } else {
      this.#overrides.set(name, level);
    }
    for (const child of this.#live()) {
      if (name === 'root' || matches(child, name)) {
        child.level = level;
        changed.add(nameOf(child));
      }
    }
    const now = this.#now();
    for (const changedName of changed) this.#modified.set(changedName, now);
    return [...changed].sort();
  }

  #entry(name: string, level: string): LoggerLevel {
    return { level, last_modified: this.#modified.get(name) ?? null };
  }

  #live(): Logger[] {
    const live: Logger[] = [];
    for (const ref of this.#children) {
      const child = ref.deref();
      if (child === undefined) this.#children.delete(ref);
      else live.push(child);
    }
    return live;
  }
}

/** A logger answers to its component's name and to its connector's name. */
function matches(logger: Logger, name: string): boolean {
  const bindings = logger.bindings() as { component?: unknown; connector?: unknown };
  return bindings.component === name || bindings.connector === name;
}

function nameOf(logger: Logger): string {
  const bindings = logger.bindings() as { component?: unknown; connector?: unknown; lib?: unknown };
  const name = bindings.component ?? bindings.connector;
  return typeof name === 'string' ? name : 'root';
}
