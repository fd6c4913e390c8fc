import { describe, expect, it } from 'vitest';
import { kubernetesType } from '../../../src/transforms/kubernetes.ts';
import { build, event, issuesOf, run } from './events.ts';

const ID = '0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d';
const TAG = `kube.var.log.containers.web-1_shop_nginx-${ID}.log`;
const fromTag = { namespace_name: 'shop', pod_name: 'web-1', container_name: 'nginx', docker_id: ID };

describe('kubernetes', () => {
  it('reads the Fluent Bit tag in the Kafka key by default', () => {
    const { transform } = build(kubernetesType, {});
    const [out] = run(transform, event({ log: 'hi' }, { key: TAG }));
    expect(out?.body).toEqual({ log: 'hi', kubernetes: fromTag });
  });

  it('reads a header named in the tag template, and sets the cluster from a template', () => {
    const { transform } = build(kubernetesType, {
      tag: '${header.fluentbit_tag}',
      cluster: '${header.cluster:-aks-prod-weu}',
    });
    const [withHeader] = run(
      transform,
      event({ log: 'x' }, { headers: { fluentbit_tag: TAG, cluster: 'aks-dr' } }),
    );
    expect(withHeader?.body).toEqual({ log: 'x', kubernetes: { ...fromTag, cluster_name: 'aks-dr' } });
    const [withDefault] = run(transform, event({ log: 'x' }));
    expect(withDefault?.body).toEqual({ log: 'x', kubernetes: { cluster_name: 'aks-prod-weu' } });
  });

  it('keeps what Fluent Bit already set, normalising the container id', () => {
    const { transform } = build(kubernetesType, { cluster: 'aks-prod' });
    const kubernetes = {
      pod_name: 'fb-pod',
      namespace_name: 'finance',
      docker_id: `containerd://${ID}`,
      labels: { app: 'x' },
    };
    const [out] = run(transform, event({ log: 'x', kubernetes }, { key: TAG }));
    expect(out?.body).toEqual({
      log: 'x',
      kubernetes: { ...kubernetes, docker_id: ID, container_name: 'nginx', cluster_name: 'aks-prod' },
    });
  });

  it('takes the id from container_id when there is no docker_id', () => {
    const { transform } = build(kubernetesType, {});
    const [out] = run(transform, event({ kubernetes: { container_id: `docker://${ID}` } }));
    expect(out?.body).toEqual({ kubernetes: { container_id: `docker://${ID}`, docker_id: ID } });
  });

  it('lets the tag win with overwrite=true', () => {
    const { transform } = build(kubernetesType, { overwrite: 'true' });
    const [out] = run(transform, event({ kubernetes: { namespace_name: 'old' } }, { key: TAG }));
    expect(out?.body).toEqual({ kubernetes: fromTag });
  });

  it('wraps a text body when there is metadata, and writes to another field when asked', () => {
    const { transform } = build(kubernetesType, { target: 'k8s' });
    const [out] = run(transform, event('plain text', { key: TAG }));
    expect(out?.body).toEqual({ log: 'plain text', k8s: fromTag });
  });

  it('leaves an event without metadata untouched, and counts it', () => {
    const { transform, counters } = build(kubernetesType, {});
    const input = event('plain text', { key: 'order-42' });
    expect(run(transform, input)).toEqual([input]);
    const already = event({ kubernetes: { docker_id: ID } });
    expect(run(transform, already)[0]).toBe(already);
    expect(counters.get('no_metadata')).toBe(1);
  });

  it('reports invalid options', () => {
    expect(issuesOf(kubernetesType, { tag: '${', cluster: '${a', overwrite: 'yes' })).toEqual([
      'config.transforms.t.overwrite: must be true or false, got "yes"',
      'config.transforms.t.tag: template "${" at 0: unclosed ${',
      'config.transforms.t.cluster: template "${a" at 0: unclosed ${',
    ]);
  });
});
