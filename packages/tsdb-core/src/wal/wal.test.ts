import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Head } from '../head/head.js';
import { Labels } from '../labels.js';
import { Matcher } from '../matcher.js';
import { nopLogger } from '../logger.js';
import { STALE_NAN, isStaleNaN } from '../storage.js';
import { crc32c } from './crc32c.js';
import { WALUnsupportedError, readSegment } from './reader.js';
import {
  RecordEncoder,
  SampleBatch,
  decodeMetadata,
  decodeSamples,
  decodeSeries,
  decodeTombstones,
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
} from './records.js';
import { PAGE_SIZE, listCheckpoints, listSegments, segmentName } from './segments.js';
import { WAL } from './wal.js';
import { WALWriter } from './writer.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promethium-wal-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function readAll(file: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const damage = readSegment(fs.readFileSync(file), (r) => out.push(r.slice()));
  expect(damage).toBeUndefined();
  return out;
}

describe('WAL records (Prometheus tsdb/record layout)', () => {
  it('encodes a series record byte for byte', () => {
    const enc = new RecordEncoder();
    encodeSeries(enc, [{ ref: 1, labels: Labels.from({ a: 'b' }) }]);
    expect(Buffer.from(enc.bytes()).toString('hex')).toBe('01' + '0000000000000001' + '01' + '0161' + '0162');
    expect(decodeSeries(enc.bytes())[0]!.labels.toString()).toBe('{a="b"}');
  });

  it('encodes samples as deltas against the first sample', () => {
    const enc = new RecordEncoder();
    const refs = [5, 4, 7];
    encodeSamples(enc, 3, (i) => refs[i]!, Float64Array.of(1000, 1001, 999), Float64Array.of(1, STALE_NAN, -2));
    const hex = Buffer.from(enc.bytes()).toString('hex');
    // type | ref 5 | t 1000 | (0,0,1.0) | (-1 -> 01, +1 -> 02, stale) | (+2 -> 04, -1 -> 01, -2.0)
    expect(hex).toBe(
      '02' + '0000000000000005' + '00000000000003e8' +
        '0000' + '3ff0000000000000' + '0102' + '7ff0000000000002' + '0401' + 'c000000000000000',
    );
    const b = new SampleBatch();
    decodeSamples(enc.bytes(), b);
    expect([...b.refs.subarray(0, 3)]).toEqual(refs);
    expect([...b.ts.subarray(0, 3)]).toEqual([1000, 1001, 999]);
    expect(isStaleNaN(b.vs[1]!)).toBe(true);
  });

  it('round-trips tombstones and metadata and rejects truncated records', () => {
    const enc = new RecordEncoder();
    encodeTombstones(enc, [{ ref: 3, mint: -5, maxt: 2 ** 40 }]);
    expect(decodeTombstones(enc.bytes())).toEqual([{ ref: 3, mint: -5, maxt: 2 ** 40 }]);
    enc.reset();
    encodeMetadata(enc, [{ ref: 9, type: 'counter', unit: 'seconds', help: 'Héllo' }]);
    expect(decodeMetadata(enc.bytes())).toEqual([{ ref: 9, type: 'counter', unit: 'seconds', help: 'Héllo' }]);
    expect(() => decodeMetadata(enc.bytes().subarray(0, enc.len - 2))).toThrow(/truncated string of 6 bytes at byte/);
  });
});

