import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Labels } from '../labels.js';
import { CorruptBlockError } from './errors.js';
import { IndexReader } from './index-reader.js';
import type { IndexSeries } from './index-writer.js';
import { encodeIndex } from './index-writer.js';
import { tempDir } from '../test-support/blocks.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const series: IndexSeries[] = [
  { labels: Labels.from({ __name__: 'up', job: 'api', instance: 'a:1' }), chunks: [{ ref: 8, mint: -5, maxt: 100 }] },
  {
    labels: Labels.from({ __name__: 'up', job: 'api', instance: 'b:1' }),
    chunks: [
      { ref: 40, mint: 0, maxt: 99 },
      { ref: 90, mint: 100, maxt: 250 },
      { ref: 2 ** 32 + 8, mint: 300, maxt: 300 },
    ],
  },
  { labels: Labels.from({ __name__: 'up', job: 'db', instance: 'c:1' }), chunks: [] },
  { labels: Labels.from({ __name__: 'x', ünïcode: '☃' }), chunks: [{ ref: 200, mint: 1.7e12, maxt: 1.7e12 + 7_200_000 }] },
];

function write(s = series): string {
  const t = tempDir();
  cleanup = t.cleanup;
  const file = join(t.dir, 'index');
  writeFileSync(file, encodeIndex(s));
  return file;
}

describe('index v2', () => {
  it('round-trips symbols, series, chunk metas and postings', () => {
    const r = new IndexReader(write());
    expect(r.symbols).toEqual([...r.symbols].sort());
    expect(r.symbols).toContain('☃');
    expect(r.labelNames()).toEqual(['__name__', 'instance', 'job', 'ünïcode']);
    expect(r.labelValues('job')).toEqual(['api', 'db']);
    const all = r.allPostings();
    expect(all).toHaveLength(4);
    const decoded = [...all].map((id) => r.series(id));
    expect(decoded.map((d) => d.labels.toString())).toEqual(series.map((s) => s.labels.toString()));
    expect(decoded.map((d) => d.chunks)).toEqual(series.map((s) => s.chunks));
    expect(r.postings('job', 'api')).toEqual(all.subarray(0, 2));
    expect(r.postings('job', 'nope')).toHaveLength(0);
    expect(r.postings('nope', 'x')).toHaveLength(0);
    // Series are 16-byte aligned: ID * 16 is the offset.
    expect(all[0]! * 16).toBeGreaterThanOrEqual(r.toc.series);
  });

  it('has the documented byte layout: header, symbol table length and count, TOC', () => {
    const b = readFileSync(write());
    expect([...b.subarray(0, 5)]).toEqual([0xba, 0xaa, 0xd7, 0x00, 2]);
    const r = new IndexReader('mem', b);
    expect(r.toc.symbols).toBe(5);
    expect(b.readUInt32BE(9)).toBe(r.symbols.length);
    expect(r.toc.postingsTable).toBeGreaterThan(r.toc.labelIndicesTable);
    expect(r.toc.labelIndicesTable).toBeGreaterThan(r.toc.postings);
    expect(r.toc.postings).toBeGreaterThan(r.toc.labelIndices);
  });

  it('rejects unsorted series and overlapping chunks', () => {
    expect(() => encodeIndex([series[1]!, series[0]!])).toThrow(/out of order/);
    expect(() =>
      encodeIndex([{ labels: Labels.from({ a: 'b' }), chunks: [{ ref: 8, mint: 0, maxt: 10 }, { ref: 20, mint: 10, maxt: 20 }] }]),
    ).toThrow(/not after previous maxt/);
  });

  it('reports corruption with the file and offset', () => {
    const file = write();
    const good = readFileSync(file);
    const r = new IndexReader(file);

    const badMagic = Buffer.from(good);
    badMagic[1] = 0;
    writeFileSync(file, badMagic);
    expect(() => new IndexReader(file)).toThrow(/index: offset 0: bad magic 0xba00d700/);

    const badSym = Buffer.from(good);
    badSym[14]! ^= 0xff; // inside the first symbol
    writeFileSync(file, badSym);
    expect(() => new IndexReader(file)).toThrow(/offset 9: symbol table CRC32C mismatch/);

    const badSeries = Buffer.from(good);
    const at = r.allPostings()[1]! * 16 + 2;
    badSeries[at]! ^= 0x01;
    writeFileSync(file, badSeries);
    const r2 = new IndexReader(file);
    expect(() => r2.series(r.allPostings()[1]!)).toThrow(CorruptBlockError);
    expect(() => r2.series(r.allPostings()[1]!)).toThrow(/series \d+ CRC32C mismatch/);

    writeFileSync(file, good.subarray(0, good.length - 10));
    expect(() => new IndexReader(file)).toThrow(/TOC CRC32C mismatch|truncated/);
    writeFileSync(file, good.subarray(0, 20));
    expect(() => new IndexReader(file)).toThrow(/truncated: 20 bytes is too short/);
  });
});
