/**
 * The console's files: `/ui/` and the files beside it in `static/` (copied into `dist/` by the build), and uPlot
 * from its npm package (`/ui/vendor/…`). Nothing is fetched from elsewhere; a strict Content-Security-Policy says
 * so to the browser. The files hold no data and no secret, so they are served without the bearer token: the page
 * asks for the token and sends it with every API call.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The console's own files, by URL name. */
const FILES = ['index.html', 'console.css', 'app.js', 'api.js', 'charts.js', 'render.js', 'panels.js'];

const HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** Paths served without the bearer token. */
export function isConsoleFile(path: string): boolean {
  return path === '/ui' || path.startsWith('/ui/');
}

/** Registers `/ui`, `/ui/` and its files. */
export function staticRoutes(app: FastifyInstance): void {
  const files = new Map<string, { body: Buffer; type: string }>();
  const own = (name: string): URL => new URL(`static/${name}`, import.meta.url);
  for (const name of FILES) files.set(name, { body: readFileSync(own(name)), type: typeOf(name) });
  const require = createRequire(import.meta.url);
  for (const name of ['uPlot.esm.js', 'uPlot.min.css']) {
    const path = require.resolve(`uplot/dist/${name}`);
    files.set(`vendor/${name}`, { body: readFileSync(path), type: typeOf(name) });
  }
  app.get('/ui', (_request, reply) => reply.redirect('/ui/'));
  app.get<{ Params: { '*': string } }>('/ui/*', (request, reply) => {
    const name = request.params['*'] === '' ? 'index.html' : request.params['*'];
    const file = files.get(name);
    if (file === undefined) {
      return reply.status(404).send({ error_code: 404, message: `no console file ${name}` });
    }
    return reply.headers({ ...HEADERS, 'content-type': file.type }).send(file.body);
  });
}

function typeOf(name: string): string {
  return TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';
}