describe('WAL framing', () => {
  it('splits records across pages and rotates segments without crossing them', async () => {
    const w = new WALWriter(dir, 0, { segmentSize: 4 * PAGE_SIZE });
    const recs: Uint8Array[] = [];
    for (let i = 0; i < 40; i++) {
      const r = new Uint8Array(1 + ((i * 7919) % (3 * PAGE_SIZE)));
      for (let j = 0; j < r.length; j++) r[j] = (i + j) & 0xff;
      recs.push(r);
      w.log(r);
    }
    await w.close();
    const segs = listSegments(dir);
    expect(segs.length).toBeGreaterThan(3);
    const got = segs.flatMap((s) => readAll(segmentName(dir, s)));
    expect(got.length).toBe(recs.length);
    got.forEach((r, i) => expect(Buffer.compare(r, recs[i]!)).toBe(0));
    // Fragment headers: the first record is one full fragment with a CRC-32C of its data.
    const seg0 = fs.readFileSync(segmentName(dir, 0));
    expect(seg0[0]).toBe(1);
    expect(seg0.readUInt16BE(1)).toBe(1);
    expect(seg0.readUInt32BE(3)).toBe(crc32c(recs[0]!));
  });

  it('reports the first damaged record and everything before it stays readable', () => {
    const w = new WALWriter(dir, 0);
    for (let i = 0; i < 100; i++) w.log(new Uint8Array(500 + i).fill(i));
    w.closeSync();
    const file = segmentName(dir, 0);
    const whole = fs.readFileSync(file);
    let seed = 7;
    for (let round = 0; round < 60; round++) {
      seed = (seed * 48271) % 2147483647;
      const cut = seed % whole.length;
      const buf = Buffer.from(whole);
      let bad: Buffer = buf.subarray(0, cut);
      if (round % 2 === 1) {
        bad = Buffer.from(whole);
        bad[cut] = bad[cut]! ^ 0x5a;
      }
      const seen: number[] = [];
      const damage = readSegment(bad, (_r, off) => seen.push(off));
      if (damage) {
        expect(damage.offset).toBeLessThanOrEqual(cut);
        // Every record before the damage decoded; none after it was delivered.
        expect(seen.every((o) => o < damage.offset)).toBe(true);
        expect(seen.length).toBeGreaterThan(0);
      } else {
        expect(seen.length).toBeGreaterThan(0);
      }
    }
  });

  it('refuses zstd-compressed records instead of truncating them', () => {
    const buf = new Uint8Array(16);
    buf[0] = 1 | 0x10;
    buf[2] = 1;
    buf.set([0x52, 0x7d, 0x53, 0x51], 3); // CRC-32C of one zero byte
    expect(() => readSegment(buf, () => {})).toThrow(WALUnsupportedError);
  });

  it('reads Snappy-compressed records, whole and fragmented across pages', async () => {
    const w = new WALWriter(dir, 0, { compression: 'snappy' });
    const small = new Uint8Array(300).fill(7);
    const big = new Uint8Array(200_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 253 === 0 ? i & 0xff : (i >> 6) & 0xff;
    const random = new Uint8Array(100);
    for (let i = 0; i < random.length; i++) random[i] = (Math.imul(i + 1, 2654435761) >>> 13) & 0xff;
    w.log(small, big, random);
    await w.close();
    const raw = fs.readFileSync(segmentName(dir, 0));
    // The first two compress (flag set); the incompressible one is written plain, as Prometheus does.
    expect(raw[0]! & 0x08).toBe(0x08);
    const recs = readAll(segmentName(dir, 0)).map((r) => new Uint8Array(r));
    expect(recs).toEqual([small, big, random]);
  });

  it('treats a checksummed but undecodable Snappy record as damage at that record', () => {
    const payload = Uint8Array.of(0x05, 0xff); // declares 5 bytes, then a truncated copy tag
    const buf = new Uint8Array(7 + payload.length);
    buf[0] = 1 | 0x08;
    buf[2] = payload.length;
    const crc = crc32c(payload, 0, payload.length);
    buf.set([crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff], 3);
    buf.set(payload, 7);
    const damage = readSegment(buf, () => {});
    expect(damage?.offset).toBe(0);
    expect(damage?.reason).toMatch(/record does not decode: snappy: corrupt input/);
  });
});

describe('WAL with a head', () => {
  const lbl = (i: number): Labels => Labels.from({ __name__: 'm', i: String(i) });

  async function fill(head: Head, series: number, from: number, to: number): Promise<void> {
    for (let t = from; t < to; t += 1000) {
      const app = head.appender();
      for (let i = 0; i < series; i++) app.append(0, lbl(i), t, i * 1000 + t / 1000);
      await app.commit();
    }
  }

  function dump(head: Head): string[] {
    const out: string[] = [];
    for (const s of head.querier(-Infinity, Infinity).select([new Matcher('=~', '__name__', '.+')])) {
      const it = s.iterator();
      while (it.next()) out.push(`${s.labels.toString()} ${it.at()} ${it.value()}`);
    }
    return out;
  }

  it('replays what was committed, across segments', async () => {
    const head = new Head();
    const wal = WAL.open(dir, head, { segmentSize: PAGE_SIZE * 2, logger: nopLogger });
    await fill(head, 50, 0, 60_000);
    const before = dump(head);
    await wal.close();
    const head2 = new Head();
    const wal2 = WAL.open(dir, head2, { logger: nopLogger });
    expect(wal2.replayStats.samples).toBe(50 * 60);
    expect(dump(head2)).toEqual(before);
    // New appends after replay continue with fresh refs and survive another restart.
    const app = head2.appender();
    const ref = app.append(0, Labels.from({ __name__: 'new' }), 70_000, 1);
    expect(ref).toBe(51);
    await app.commit();
    await wal2.close();
    const head3 = new Head();
    WAL.open(dir, head3, { logger: nopLogger }).closeSync();
    expect(dump(head3).length).toBe(before.length + 1);
  });

  it('checkpoints on truncation and replays checkpoint + later segments', async () => {
    const head = new Head({ chunkRange: 60_000 });
    const wal = WAL.open(dir, head, { segmentSize: PAGE_SIZE * 2, logger: nopLogger });
    await fill(head, 10, 0, 180_000);
    head.truncate(120_000);
    const cp = wal.checkpoint(head);
    expect(listCheckpoints(dir).map((c) => c.index)).toEqual([cp.index]);
    expect(listSegments(dir).every((s) => s > cp.index)).toBe(true);
    await fill(head, 12, 180_000, 200_000);
    const before = dump(head);
    await wal.close();
    const head2 = new Head({ chunkRange: 60_000 });
    const wal2 = WAL.open(dir, head2, { logger: nopLogger });
    expect(wal2.replayStats.checkpoint).toBe(cp.index);
    expect(dump(head2)).toEqual(before);
    wal2.closeSync();
  });

  it('truncates a damaged tail, logs it, and keeps every earlier commit', async () => {
    const head = new Head();
    const wal = WAL.open(dir, head, { logger: nopLogger });
    await fill(head, 20, 0, 20_000);
    const good = dump(head);
    await wal.close();
    const file = segmentName(dir, 0);
    const size = fs.statSync(file).size;
    fs.appendFileSync(file, Buffer.from([2, 0, 50, 1, 2, 3, 4, 9, 9]));
    const warnings: string[] = [];
    const logger = { ...nopLogger, warn: (m: string) => warnings.push(m) };
    const head2 = new Head();
    const wal2 = WAL.open(dir, head2, { logger });
    expect(wal2.replayStats.repaired).toMatchObject({ segment: 0, offset: size });
    expect(warnings[0]).toMatch(/truncated at the last good record/);
    expect(fs.statSync(file).size).toBe(size);
    expect(dump(head2)).toEqual(good);
    wal2.closeSync();
  });
});

describe('WAL replay of hostile records', () => {
  it('drops samples for refs no series record introduced, however large', async () => {
    const w = new WALWriter(dir, 0);
    const enc = new RecordEncoder();
    encodeSeries(enc, [{ ref: 1, labels: Labels.from({ __name__: 'ok' }) }]);
    w.log(enc.bytes().slice());
    enc.reset();
    const refs = [1, 2 ** 40, 7, -3];
    encodeSamples(enc, 4, (i) => refs[i]!, Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 2, 3, 4));
    w.log(enc.bytes().slice());
    await w.close();
    const head = new Head();
    const wal = WAL.open(dir, head, { logger: nopLogger });
    expect(wal.replayStats.unknownRefs).toBe(3);
    expect(head.numSeries).toBe(1);
    expect(head.maxTime).toBe(1);
    wal.closeSync();
  });
});

