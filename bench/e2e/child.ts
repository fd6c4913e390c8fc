/**
 * The benchmark's helper processes (HEC receiver, MQTT subscriber) run apart from the bench so that their CPU is
 * measured on its own and never counted as logbridge's. They answer calls over Node's IPC channel and exit when
 * the parent goes away.
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process';

interface Call {
  readonly id: number;
  readonly method: string;
  readonly params: unknown;
}
interface Reply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

/** A helper process. */
export interface HelperProcess {
  readonly pid: number;
  /** What the helper's `ready` handler returned (its address, say). */
  readonly ready: unknown;
  call<T>(method: string, params?: unknown): Promise<T>;
  close(): Promise<void>;
}

/**
 * Forks `module` with the bench's own Node (and its flags, unless `execArgv` is given: a helper that holds more than
 * logbridge's heap passes `[]`); resolves once it answered `ready`.
 */
export async function startHelper(
  module: URL,
  args: readonly string[] = [],
  execArgv: readonly string[] = process.execArgv,
): Promise<HelperProcess> {
  const child = fork(module.pathname, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [...execArgv],
  });
  const pending = new Map<number, PromiseWithResolvers<unknown>>();
  let next = 0;
  child.on('message', (message: Reply) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error === undefined) waiter?.resolve(message.result);
    else waiter?.reject(new Error(message.error));
  });
  child.once('exit', (code, signal) => {
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`${module.pathname} exited (${String(code ?? signal)})`));
    }
  });
  const call = async <T>(method: string, params?: unknown): Promise<T> => {
    const id = (next += 1);
    const waiter = Promise.withResolvers<unknown>();
    pending.set(id, waiter);
    child.send({ id, method, params } satisfies Call);
    return (await waiter.promise) as T;
  };
  const ready = await call('ready');
  return { pid: child.pid ?? -1, ready, call, close: () => stop(child) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** In a helper: answers the parent's calls with `handlers`; exits when the parent disconnects. */
export function serveParent(handlers: Readonly<Record<string, (params: never) => unknown>>): void {
  process.on('message', (message: Call) => {
    const handler = handlers[message.method];
    void Promise.resolve()
      .then(() => {
        if (handler === undefined) throw new Error(`unknown call ${message.method}`);
        return handler(message.params as never);
      })
      .then(
        (result: unknown) => process.send?.({ id: message.id, result } satisfies Reply),
        (error: unknown) => process.send?.({ id: message.id, error: String(error) } satisfies Reply),
      );
  });
  process.once('disconnect', () => process.exit(0));
  process.once('SIGTERM', () => process.exit(0));
}
