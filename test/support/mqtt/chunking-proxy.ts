/**
 * A TCP proxy to a broker that hands the broker's bytes to the client in one chunk every `periodMs`, so that the
 * client reads many packets (PUBACKs) at once, as it does under load, whatever the timing of this machine. The
 * client's bytes go to the broker as they come.
 */
import { createServer, type Server, type Socket, connect } from 'node:net';

/** A running proxy; `url` is mqtt://127.0.0.1:<its port>. */
export interface ChunkingProxy {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts a proxy on a free port of 127.0.0.1 to `brokerPort`. */
export async function startChunkingProxy(brokerPort: number, periodMs: number): Promise<ChunkingProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const broker = connect(brokerPort, '127.0.0.1');
    let held: Buffer[] = [];
    const timer = setInterval(() => {
      if (held.length > 0) client.write(Buffer.concat(held));
      held = [];
    }, periodMs);
    broker.on('data', (chunk: Buffer) => held.push(chunk));
    client.pipe(broker);
    for (const socket of [client, broker]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(timer);
        client.destroy();
        broker.destroy();
        sockets.delete(socket);
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP port');
  return {
    url: `mqtt://127.0.0.1:${address.port}`,
    port: address.port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