describe('WAL replay of a malformed samples record', () => {
  it('applies none of a checksummed samples record that does not decode, and truncates there', async () => {
    const w = new WALWriter(dir, 0);
    const enc = new RecordEncoder();
    encodeSeries(enc, [{ ref: 1, labels: Labels.from({ __name__: 'a' }) }, { ref: 2, labels: Labels.from({ __name__: 'b' }) }]);
    w.log(enc.bytes().slice());
    enc.reset();
    encodeSamples(enc, 2, (i) => i + 1, Float64Array.of(1000, 1000), Float64Array.of(1, 2));
    w.log(enc.bytes().slice());
    enc.reset();
    encodeSamples(enc, 2, (i) => i + 1, Float64Array.of(2000, 2000), Float64Array.of(3, 4));
    // The second sample loses its float: the first sample decodes, the record does not.
    w.log(enc.bytes().slice(0, enc.bytes().length - 3));
    await w.close();
    const head = new Head();
    const messages: string[] = [];
    const wal = WAL.open(dir, head, { logger: { ...nopLogger, warn: (m: string) => void messages.push(m) } });
    expect(wal.replayStats.repaired?.reason).toMatch(/record does not decode: truncated float/);
    expect(messages).toContain('WAL damaged: truncated at the last good record');
    expect(head.maxTime).toBe(1000);
    expect(head.getByRef(1)!.maxT).toBe(1000);
    wal.closeSync();
  });
});

