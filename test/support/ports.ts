import { createServer, type Server } from 'node:net';

/**
 * Distinct TCP ports that were free on 127.0.0.1 a moment ago: each is found by binding port 0, and all are held
 * open together (so the kernel cannot hand out the same one twice) before being released for the caller to bind.
 * Another process may still take one before the caller binds it; callers that can, retry with fresh ports.
 *
 * @param count how many ports
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, listenOnAnyPort));
  const ports = servers.map(portOf);
  await Promise.all(servers.map(close));
  return ports;
}

function listenOnAnyPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      resolve(server);
    });
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('a TCP server on port 0 has no port');
  return address.port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}
