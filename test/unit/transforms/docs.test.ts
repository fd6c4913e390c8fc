import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OptionSpec } from '../../../src/config/index.ts';
import { transformTypes } from '../../../src/transforms/index.ts';

const doc = readFileSync(new URL('../../../docs/transforms.md', import.meta.url), 'utf8');

/** The section of docs/transforms.md about one transform type, up to the next `## ` heading. */
function section(type: string): string {
  const start = doc.indexOf(`\n## ${type}\n`);
  const end = doc.indexOf('\n## ', start + 1);
  return start < 0 ? '' : doc.slice(start, end < 0 ? undefined : end);
}

function documentedDefault(spec: OptionSpec): string {
  if (spec.required === true) return 'required';
  const value = spec.default;
  if (value === undefined) return '(none)';
  if (Array.isArray(value)) return value.length === 0 ? '(empty)' : `\`${value.join(',')}\``;
  return value === '' ? '(empty)' : `\`${String(value)}\``;
}

describe('docs/transforms.md', () => {
  it.each(transformTypes.map((type) => [type.type, type] as const))(
    'documents every option of %s with its type and default, and no other',
    (name, type) => {
      const rows = new Map(
        section(name)
          .split('\n')
          .filter((line) => /^\| `[a-z.]+` +\| (list|string|bool|int|enum) /.test(line))
          .map((line) => [line.split('`')[1] ?? '', line.split('|').map((cell) => cell.trim())]),
      );
      for (const [key, spec] of Object.entries(type.schema)) {
        const cells = rows.get(key);
        expect(cells, `${name}: ${key} is missing`).toBeDefined();
        expect(cells?.[2], `${name}: ${key} type`).toBe(spec.type);
        expect(cells?.[3], `${name}: ${key} default`).toBe(documentedDefault(spec));
      }
      expect([...rows.keys()].filter((key) => !(key in type.schema))).toEqual([]);
    },
  );
});
