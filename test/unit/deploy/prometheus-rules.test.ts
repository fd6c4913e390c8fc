/**
 * The chart's PrometheusRule: rendered by the real helm, on only with the ServiceMonitor (or when asked), and its
 * alerts checked by the real promtool (`promtool check rules`, then `promtool test rules` with the series and
 * expected alerts of prometheus-rules.promtool.yaml).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type Manifest, removeScratch, render, repoRoot, valuesFile } from './helm.ts';

const scratch = mkdtempSync(join(tmpdir(), 'logbridge-promtool-'));
afterAll(() => {
  removeScratch();
  rmSync(scratch, { recursive: true, force: true });
});

interface Rule extends Manifest {
  readonly spec: { readonly groups: readonly { name: string; rules: readonly { alert: string }[] }[] };
}

/** promtool as `make promtool` builds it; `PROMTOOL=/path` uses another. */
function promtool(args: readonly string[]): Promise<{ code: number; output: string }> {
  const makefile = readFileSync(join(repoRoot, 'Makefile'), 'utf8');
  const pinned = /^PROMETHEUS_MODULE_VERSION := (\S+)$/m.exec(makefile)?.[1] ?? 'unknown';
  const binary = process.env['PROMTOOL'] ?? join(repoRoot, '.cache/promtool/promtool');
  if (
    process.env['PROMTOOL'] === undefined &&
    !existsSync(join(repoRoot, `.cache/promtool/.installed-${pinned}`))
  ) {
    throw new Error(
      `promtool (prometheus ${pinned}) is not built: run \`make promtool\` (from the Go module proxy into ` +
        '.cache/promtool; `make test` does it), or set PROMTOOL=/path/to/promtool',
    );
  }
  return new Promise((resolve) => {
    execFile(binary, [...args], { cwd: scratch }, (error, stdout, stderr) => {
      resolve({
        code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
        output: stdout + stderr,
      });
    });
  });
}

const rulesOf = (manifests: readonly Manifest[]): Rule[] =>
  manifests.filter((m): m is Rule => m.kind === 'PrometheusRule');

describe('PrometheusRule', () => {
  it('is rendered only with the ServiceMonitor, unless asked for or refused', async () => {
    expect(rulesOf(await render())).toHaveLength(0);
    const withMonitor = valuesFile('metrics:\n  serviceMonitor:\n    enabled: true\n');
    expect(rulesOf(await render([withMonitor]))).toHaveLength(1);
    const refused = valuesFile(
      'metrics:\n  serviceMonitor:\n    enabled: true\n  prometheusRule:\n    enabled: false\n',
    );
    expect(rulesOf(await render([refused]))).toHaveLength(0);
    const asked = valuesFile('metrics:\n  prometheusRule:\n    enabled: true\n');
    expect(rulesOf(await render([asked]))).toHaveLength(1);
  });

  it('holds the alerts operators expect, each checked by promtool against series', async () => {
    const withMonitor = valuesFile('metrics:\n  serviceMonitor:\n    enabled: true\n');
    const [rule] = rulesOf(await render([withMonitor]));
    expect(rule?.spec.groups.flatMap((g) => g.rules.map((r) => r.alert))).toEqual([
      'LogbridgeConnectorFailed',
      'LogbridgeConnectorDegraded',
      'LogbridgeLagHigh',
      'LogbridgeDeadLetters',
      'LogbridgeSinkUnhealthy',
      'LogbridgeCommittedAboveEnd',
      'LogbridgeOffsetReset',
      'LogbridgeMemoryNearLimit',
    ]);
    writeFileSync(join(scratch, 'rules.yaml'), stringify({ groups: rule?.spec.groups }));
    copyFileSync(join(import.meta.dirname, 'prometheus-rules.promtool.yaml'), join(scratch, 'tests.yaml'));
    const checked = await promtool(['check', 'rules', 'rules.yaml']);
    expect(checked.output).toContain('SUCCESS: 8 rules found');
    const tested = await promtool(['test', 'rules', 'tests.yaml']);
    expect(tested, tested.output).toMatchObject({ code: 0 });
  });

  it('has a runbook line for every alert in docs/deploy.md', async () => {
    const [rule] = rulesOf(await render([valuesFile('metrics:\n  prometheusRule:\n    enabled: true\n')]));
    const deploy = readFileSync(join(repoRoot, 'docs/deploy.md'), 'utf8');
    for (const alert of rule?.spec.groups.flatMap((g) => g.rules.map((r) => r.alert)) ?? []) {
      expect(deploy, alert).toMatch(new RegExp(`^\\| \`${alert}\` +\\|`, 'm'));
    }
  });
});
