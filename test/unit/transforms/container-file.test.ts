import { describe, expect, it } from 'vitest';
import { bareContainerId, parseContainerFile } from '../../../src/transforms/container-file.ts';

const ID = 'a3f1c9e2b7d84f6a9c0e1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c0b1a2f';
const expected = {
  namespace_name: 'shop',
  pod_name: 'checkout-7d9f8b6c5d-x2lqp',
  container_name: 'checkout',
  docker_id: ID,
};

describe('parseContainerFile', () => {
  it.each([
    `/var/log/containers/checkout-7d9f8b6c5d-x2lqp_shop_checkout-${ID}.log`,
    `kube.var.log.containers.checkout-7d9f8b6c5d-x2lqp_shop_checkout-${ID}.log`,
    `custom.prefix.var.log.containers.checkout-7d9f8b6c5d-x2lqp_shop_checkout-${ID}.log`,
    `checkout-7d9f8b6c5d-x2lqp_shop_checkout-${ID}.log`,
  ])('reads %s', (tag) => {
    expect(parseContainerFile(tag)).toEqual(expected);
  });

  it('keeps dots in pod names and hyphens in container names', () => {
    expect(parseContainerFile(`kube.var.log.containers.web.v2-0_prod_istio-proxy-${ID}.log`)).toEqual({
      namespace_name: 'prod',
      pod_name: 'web.v2-0',
      container_name: 'istio-proxy',
      docker_id: ID,
    });
  });

  it.each([
    '/var/log/pods/shop_checkout-7d9f8b6c5d-x2lqp_2f6c1a9e-3b4d-4e8f-9a1b-7c2d3e4f5a6b/checkout/0.log',
    'kube.var.log.pods.shop_checkout-7d9f8b6c5d-x2lqp_2f6c1a9e-3b4d-4e8f-9a1b-7c2d3e4f5a6b.checkout.0.log',
  ])('reads the pods layout %s', (tag) => {
    expect(parseContainerFile(tag)).toEqual({
      namespace_name: 'shop',
      pod_name: 'checkout-7d9f8b6c5d-x2lqp',
      container_name: 'checkout',
      pod_id: '2f6c1a9e-3b4d-4e8f-9a1b-7c2d3e4f5a6b',
    });
  });

  it.each([
    'order-1234',
    `/var/log/containers/checkout_shop_checkout-${ID.slice(1)}.log`,
    `/var/log/containers/a_b_c_d-${ID}.log`,
    '/var/log/pods/shop_web_not-a-uid/web/0.log',
    '',
  ])('finds nothing in %j', (tag) => {
    expect(parseContainerFile(tag)).toBeUndefined();
  });
});

describe('bareContainerId', () => {
  it('strips runtime prefixes only', () => {
    expect(bareContainerId(`containerd://${ID}`)).toBe(ID);
    expect(bareContainerId(`docker://${ID}`)).toBe(ID);
    expect(bareContainerId(`cri-o://${ID}`)).toBe(ID);
    expect(bareContainerId(ID)).toBe(ID);
  });
});
