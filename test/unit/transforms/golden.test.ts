import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../../src/engine/index.ts';
import { type ChainRun, runChain } from './chain-runner.ts';

/**
 * Golden tests: the fixtures in test/fixtures/transforms through realistic chains, compared with the reviewed
 * outputs in test/fixtures/transforms/golden. After a deliberate change, regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run --project unit test/unit/transforms/golden.test.ts`, then
 * `npx prettier --write test/fixtures/transforms/golden`, and review the diff.
 */
const fixtures = new URL('../../fixtures/transforms/', import.meta.url);
const read = (name: string): Buffer => readFileSync(new URL(name, fixtures));

function records(values: readonly (string | Buffer | { key?: string; value: string })[]): SourceRecord[] {
  return values.map((item, offset) => {
    const { key, value } =
      typeof item === 'string' || Buffer.isBuffer(item) ? { key: undefined, value: item } : item;
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value);
    return {
      position: { topic: 'logs', partition: 0, offset: BigInt(offset) },
      key: key === undefined ? null : Buffer.from(key),
      value: bytes,
      headers: {},
      timestampMs: Date.UTC(2024, 10, 24, 8, 20, 0),
      sizeBytes: bytes.length,
    };
  });
}

const lines = (name: string): string[] => read(name).toString('utf8').trimEnd().split('\n');

/** The lab's chain for container logs: parse, enrich, merge JSON, filter, mask, route. */
const labChain = {
  transforms: 'cri,k8s,json,keep,mask,route',
  'transforms.cri.type': 'cri',
  'transforms.k8s.type': 'kubernetes',
  'transforms.k8s.cluster': 'aks-prod-weu',
  'transforms.json.type': 'json',
  'transforms.json.target': 'log_processed',
  'transforms.json.keep.original': 'false',
  'transforms.keep.type': 'filter',
  'transforms.keep.exclude.kubernetes.namespace_name': '^kube-system$',
  'transforms.mask.type': 'mask',
  'transforms.mask.mode.email': 'hash',
  'transforms.mask.mode.card': 'partial',
  'transforms.mask.hash.secret': 'golden-test-secret-0123456789',
  'transforms.mask.fields.exclude': 'kubernetes',
  'transforms.route.type': 'route',
  'transforms.route.rules': 'ingress,shop',
  'transforms.route.rule.ingress.when.kubernetes.namespace_name': '^ingress-nginx$',
  'transforms.route.rule.ingress.sourcetype': 'nginx:plus:kv',
  'transforms.route.rule.ingress.index': 'web',
  'transforms.route.rule.shop.when.kubernetes.namespace_name': '^shop$',
  'transforms.route.rule.shop.index': 'app_shop',
  'transforms.route.index': 'k8s',
  'transforms.route.sourcetype': 'kube:container:${kubernetes.container_name:-unknown}',
  'transforms.route.host': '${kubernetes.host}',
  'transforms.route.source': '${kubernetes.namespace_name:-unknown}/${kubernetes.pod_name:-unknown}',
  'transforms.route.topic':
    'acme/${kubernetes.cluster_name}/${kubernetes.labels.app:-${kubernetes.container_name:-unknown}}/${kubernetes.docker_id:-none}/${stream:-text}',
};

const scenarios: Record<string, () => ChainRun> = {
  'fluent-bit': () => runChain(labChain, records(lines('fluent-bit-records.jsonl'))),
  containerd: () =>
    runChain(
      labChain,
      records(lines('containerd-cri.jsonl').map((l) => JSON.parse(l) as { key: string; value: string })),
    ),
  'plain-and-broken': () =>
    runChain(
      labChain,
      records([read('plain-text.txt'), read('broken-json.txt'), read('invalid-utf8.bin'), '']),
    ),
  'azure-mscs': () =>
    runChain(
      {
        transforms: 'hf',
        'transforms.hf.type': 'route',
        'transforms.hf.preset': 'mscs',
        'transforms.hf.mscs.python.raw': 'true',
        'transforms.hf.mscs.event.format.flags': '6',
        'transforms.hf.index': 'azure',
      },
      records([read('aks-audit.jsonl'), read('activity-log.jsonl')]),
    ),
  'azure-parsed': () =>
    runChain(
      {
        transforms: 'split,audit,mask,route',
        'transforms.split.type': 'split-records',
        'transforms.audit.type': 'json',
        'transforms.audit.field': 'properties.log',
        'transforms.audit.target': 'audit',
        'transforms.audit.keep.original': 'false',
        'transforms.mask.type': 'mask',
        'transforms.mask.detectors': 'email,ipv4,ipv6',
        'transforms.mask.fields':
          'properties.audit.user,properties.audit.sourceIPs,callerIpAddress,identity.claims',
        'transforms.route.type': 'route',
        'transforms.route.rules': 'audit',
        'transforms.route.rule.audit.when.category': '^kube-audit$',
        'transforms.route.rule.audit.index': 'aks_audit',
        'transforms.route.rule.audit.sourcetype': 'azure:aks:audit',
        'transforms.route.index': 'azure',
        'transforms.route.sourcetype': 'azure:monitor:${category:-unknown}',
      },
      records([read('aks-audit.jsonl'), read('activity-log.jsonl')]),
    ),
};

describe('golden outputs', () => {
  it.each(Object.keys(scenarios))('%s', (name) => {
    const actual = JSON.parse(JSON.stringify(scenarios[name]?.())) as ChainRun;
    const file = new URL(`golden/${name}.json`, fixtures);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });
});
