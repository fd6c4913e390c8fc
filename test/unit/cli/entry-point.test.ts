/**
 * `./logbridge`, the checkout's entry point: it runs with a Node 24 whatever the machine's node is, and passes the
 * V8 flags of src/cli/main.ts's shebang (their single source).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shebangFlags } from '../../support/logbridge.ts';

const root = join(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'logbridge-entry-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('./logbridge', () => {
  it('runs from any folder with only the system directories on PATH (the cached or machine Node 24)', () => {
    const result = spawnSync(join(root, 'logbridge'), ['--version'], {
      cwd: scratch,
      encoding: 'utf8',
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: scratch },
    });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(result.status).toBe(0);
  });

  it("passes the shebang's V8 flags, then main.ts and the arguments", async () => {
    const fake = join(scratch, 'node');
    // A stand-in node: says it is recent enough, then prints what it was given.
    writeFileSync(fake, '#!/bin/sh\nif [ "$1" = "-e" ]; then exit 0; fi\necho "$@"\n');
    chmodSync(fake, 0o755);
    const result = spawnSync(join(root, 'logbridge'), ['validate', '--offline', 'x.json'], {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin', LOGBRIDGE_NODE: fake },
    });
    const flags = await shebangFlags();
    expect(flags).toContain('--max-old-space-size=128');
    expect(result.stdout.trim()).toBe(
      [...flags, join(root, 'src/cli/main.ts'), 'validate', '--offline', 'x.json'].join(' '),
    );
  });
});
