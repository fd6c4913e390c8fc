/**
 * Who may call the REST API. With `rest.auth.token` set, every request but `/healthz` and `/readyz` needs
 * `Authorization: Bearer <token>` (the scheme in any case, RFC 7235); `rest.metrics.token`, when set, is accepted
 * for `GET /metrics` only (the scrape credential). `rest.read.only` refuses every change with 403 whoever asks; a
 * POST that changes nothing (the console's preview and reset plan) is a read.
 * Tokens are compared in constant time over their SHA-256, so neither their content nor their length leaks.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ErrorBody } from './errors.ts';

/** The API's access settings. */
export interface AccessSettings {
  /** Admin token; empty or undefined: no authentication. */
  readonly token?: string | undefined;
  /** Accepted for `GET /metrics` only. */
  readonly metricsToken?: string | undefined;
  /** Only reads (GET, HEAD) are served. */
  readonly readOnly?: boolean | undefined;
  /** Further paths anyone may GET (files that hold no data). */
  readonly isOpen?: ((path: string) => boolean) | undefined;
  /** POST paths that change nothing (they compute an answer): served in read-only mode too. */
  readonly isReadPost?: ((path: string) => boolean) | undefined;
}

/** Paths open to anyone: probes. `/readyz` names no connector to an unauthenticated caller. */
const OPEN_PATHS = new Set(['/healthz', '/readyz']);
const READS = new Set(['GET', 'HEAD']);
const BEARER = /^\s*bearer\s+(\S+)\s*$/i;

/** What a request may do. */
export type Access = 'admin' | 'metrics' | 'none';

/** Decides the access of each request. */
export class AccessControl {
  readonly #token: Buffer | undefined;
  readonly #metricsToken: Buffer | undefined;
  readonly readOnly: boolean;
  readonly #isOpen: (path: string) => boolean;
  readonly #isReadPost: (path: string) => boolean;

  constructor(settings: AccessSettings) {
    this.#token = digestOf(settings.token);
    this.#metricsToken = digestOf(settings.metricsToken);
    this.readOnly = settings.readOnly === true;
    this.#isOpen = settings.isOpen ?? (() => false);
    this.#isReadPost = settings.isReadPost ?? (() => false);
  }

  /** True when the API asks for a token. */
  get enabled(): boolean {
    return this.#token !== undefined;
  }

  /** The access a request's `Authorization` header gives. */
  accessOf(request: FastifyRequest): Access {
    if (this.#token === undefined) return 'admin';
    const given = digestOf(BEARER.exec(request.headers.authorization ?? '')?.[1]);
    if (given === undefined) return 'none';
    if (timingSafeEqual(given, this.#token)) return 'admin';
    if (this.#metricsToken !== undefined && timingSafeEqual(given, this.#metricsToken)) return 'metrics';
    return 'none';
  }

  /** Registers the hook that answers 401 and 403. */
  install(app: FastifyInstance): void {
    app.addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      if (OPEN_PATHS.has(path) || (READS.has(request.method) && this.#isOpen(path))) return;
      const access = this.accessOf(request);
      const metrics = path === '/metrics' && READS.has(request.method);
      if (access === 'none' || (access === 'metrics' && !metrics)) {
        const body: ErrorBody = {
          error_code: 401,
          message:
            access === 'metrics'
              ? 'this token may read /metrics only'
              : 'missing or wrong bearer token (Authorization: Bearer <rest.auth.token>)',
        };
        await reply.status(401).header('www-authenticate', 'Bearer').send(body);
        return;
      }
      const read = READS.has(request.method) || (request.method === 'POST' && this.#isReadPost(path));
      if (this.readOnly && !read) {
        const body: ErrorBody = {
          error_code: 403,
          message:
            'the REST API is read-only (rest.read.only=true): connectors come from their files; change them there',
        };
        await reply.status(403).send(body);
      }
    });
  }
}

function digestOf(token: string | undefined): Buffer | undefined {
  return token === undefined || token === '' ? undefined : createHash('sha256').update(token).digest();
}