describe('WAL replay ordering', () => {
  it('applies many interleaved series exactly, through buffer growth and flushes', async () => {
    const head = new Head();
    const wal = WAL.open(dir, head, { logger: nopLogger });
    const n = 20_000;
    const labels = Array.from({ length: n }, (_, i) => Labels.from({ __name__: 'g', i: String(i) }));
    for (let t = 0; t < 5; t++) {
      const app = head.appender();
      for (let i = 0; i < n; i++) app.append(0, labels[i]!, t * 1000 + (i % 3), i * 10 + t);
      await app.commit();
    }
    await wal.close();
    const head2 = new Head();
    const wal2 = WAL.open(dir, head2, { logger: nopLogger });
    expect(wal2.replayStats.samples).toBe(5 * n);
    for (const i of [0, 1, 7777, n - 1]) {
      const [s] = [...head2.querier(-Infinity, Infinity).select([new Matcher('=', 'i', String(i))])];
      const it = s!.iterator();
      const got: number[] = [];
      while (it.next()) got.push(it.at(), it.value());
      expect(got).toEqual([0, 1, 2, 3, 4].flatMap((t) => [t * 1000 + (i % 3), i * 10 + t]));
    }
    wal2.closeSync();
  });

  it('flushes a full buffer when series are few and samples many', async () => {
    const head = new Head();
    const wal = WAL.open(dir, head, { logger: nopLogger });
    for (let b = 0; b < 40; b++) {
      const app = head.appender();
      for (let k = 0; k < 1000; k++) {
        const t = b * 1000 + k;
        app.append(0, Labels.from({ __name__: 'a' }), t, t);
        app.append(0, Labels.from({ __name__: 'b' }), t, -t);
      }
      await app.commit();
    }
    await wal.close();
    const head2 = new Head();
    WAL.open(dir, head2, { logger: nopLogger }).closeSync();
    const [a, b] = [...head2.querier(-Infinity, Infinity).select([new Matcher('=~', '__name__', 'a|b')])];
    for (const [s, sign] of [[a!, 1], [b!, -1]] as const) {
      const it = s.iterator();
      let n = 0;
      while (it.next()) {
        expect(it.at()).toBe(n);
        expect(it.value()).toBe(sign * n);
        n++;
      }
      expect(n).toBe(40_000);
    }
  });
});
