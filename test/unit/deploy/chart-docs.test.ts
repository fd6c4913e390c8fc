/**
 * What the chart documents agrees with what it does: every value of values.yaml is described there (`# --`) and in
 * the README's table, the chart deploys the package's version, and the Grafana dashboard only queries metrics that
 * logbridge exports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { isMap, type Pair, parse, parseDocument, type YAMLMap } from 'yaml';
import { chartDir, repoRoot } from './helm.ts';

/** Paths of the values documented by a `# --` comment (a documented map is one value), and undocumented leaves. */
function documentedValues(map: YAMLMap, prefix = ''): { documented: string[]; undocumented: string[] } {
  const documented: string[] = [];
  const undocumented: string[] = [];
  map.items.forEach((pair: Pair, index) => {
    const key = `${prefix}${String((pair.key as { value: unknown }).value)}`;
    const keyComment = (pair.key as { commentBefore?: string | null }).commentBefore;
    const comment = keyComment ?? (index === 0 ? map.commentBefore : undefined) ?? '';
    if (comment.includes('-- ')) documented.push(key);
    else if (isMap(pair.value)) {
      const inner = documentedValues(pair.value, `${key}.`);
      documented.push(...inner.documented);
      undocumented.push(...inner.undocumented);
    } else undocumented.push(key);
  });
  return { documented, undocumented };
}

function metricNamesInSource(): Set<string> {
  const names = new Set<string>();
  const files = readdirSync(join(repoRoot, 'src'), { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('metrics.ts'),
  );
  for (const file of files) {
    const text = readFileSync(join(repoRoot, 'src', file), 'utf8');
    for (const [, name] of text.matchAll(/'(logbridge_[a-z0-9_]+)'/g)) names.add(name ?? '');
    // The Solace and MQTT sinks share instruments named `${prefix}_…` with prefix logbridge_<transport>.
    if (text.includes('`logbridge_${transport}`')) {
      for (const [, suffix] of text.matchAll(/`\$\{prefix\}_([a-z0-9_]+)`/g)) {
        for (const transport of ['solace', 'mqtt']) names.add(`logbridge_${transport}_${suffix ?? ''}`);
      }
    }
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'logbridge_' });
  for (const metric of registry.getMetricsAsArray()) names.add(metric.name);
  return names;
}

describe('the chart documentation', () => {
  const document = parseDocument(readFileSync(join(chartDir, 'values.yaml'), 'utf8'));
  const { documented, undocumented } = documentedValues(document.contents as YAMLMap);
  const readme = readFileSync(join(chartDir, 'README.md'), 'utf8');
  const inReadme = [...readme.matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1] ?? '');

  it('describes every value in values.yaml', () => {
    expect(documented.length).toBeGreaterThan(40);
    expect(undocumented).toEqual([]);
  });

  it('lists exactly the values of values.yaml in the README table', () => {
    expect(inReadme.filter((path) => !documented.includes(path))).toEqual([]);
    expect(documented.filter((path) => !inReadme.includes(path))).toEqual([]);
  });

  it('states each default as values.yaml has it', () => {
    const values = document.toJSON() as Record<string, unknown>;
    const rows = [...readme.matchAll(/^\| `([^`]+)` +\| [^|]+ \| `([^`]+)` +\|/gm)];
    expect(rows.length).toBeGreaterThan(30);
    for (const row of rows) {
      const [, path = '', shown = ''] = row;
      const actual = path
        .split('.')
        .reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], values);
      expect(JSON.parse(shown), path).toEqual(actual);
    }
  });

  it('deploys the version of package.json', () => {
    const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as { appVersion: string };
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(chart.appVersion).toBe(version);
  });
});

describe('the Grafana dashboard', () => {
  interface Panel {
    readonly title: string;
    readonly type: string;
    readonly targets?: readonly { readonly expr: string }[];
  }
  const dashboard = JSON.parse(readFileSync(join(chartDir, 'dashboards/logbridge.json'), 'utf8')) as {
    panels: Panel[];
  };
  const expressions = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));

  it('shows throughput, lag, end-to-end latency, sink errors and dead letters', () => {
    const titles = dashboard.panels.map((panel) => panel.title.toLowerCase()).join('\n');
    for (const topic of [
      'records received',
      'delivered',
      'lag',
      'end-to-end latency',
      'retries',
      'dead letters',
    ]) {
      expect(titles).toContain(topic);
    }
  });

  it('queries only metrics that logbridge exports', () => {
    const known = metricNamesInSource();
    expect(known).toContain('logbridge_records_received_total');
    const used = new Set(
      expressions.flatMap((expr) =>
        [...expr.matchAll(/\b(logbridge_[a-z0-9_]+)/g)].map((m) =>
          (m[1] ?? '').replace(/_(bucket|sum|count)$/, ''),
        ),
      ),
    );
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((name) => !known.has(name))).toEqual([]);
  });
});
