import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OptionSpec, Schema } from '../../../../src/config/index.ts';
import { hecSinkSchema } from '../../../../src/sinks/splunk-hec/index.ts';

/** How the options table writes a default. */
function documentedDefault(spec: OptionSpec): string {
  if (spec.required === true) return 'required';
  const value = spec.default;
  if (value === undefined) return '(none)';
  if (Array.isArray(value)) return value.length === 0 ? '(empty)' : `\`${value.join(',')}\``;
  return `\`${String(value)}\``;
}

const doc = readFileSync(join(import.meta.dirname, '../../../../docs/sinks/splunk-hec.md'), 'utf8');
const optionRows = new Map(
  doc
    .split('\n')
    .filter((line) => /^\| `[a-z.]+` +\| (list|string|bool|int|enum) /.test(line))
    .map((line) => [line.split('`')[1] ?? '', line]),
);
const errorsDoc = readFileSync(
  join(import.meta.dirname, '../../../../src/sinks/splunk-hec/errors.ts'),
  'utf8',
);

describe('docs/sinks/splunk-hec.md', () => {
  it.each(Object.entries(hecSinkSchema as Schema))('documents %s with its type and default', (key, spec) => {
    const row = optionRows.get(key);
    expect(row, `${key} is missing from the options table`).toBeDefined();
    const cells = row?.split('|').map((cell) => cell.trim()) ?? [];
    expect(cells[2]).toBe(spec.type);
    expect(cells[3]).toBe(documentedDefault(spec));
  });

  it('documents no option that the schema lacks', () => {
    expect([...optionRows.keys()].filter((key) => !(key in hecSinkSchema))).toEqual([]);
  });

  it.each([...errorsDoc.matchAll(/readonly code = '(LB_HEC_[A-Z_]+)'/g)].map((m) => m[1]))(
    'names %s in the status table',
    (code) => {
      expect(doc).toContain(`\`${code ?? ''}\``);
    },
  );
});
