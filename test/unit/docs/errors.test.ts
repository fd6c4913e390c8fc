import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('docs/errors.md', () => {
  const codes = new Map<string, string>();
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(
      /readonly code = '(LB_[A-Z0-9_]+)';\s*readonly disposition = '(\w+)'/g,
    )) {
      codes.set(match[1] ?? '', match[2] ?? '');
    }
  }
  const doc = readFileSync(join(root, 'docs/errors.md'), 'utf8');

  it('finds the codes in the source', () => {
    expect(codes.size).toBeGreaterThan(15);
  });

  it.each([...codes])('documents %s with disposition %s', (code, disposition) => {
    const row = doc.split('\n').find((line) => new RegExp(`^\\| \`${code}\`\\s+\\|`).test(line));
    expect(row, `${code} is missing from docs/errors.md`).toBeDefined();
    expect(row?.split('|')[2]?.trim()).toBe(disposition);
  });
});
