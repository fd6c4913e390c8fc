import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { peerActions, type ControlAddress, type CreatePeerRequest, type PeerAction } from './protocol.ts';
import { ControlError, type PeerRegistry } from './registry.ts';

/** The control channel's HTTP server, in vitest's main process. */
export interface ControlServer {
  readonly address: ControlAddress;
  close(): Promise<void>;
}

const maxBodyBytes = 64 * 1024;

/**
 * Serves the control channel (see `protocol.ts`) for a registry on 127.0.0.1, on a free port, behind a random
 * bearer token that only this run's test files receive.
 */
export async function startControlServer(registry: PeerRegistry): Promise<ControlServer> {
  const token = randomBytes(16).toString('hex');
  const server = createServer((request, response) => {
    void handle(registry, token, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { address: { url: `http://127.0.0.1:${portOf(server)}`, token }, close: () => close(server) };
}

async function handle(
  registry: PeerRegistry,
  token: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    if (!authorized(request, token)) throw new ControlError(401, 'missing or wrong bearer token');
    if (request.method !== 'POST')
      throw new ControlError(400, `${String(request.method)}: only POST is served`);
    const body = await readJson(request);
    reply(response, 200, await route(registry, request.url ?? '/', body));
  } catch (error) {
    const status = error instanceof ControlError ? error.status : 500;
    reply(response, status, { error: error instanceof Error ? error.message : String(error) });
  }
}

async function route(registry: PeerRegistry, url: string, body: unknown): Promise<unknown> {
  const parts = url.split('/').filter(Boolean);
  if (parts.length === 1 && parts[0] === 'peers') return registry.create(parseCreateRequest(body));
  const [root, name, action] = parts;
  if (parts.length === 3 && root === 'peers' && name !== undefined && isPeerAction(action)) {
    await registry.act(decodeURIComponent(name), action);
    return {};
  }
  throw new ControlError(404, `no route POST ${url}`);
}

function parseCreateRequest(body: unknown): CreatePeerRequest {
  const kind = (body as { kind?: unknown } | null)?.kind;
  if (kind !== 'kafka' && kind !== 'mosquitto' && kind !== 'azurite')
    throw new ControlError(400, 'kind must be kafka, mosquitto or azurite');
  return body as CreatePeerRequest;
}

function isPeerAction(action: string | undefined): action is PeerAction {
  return (peerActions as readonly (string | undefined)[]).includes(action);
}

function authorized(request: IncomingMessage, token: string): boolean {
  const given = Buffer.from(request.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new ControlError(400, `body larger than ${maxBodyBytes} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ControlError(400, 'body is not JSON', { cause: error });
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the control server has no TCP port');
  return address.port;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}
