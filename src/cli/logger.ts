/**
 * The process logger: pino JSON lines on stdout, secrets redacted, with levels that can be changed at run time by
 * logger name (`root`, a connector name, or a component such as `kafkajs`, `splunk-hec`, `api`).
 * @module
 */
import { pino, type Logger } from 'pino';
import { LOG_REDACT_PATHS } from '../config/index.ts';

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Tracks every child logger so that `/admin/loggers` can change levels of loggers created earlier. */
export class LogLevels {
  readonly root: Logger;
  readonly #children = new Set<WeakRef<Logger>>();
  readonly #overrides = new Map<string, string>();

  constructor(level: string, workerId: string) {
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

  /** Every named logger and its level. */
  list(): Record<string, { level: string }> {
    const out: Record<string, { level: string }> = { root: { level: this.root.level } };
    for (const child of this.#live()) {
      const name = nameOf(child);
      if (name !== 'root') out[name] ??= { level: child.level };
    }
    return out;
  }

  /**
   * Sets the level of `name` (`root`: every logger).
   * @returns the names changed. @throws Error for an unknown level.
   */
  set(name: string, level: string): string[] {
    if (!LEVELS.has(level)) throw new Error(`unknown level "${level}"; use one of ${[...LEVELS].join(', ')}`);
    const changed = new Set<string>();
    if (name === 'root') {
      this.#overrides.clear();
      this.root.level = level;
      changed.add('root');
    } else {
      this.#overrides.set(name, level);
    }
    for (const child of this.#live()) {
      if (name === 'root' || matches(child, name)) {
        child.level = level;
        changed.add(nameOf(child));
      }
    }
    return [...changed].sort();
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
