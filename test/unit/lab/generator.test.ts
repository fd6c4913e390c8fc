import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  cardNumber,
  createFleet,
  createWorkload,
  CRI_HEADERS,
  criLinesOf,
  criLogPath,
  emptyCounts,
  formatCriLine,
  luhnValid,
  produceAtRate,
  rfc3339Nano,
  SeededRandom,
  splitPartial,
  type FluentBitRecord,
  type LabRecord,
} from '../../../lab/generator/index.ts';

const fixedClock = (): (() => number) => {
  let now = Date.UTC(2025, 0, 2, 15, 4, 5);
  return () => (now += 3);
};

function records(count: number, options: Parameters<typeof createWorkload>[0] = {}): LabRecord[] {
  const workload = createWorkload({ now: fixedClock(), ...options });
  const all: LabRecord[] = [];
  while (all.length < count) all.push(...workload.next());
  return all;
}

const rfc3339NanoUtc = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{0,8}[1-9])?Z$/;
const criLine = /^(\S+) (stdout|stderr) ([PF]) /;

/** Joins each file's P fragments with the F that ends them, per stream, as a `cri` parser must. */
function reassemble(
  cri: readonly LabRecord[],
): { path: string; stream: string; message: Buffer; parts: number }[] {
  const open = new Map<string, Buffer[]>();
  const lines: { path: string; stream: string; message: Buffer; parts: number }[] = [];
  for (const record of cri) {
    const head = criLine.exec(record.value.toString('latin1'));
    if (head === null) throw new Error(`not a CRI line: ${record.value.toString().slice(0, 80)}`);
    const [prefix, time = '', stream = '', tag] = head;
    expect(time).toMatch(rfc3339NanoUtc);
    const body = record.value.subarray(prefix.length);
    const id = `${record.key ?? ''}|${stream}`;
    const parts = [...(open.get(id) ?? []), body];
    if (tag === 'P') open.set(id, parts);
    else {
      open.delete(id);
      lines.push({ path: record.key ?? '', stream, message: Buffer.concat(parts), parts: parts.length });
    }
  }
  expect(open.size).toBe(0);
  return lines;
}

describe('CRI lines', () => {
  it('cuts a long line into pieces of at most the limit whose bytes concatenate to the original', () => {
    // 3-byte characters: 16,384 is not a multiple of 3, so the first cut falls inside one.
    const text = '東京'.repeat(10_000);
    const original = Buffer.from(text);
    const pieces = splitPartial(original, 16_384);
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(16_384);
    expect(Buffer.concat(pieces).equals(original)).toBe(true);
    // Cut by bytes, as containerd does: some boundary falls inside a multi-byte character.
    expect(isUtf8(pieces[0] ?? Buffer.alloc(0))).toBe(false);
    expect(Buffer.concat(pieces).toString('utf8')).toBe(text);
  });

  it('writes P fragments ending with an F, each stamped later than the one before', () => {
    let ns = 1_735_830_245_000_000_000n;
    const lines = criLinesOf('stdout', 'x'.repeat(40_000), () => (ns += 1_500n), 16_384);
    expect(lines.map((l) => l.tag)).toEqual(['P', 'P', 'F']);
    expect(lines.map((l) => formatCriLine(l).toString().split(' ', 3).join(' '))).toEqual([
      '2025-01-02T15:04:05.0000015Z stdout P',
      '2025-01-02T15:04:05.000003Z stdout P',
      '2025-01-02T15:04:05.0000045Z stdout F',
    ]);
    expect(lines.map((l) => l.message.length)).toEqual([16_384, 16_384, 40_000 - 2 * 16_384]);
  });

  it('prints RFC3339Nano timestamps the Go way: trailing zeros trimmed, no fraction on a whole second', () => {
    expect(rfc3339Nano(1_700_000_000_123_450_000n)).toBe('2023-11-14T22:13:20.12345Z');
    expect(rfc3339Nano(1_700_000_000_000_000_001n)).toBe('2023-11-14T22:13:20.000000001Z');
    expect(rfc3339Nano(1_700_000_000_000_000_000n)).toBe('2023-11-14T22:13:20Z');
  });

  it('keys raw records by their log file and reassembles every partial line into the whole line', () => {
    const cri = records(3000, { longLineShare: 0.5, criMaxLineBytes: 1024 }).filter(
      (r) => r.topic === 'cri-logs',
    );
    for (const record of cri) {
      expect(record.headers[CRI_HEADERS.path]).toBe(record.key);
      expect(record.headers[CRI_HEADERS.cluster]).toMatch(/^aks-/);
    }
    const lines = reassemble(cri);
    const split = lines.filter((line) => line.parts > 1);
    expect(split.length).toBeGreaterThan(10);
    for (const line of split) {
      expect(() => {
        JSON.parse(line.message.toString('utf8'));
      }).not.toThrow();
    }
  });
});

