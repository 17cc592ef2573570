import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricFamily } from '@promethium/exposition';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { decodeSnapshot, encodeSnapshot, Persistence, PersistenceError } from './persistence.js';
import { MetricStore } from './store.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'pg-persist-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const fams: MetricFamily[] = [
  { name: 'g', type: 'gauge', help: 'G.', samples: [{ name: 'g', labels: { a: 'x"y\n' }, value: 1.5 }] },
  {
    name: 'h',
    type: 'histogram',
    samples: [
      { name: 'h_bucket', labels: { le: '1' }, value: 1 },
      { name: 'h_bucket', labels: { le: '+Inf' }, value: 2 },
      { name: 'h_sum', labels: {}, value: NaN },
      { name: 'h_count', labels: {}, value: 2 },
    ],
  },
];

function filled(): MetricStore {
  const s = new MetricStore();
  s.push('PUT', { job: 'a' }, fams);
  s.push('PUT', { job: 'b', instance: 'i', e: '' }, [{ name: 'x', type: 'counter', samples: [{ name: 'x', labels: {}, value: Infinity }] }]);
  s.push('PUT', { job: 'c' }, [{ name: 'x', type: 'gauge', samples: [{ name: 'x', labels: {}, value: 1 }] }]); // refused: failure time only
  return s;
}

function view(s: MetricStore): unknown {
  return s.groups().map((g) => ({ ...g, families: [...g.families.entries()] }));
}

describe('snapshot encoding', () => {
  it('round-trips every group, family, label and special value', () => {
    const s = filled();
    const restored = new MetricStore();
    restored.restore(decodeSnapshot(encodeSnapshot(s.groups())));
    expect(view(restored)).toEqual(view(s));
    // The indexes are rebuilt: the consistency check still sees the restored counter.
    expect(restored.push('PUT', { job: 'z' }, [{ name: 'x', type: 'gauge', samples: [{ name: 'x', labels: {}, value: 1 }] }]).ok).toBe(false);
  });

  it('detects truncation, corruption and foreign files, saying where', () => {
    const buf = encodeSnapshot(filled().groups());
    expect(() => decodeSnapshot(buf.subarray(0, buf.length - 10))).toThrow(/truncated or extended: header says \d+ payload bytes, file has \d+/);
    expect(() => decodeSnapshot(buf.subarray(0, 10))).toThrow(PersistenceError);
    const flipped = Buffer.from(buf);
    flipped[flipped.length - 3]! ^= 0xff;
    expect(() => decodeSnapshot(flipped)).toThrow('checksum mismatch: the payload is corrupt');
    expect(() => decodeSnapshot(Buffer.from('gob data, not ours....................................'))).toThrow(/bad magic/);
  });
});

describe('Persistence', () => {
  it('saves only when changed and restores at load', () => {
    const file = join(tmp(), 'pg.msgpack');
    const s = filled();
    const p = new Persistence({ file, intervalMs: 1000, store: s, logger: createLogger({ write: () => {} }) });
    expect(p.save()).toBe(true);
    expect(p.save()).toBe(false);
    s.delete({ job: 'c' });
    expect(p.save()).toBe(true);
    const t = new MetricStore();
    expect(new Persistence({ file, intervalMs: 1000, store: t, logger: createLogger({ write: () => {} }) }).load()).toBe(2);
    expect(view(t)).toEqual(view(s));
  });

  it('moves a truncated file aside with a clear log line and starts empty', () => {
    const dir = tmp();
    const file = join(dir, 'pg.msgpack');
    const good = encodeSnapshot(filled().groups());
    writeFileSync(file, good.subarray(0, good.length - 7));
    const lines: string[] = [];
    const store = new MetricStore();
    const p = new Persistence({ file, intervalMs: 1000, store, logger: createLogger({ write: (l) => lines.push(l) }) });
    expect(p.load()).toBe(0);
    expect(store.size).toBe(0);
    expect(existsSync(file)).toBe(false);
    const aside = readdirSync(dir).filter((f) => f.startsWith('pg.msgpack.corrupt-'));
    expect(aside).toHaveLength(1);
    // The bad bytes are kept for the operator, untouched.
    expect(readFileSync(join(dir, aside[0]!)).length).toBe(good.length - 7);
    expect(lines.join('\n')).toMatch(/level=error msg="persistence file is unreadable; moved it aside and starting empty" component=persistence file=\S+ moved_to=\S+corrupt-\S+ offset=\d+ err="truncated/);
    // New pushes are then persisted to a fresh file, never over the moved-aside one.
    store.push('PUT', { job: 'new' }, []);
    p.save();
    expect(decodeSnapshot(readFileSync(file)).map((g) => g.labels)).toEqual([{ job: 'new' }]);
  });

  it('ignores a temp file left by a crash mid-write', () => {
    const dir = tmp();
    const file = join(dir, 'pg.msgpack');
    writeFileSync(file, encodeSnapshot(filled().groups()));
    writeFileSync(`${file}.tmp`, 'half a snapshot');
    const store = new MetricStore();
    expect(new Persistence({ file, intervalMs: 1000, store, logger: createLogger({ write: () => {} }) }).load()).toBe(3);
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });
});
