import { describe, expect, it } from 'vitest';
import { readSettings, type LabSettings } from '../../../lab/orchestrator/settings.ts';
import { repoRoot } from '../../support/paths.ts';

const amqpOf = (argv: readonly string[], env: NodeJS.ProcessEnv = {}): string | undefined =>
  (readSettings(argv, env) as LabSettings).amqpConnectorFile;

describe('lab settings: the AMQP connector', () => {
  it('runs connectors/lab-amqp.json by default, another file when told, none when turned off', () => {
    expect(amqpOf([])).toBe(`${repoRoot}/connectors/lab-amqp.json`);
    expect(amqpOf(['--amqp-connector', 'connectors/x.json'])).toBe(`${repoRoot}/connectors/x.json`);
    expect(amqpOf([], { LAB_AMQP_CONNECTOR: '/tmp/y.json' })).toBe('/tmp/y.json');
    expect(amqpOf(['--amqp-connector', '/tmp/z.json'], { LAB_AMQP_CONNECTOR: '/tmp/y.json' })).toBe(
      '/tmp/z.json',
    );
    expect(amqpOf(['--no-amqp'])).toBeUndefined();
    expect(amqpOf(['--no-amqp', '--amqp-connector', '/tmp/z.json'])).toBeUndefined();
    expect(amqpOf(['--amqp-connector', 'none'])).toBeUndefined();
    expect(amqpOf([], { LAB_AMQP_CONNECTOR: 'none' })).toBeUndefined();
  });
});
