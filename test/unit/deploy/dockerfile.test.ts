/**
 * The Dockerfile and .dockerignore, checked statically (no Docker engine or hadolint here): the properties the image
 * must have, read from the instructions of each stage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExposure, UnprotectedApiError } from '../../../src/api/index.ts';
import { loadWorkerConfig } from '../../../src/config/index.ts';
import { repoRoot } from './helm.ts';
import { imageEnv } from './image.ts';

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}
interface Stage {
  readonly name: string;
  readonly from: string;
  readonly instructions: readonly Instruction[];
}

/** Instructions of a Dockerfile: comments dropped, `\` continuations joined. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n\s*/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

function stages(all: readonly Instruction[]): Stage[] {
  const result: { name: string; from: string; instructions: Instruction[] }[] = [];
  for (const instruction of all) {
    if (instruction.keyword === 'FROM') {
      const [from = '', , name = ''] = instruction.args.split(/\s+/);
      result.push({ name, from, instructions: [] });
    } else {
      result.at(-1)?.instructions.push(instruction);
    }
  }
  return result;
}

function stage(all: readonly Stage[], name: string): Stage {
  const found = all.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no stage ${name}`);
  return found;
}

function args(s: Stage, keyword: string): string[] {
  return s.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** The exec (JSON array) form of an instruction, or undefined for the shell form. */
function execForm(text: string | undefined): string[] | undefined {
  if (text === undefined || !text.startsWith('[')) return undefined;
  return JSON.parse(text) as string[];
}

const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const all = instructions(dockerfile);
const allStages = stages(all);
const runtime = stage(allStages, 'runtime');

describe('Dockerfile', () => {
  it('is multi-stage on node:24-slim, with the service as the last (default) stage', () => {
    expect(all.filter((i) => i.keyword === 'ARG' && i.args === 'NODE_IMAGE=node:24-slim')).toHaveLength(1);
    expect(allStages.map((s) => s.name)).toEqual(['build', 'prod-deps', 'lab', 'runtime']);
    for (const s of allStages) expect(s.from, s.name).toBe('${NODE_IMAGE}');
    expect(allStages.at(-1)?.name).toBe('runtime');
  });

  it('compiles in a build stage and ships production dependencies only', () => {
    expect(args(stage(allStages, 'build'), 'RUN')).toContain('npm run build');
    const prodInstall = args(stage(allStages, 'prod-deps'), 'RUN').join(' ');
    expect(prodInstall).toContain('npm ci --omit=dev');
    expect(prodInstall).toContain('--ignore-scripts');
    const copies = args(runtime, 'COPY');
    expect(copies).toContain('--from=prod-deps /app/node_modules ./node_modules');
    expect(copies).toContain('--from=build /app/dist ./dist');
    expect(copies.filter((c) => c.includes('--from=build') && c.includes('node_modules'))).toEqual([]);
    // No package manager, compiler or download at run time, and nothing installed in the runtime stage.
    for (const run of args(runtime, 'RUN')) expect(run).not.toMatch(/npm|apt|apk|curl|wget/);
    expect(all.map((i) => i.keyword)).not.toContain('ADD');
  });

  it('runs as a numeric non-root user', () => {
    for (const name of ['runtime', 'lab']) {
      const users = args(stage(allStages, name), 'USER');
      expect(users, name).toHaveLength(1);
      expect(users[0], name).toMatch(/^[1-9]\d*(:\d+)?$/);
    }
  });

  it('stops with SIGTERM, checks /healthz and exposes 8083, all in exec form (no shell needed)', () => {
    expect(args(runtime, 'STOPSIGNAL')).toEqual(['SIGTERM']);
    expect(args(runtime, 'EXPOSE')).toEqual(['8083']);
    const healthcheck = args(runtime, 'HEALTHCHECK')[0] ?? '';
    const command = execForm(/CMD (\[.*\])$/.exec(healthcheck)?.[1]);
    expect(command?.[0]).toBe('node');
    expect(command?.join(' ')).toContain('/healthz');
    expect(execForm(args(runtime, 'ENTRYPOINT')[0])).toBeDefined();
    expect(execForm(args(runtime, 'CMD')[0])).toEqual(['run']);
  });

  it('runs node with the flags of the logbridge command (src/cli/main.ts shebang)', () => {
    const shebang = readFileSync(join(repoRoot, 'src/cli/main.ts'), 'utf8').split('\n')[0] ?? '';
    const flags = shebang.split(/\s+/).filter((word) => word.startsWith('--'));
    expect(flags.filter((flag) => flag.startsWith('--max-'))).toHaveLength(2);
    expect(execForm(args(runtime, 'ENTRYPOINT')[0])).toEqual(['node', ...flags, 'dist/cli/main.js']);
  });

  it('binds the REST API on every interface and reads connectors from /etc/logbridge/connectors', () => {
    const env = args(runtime, 'ENV').join(' ');
    expect(env).toContain('LOGBRIDGE_REST_HOST=0.0.0.0');
    expect(env).toContain('LOGBRIDGE_CONNECTORS_DIR=/etc/logbridge/connectors');
    expect(env).not.toMatch(/TOKEN|PASSWORD|SECRET|CONNECTION_STRING/);
  });

  it('refuses to start on 0.0.0.0 without a token: logbridge run with the image environment', () => {
    const exposure = (env: Record<string, string>): boolean => {
      const { rest } = loadWorkerConfig(undefined, env);
      return checkExposure({ host: rest.host, token: rest.auth.token, required: rest.auth.required });
    };
    const env = imageEnv();
    expect(env['LOGBRIDGE_REST_HOST']).toBe('0.0.0.0');
    expect(Object.keys(env)).not.toContain('LOGBRIDGE_REST_AUTH_REQUIRED');
    expect(() => exposure(env)).toThrow(UnprotectedApiError);
    // docker run -e LOGBRIDGE_REST_AUTH_TOKEN=… (or _FILE) starts it; an open API only when asked for, and it warns.
    expect(exposure({ ...env, LOGBRIDGE_REST_AUTH_TOKEN: 'a-token' })).toBe(false);
    expect(exposure({ ...env, LOGBRIDGE_REST_AUTH_REQUIRED: 'false' })).toBe(true);
  });

  it('carries the OCI labels, with the version of package.json', () => {
    const labels = args(runtime, 'LABEL').join(' ');
    for (const key of [
      'title',
      'description',
      'version',
      'revision',
      'created',
      'source',
      'licenses',
      'base.name',
    ]) {
      expect(labels).toContain(`org.opencontainers.image.${key}=`);
    }
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(args(runtime, 'ARG')).toContain(`VERSION=${version}`);
  });
});

/** A .dockerignore pattern as a regular expression: `**` any path, `*` and `?` within one level. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i] ?? '';
    if (glob.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Docker's rule: the last pattern matching the path or one of its parents wins; `!` lets a path back in. */
function ignored(path: string, patterns: readonly string[]): boolean {
  const prefixes = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let result = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const glob = globToRegExp(negated ? raw.slice(1) : raw);
    if (prefixes.some((prefix) => glob.test(prefix))) result = !negated;
  }
  return result;
}

describe('.dockerignore', () => {
  const patterns = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('lets in every file the Dockerfile copies', () => {
    const sources = all
      .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(existsSync(join(repoRoot, source)), source).toBe(true);
      expect(ignored(source, patterns), source).toBe(false);
    }
    for (const file of ['src/cli/main.ts', 'lab/generator/main.ts', 'compose/lab-tools/subscriber.js']) {
      expect(ignored(file, patterns), file).toBe(false);
    }
  });

  it('keeps dependencies, caches, build output, tests and secrets out', () => {
    for (const file of [
      'node_modules/kafkajs/package.json',
      'src/node_modules/x.js',
      '.git/HEAD',
      '.cache/helm/helm',
      'dist/cli/main.js',
      'test/unit/deploy/dockerfile.test.ts',
      'compose/secrets/splunk-hec-token',
      'charts/logbridge/values.yaml',
      '.env',
      'lab/out/logbridge.log',
    ]) {
      expect(ignored(file, patterns), `${file} should be ignored`).toBe(true);
    }
  });
});
