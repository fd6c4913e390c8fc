import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configurationDoc } from '../../../scripts/config-docs.ts';

describe('docs/configuration.md', () => {
  it('is what the option schemas generate (run `node scripts/config-docs.ts --write` after changing one)', () => {
    const committed = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    expect(committed).toBe(configurationDoc());
  });

  it('lists the keys users carry over from Splunk Connect for Kafka and Kafka Connect', () => {
    const doc = configurationDoc();
    for (const key of [
      'splunk.hec.uri',
      'splunk.hec.token',
      'errors.tolerance',
      'errors.deadletterqueue.topic.name',
      'topics',
    ]) {
      expect(doc).toContain(`| \`${key}\` |`);
    }
  });
});
