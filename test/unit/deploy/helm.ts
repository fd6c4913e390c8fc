/**
 * helm as a child process for the chart checks: the binary `make helm` builds from the Go module proxy into
 * `.cache/helm` (version pinned by HELM_VERSION in the Makefile). `HELM=/path/to/helm` uses another one.
 * @module
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The chart. */
export const chartDir = join(repoRoot, 'charts/logbridge');
/** The production-like values file. */
export const productionValues = join(chartDir, 'ci/production-values.yaml');

/** A rendered Kubernetes object. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
  };
  readonly [key: string]: unknown;
}

let scratch: string | undefined;

/** helm's cache, configuration and data directories and the values files of a test file: nothing goes to $HOME. */
function helmHome(): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'logbridge-helm-'));
  return scratch;
}

/** Deletes what {@link helm} and {@link valuesFile} wrote (call it in afterAll). */
export function removeScratch(): void {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}

/** What a helm run printed. */
export interface HelmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The helm binary.
 * @throws Error naming `make helm` when it has not been built.
 */
export function helmBinary(): string {
  const override = process.env['HELM'];
  if (override !== undefined && override !== '') return override;
  const makefile = readFileSync(join(repoRoot, 'Makefile'), 'utf8');
  const pinned = /^HELM_VERSION := (\S+)$/m.exec(makefile)?.[1] ?? 'unknown';
  const binary = join(repoRoot, '.cache/helm/helm');
  if (!existsSync(binary) || !existsSync(join(repoRoot, `.cache/helm/.installed-${pinned}`))) {
    throw new Error(
      `helm ${pinned} is not built: run \`make helm\` (it builds helm from the Go module proxy into .cache/helm; ` +
        '`make test` does it), or set HELM=/path/to/helm',
    );
  }
  return binary;
}

/** Runs helm; resolves with its exit code and output (never rejects on a non-zero exit). */
export function helm(args: readonly string[]): Promise<HelmResult> {
  const binary = helmBinary();
  return new Promise((resolve) => {
    execFile(
      binary,
      [...args],
      {
        cwd: repoRoot,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          ...process.env,
          HELM_CACHE_HOME: join(helmHome(), 'cache'),
          HELM_CONFIG_HOME: join(helmHome(), 'config'),
          HELM_DATA_HOME: join(helmHome(), 'data'),
        },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `helm template` arguments for the chart with these values files (release logbridge, namespace logging). */
export function templateArgs(valuesFiles: readonly string[] = []): string[] {
  return [
    'template',
    'logbridge',
    chartDir,
    '--namespace',
    'logging',
    ...valuesFiles.flatMap((f) => ['-f', f]),
  ];
}

/**
 * Renders the chart and parses every document.
 * @throws Error with helm's output when rendering fails.
 */
export async function render(valuesFiles: readonly string[] = []): Promise<Manifest[]> {
  const result = await helm(templateArgs(valuesFiles));
  if (result.code !== 0) throw new Error(`helm template failed (${String(result.code)}):\n${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((document) => document.toJSON() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

/** Writes a values file (YAML or JSON text) to a fresh temporary directory and returns its path. */
export function valuesFile(text: string): string {
  const path = join(mkdtempSync(join(helmHome(), 'values-')), 'values.yaml');
  writeFileSync(path, text);
  return path;
}

/**
 * The one object of a kind (and name suffix, when given).
 * @throws Error when there is not exactly one.
 */
export function only(manifests: readonly Manifest[], kind: string, nameSuffix = ''): Manifest {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name.endsWith(nameSuffix));
  if (found.length !== 1) throw new Error(`expected one ${kind}${nameSuffix}, found ${String(found.length)}`);
  const [manifest] = found as [Manifest];
  return manifest;
}
