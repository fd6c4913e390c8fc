/**
 * A lab step that failed in a way a person can fix: what went wrong, and what to do about it.
 * @module
 */
import { createServer } from 'node:net';

/** A failed step, with the fix to print. */
export class LabError extends Error {
  override readonly name = 'LabError';
  /** What to do, e.g. `set LAB_HEC_PORT=0 or stop what listens on 8088`. */
  readonly fix: string;

  constructor(message: string, fix: string, options?: ErrorOptions) {
    super(message, options);
    this.fix = fix;
  }
}

/**
 * Checks that a TCP port of 127.0.0.1 can be bound now.
 * @param what what the lab wants the port for, e.g. `the HEC test server`
 * @param variable the environment variable that moves it
 * @throws LabError saying how to find the other process or move the lab's
 */
export async function assertPortFree(port: number, what: string, variable: string): Promise<void> {
  const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const server = createServer();
    server.once('error', resolve);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.close(() => {
        resolve(undefined);
      });
    });
  });
  if (error === undefined) return;
  const reason =
    error.code === 'EADDRINUSE' ? 'is in use' : `cannot be bound (${error.code ?? error.message})`;
  throw new LabError(
    `port ${String(port)} for ${what} ${reason}`,
    `find what listens there (ss -ltnp 'sport = :${String(port)}'), stop it — another lab? — or start the lab with ` +
      `${variable}=0 (any free port) or another port`,
    { cause: error },
  );
}
