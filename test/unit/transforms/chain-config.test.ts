import { describe, expect, it } from 'vitest';
import {
  createTransforms,
  isTransformKey,
  MemoryCounters,
  transformTypes,
  validateTransforms,
} from '../../../src/transforms/index.ts';

const context = {
  connector: 'lab',
  path: 'config',
  topics: ['logs'],
  eventHubsNamespace: 'acme.servicebus.windows.net',
  consumerGroup: 'logbridge-lab',
};

const issues = (properties: Record<string, unknown>): string[] =>
  validateTransforms(properties, context, transformTypes).issues.map((i) => `${i.path}: ${i.message}`);

describe('the transform chain keys', () => {
  it('builds the transforms in the order listed, named by their alias', () => {
    const { transforms, issues: found } = validateTransforms(
      {
        transforms: 'cri, k8s,route',
        'transforms.cri.type': 'cri',
        'transforms.k8s.type': 'kubernetes',
        'transforms.k8s.cluster': 'aks-prod',
        'transforms.route.type': 'route',
        'transforms.route.preset': 'mscs',
      },
      context,
      transformTypes,
    );
    expect(found).toEqual([]);
    const chain = createTransforms(transforms, () => new MemoryCounters());
    expect(chain.map((t) => [t.name, t.stateful === undefined ? 'apply' : 'stateful'])).toEqual([
      ['cri', 'stateful'],
      ['k8s', 'apply'],
      ['route', 'apply'],
    ]);
  });

  it('gives each transform its own counters, by alias', () => {
    const { transforms } = validateTransforms(
      { transforms: 'a,b', 'transforms.a.type': 'json', 'transforms.b.type': 'json' },
      context,
      transformTypes,
    );
    const aliases: string[] = [];
    createTransforms(transforms, (alias) => {
      aliases.push(alias);
      return new MemoryCounters();
    });
    expect(aliases).toEqual(['a', 'b']);
  });

  it('reports every problem with its key, suggesting the closest known one', () => {
    expect(
      issues({
        transforms: 'k8s,mask,smt,noType,bad.alias,k8s',
        'transforms.k8s.type': 'kubernets',
        'transforms.mask.type': 'mask',
        'transforms.mask.mdoe': 'hash',
        'transforms.mask.mode': 'scramble',
        'transforms.smt.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
        'transforms.msak.type': 'mask',
        'transforms.orphan': 'x',
      }),
    ).toEqual([
      'config.transforms: "bad.alias" must be 1-64 letters, digits, "-" or "_"',
      'config.transforms: "k8s" is listed twice',
      'config.transforms.orphan: must be transforms.<alias>.<option>',
      'config.transforms.msak: is not listed in transforms; did you mean "mask"?',
      'config.transforms.k8s.type: unknown transform type "kubernets"; did you mean "kubernetes"?',
      'config.transforms.mask.mdoe: is not an option of mask; did you mean "mode"?',
      'config.transforms.mask.mode: must be one of redact, partial, hash, got "scramble"',
      'config.transforms.smt.type: unknown transform type "org.apache.kafka.connect.transforms.InsertField$Value"; known: cri, kubernetes, json, filter, mask, split-records, route',
      'config.transforms.noType.type: is required: one of cri, kubernetes, json, filter, mask, split-records, route',
    ]);
  });

  it('owns the transforms keys and nothing else', () => {
    expect(isTransformKey('transforms')).toBe(true);
    expect(isTransformKey('transforms.mask.mode')).toBe(true);
    expect(isTransformKey('transformsx')).toBe(false);
    expect(isTransformKey('topics')).toBe(false);
  });

  it('is an empty chain without transforms', () => {
    expect(validateTransforms({ topics: 'logs' }, context, transformTypes)).toEqual({
      transforms: [],
      issues: [],
    });
  });
});