describe('the fleet', () => {
  const fleet = createFleet('unit');

  it('gives containers 64-hex ids and CRI log paths that name pod, namespace, container and id', () => {
    expect(fleet.containers.length).toBeGreaterThan(40);
    for (const container of fleet.containers) {
      expect(container.id).toMatch(/^[0-9a-f]{64}$/);
      expect(container.imageDigest).toMatch(/@sha256:[0-9a-f]{64}$/);
      expect(criLogPath(container)).toBe(
        `/var/log/containers/${container.pod.name}_${container.pod.namespace}_${container.name}-${container.id}.log`,
      );
      expect(container.pod.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
    expect(new Set(fleet.containers.map((c) => c.id)).size).toBe(fleet.containers.length);
  });

  it('is the same for the same seed and different for another', () => {
    expect(createFleet('unit')).toEqual(fleet);
    expect(createFleet('other').containers[0]?.id).not.toBe(fleet.containers[0]?.id);
  });
});

describe('personal data', () => {
  it('makes card numbers that pass the Luhn check, in the spellings logs use', () => {
    const random = new SeededRandom(3);
    const cards = Array.from({ length: 500 }, () => cardNumber(random));
    for (const card of cards) expect(luhnValid(card), card).toBe(true);
    expect(cards.some((c) => c.includes(' '))).toBe(true);
    expect(cards.some((c) => /^3[47]\d{13}$/.test(c))).toBe(true);
  });

  it('checks Luhn against known numbers', () => {
    expect(luhnValid('4111 1111 1111 1111')).toBe(true);
    expect(luhnValid('4111-1111-1111-1112')).toBe(false);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111x1111')).toBe(false);
  });
});

describe('the workload', () => {
  it('reproduces the same records for the same seed and clock', () => {
    const a = records(500, { seed: 'repro' });
    const b = records(500, { seed: 'repro' });
    expect(b.map((r) => r.value.toString('hex'))).toEqual(a.map((r) => r.value.toString('hex')));
    const c = records(500, { seed: 'another' });
    expect(c.map((r) => r.value.toString('hex'))).not.toEqual(a.map((r) => r.value.toString('hex')));
  });

  it('sends Fluent Bit out_kafka JSON records with the kubernetes metadata to the first topic', () => {
    const fluentBit = records(2000).filter((r) => r.topic === 'fluentbit-logs');
    expect(fluentBit.length).toBeGreaterThan(600);
    for (const record of fluentBit.slice(0, 200)) {
      const parsed = JSON.parse(record.value.toString()) as FluentBitRecord;
      expect(parsed).toMatchObject({
        logtag: 'F',
        stream: expect.stringMatching(/^std(out|err)$/) as string,
      });
      expect(parsed.time).toMatch(rfc3339NanoUtc);
      expect(Object.keys(parsed.kubernetes).sort()).toEqual(
        ['annotations', 'container_hash', 'container_image', 'container_name', 'docker_id', 'host']
          .concat(['labels', 'namespace_name', 'pod_id', 'pod_name'])
          .sort(),
      );
      expect(parsed.kubernetes.docker_id).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('mixes JSON with levels, plain text, stack traces, access logs and a little personal data', () => {
    const lines = records(6000).map((r) => {
      if (r.topic === 'cri-logs') return r.value.toString().replace(criLine, '');
      return (JSON.parse(r.value.toString()) as FluentBitRecord).log;
    });
    const share = (test: (line: string) => boolean): number => lines.filter(test).length / lines.length;
    expect(share((l) => /^\{.*"level":/.test(l))).toBeGreaterThan(0.2);
    expect(share((l) => !l.startsWith('{'))).toBeGreaterThan(0.2);
    expect(share((l) => l.startsWith('\tat '))).toBeGreaterThan(0);
    expect(share((l) => l.startsWith('Traceback (most recent call last):'))).toBeGreaterThan(0);
    expect(share((l) => / HTTP\/[12]\.[01]" \d{3} /.test(l))).toBeGreaterThan(0.1);
    const pii = {
      email: (l: string) => /[\w.+-]+(@|%40)example\.(com|org)/.test(l),
      ipv6: (l: string) => /2001:db8:/.test(l),
      card: (l: string) => (l.match(/\b\d(?:[ -]?\d){12,18}\b/g) ?? []).some(luhnValid),
      bearer: (l: string) => /Bearer [\w-]+/.test(l),
    };
    for (const [kind, test] of Object.entries(pii)) {
      const found = share(test);
      expect(found, kind).toBeGreaterThan(0);
      expect(found, kind).toBeLessThan(0.2);
    }
  });
});

describe('producing at a rate', () => {
  it('stops after the count, never splitting a statement, and counts per topic', async () => {
    const sent: LabRecord[] = [];
    const counts = await produceAtRate({
      workload: createWorkload({ now: fixedClock() }),
      send: (batch) => {
        sent.push(...batch);
        return Promise.resolve();
      },
      ratePerSecond: 100_000,
      count: 1000,
      tickMs: 1,
      signal: new AbortController().signal,
      counts: emptyCounts(),
    });
    expect(counts.total).toBe(sent.length);
    expect(counts.total).toBeGreaterThanOrEqual(1000);
    expect([...counts.byTopic.values()].reduce((a, b) => a + b, 0)).toBe(counts.total);
    expect(reassemble(sent.filter((r) => r.topic === 'cri-logs')).length).toBeGreaterThan(0);
  });

  it('drops a failed batch and goes on when told to, and stops with the error otherwise', async () => {
    let calls = 0;
    const failing = () => (++calls === 1 ? Promise.reject(new Error('broker away')) : Promise.resolve());
    const base = {
      ratePerSecond: 100_000,
      count: 100,
      tickMs: 1,
      retryDelayMs: 1,
      signal: new AbortController().signal,
    };
    const counts = await produceAtRate({
      ...base,
      workload: createWorkload(),
      send: failing,
      onSendError: () => 'continue',
    });
    expect(calls).toBeGreaterThan(1);
    expect(counts.total).toBeGreaterThanOrEqual(100);
    calls = 0;
    await expect(produceAtRate({ ...base, workload: createWorkload(), send: failing })).rejects.toThrow(
      'broker away',
    );
  });
});
