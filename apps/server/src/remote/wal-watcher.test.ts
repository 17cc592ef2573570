import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels, RecordEncoder, crc32c, encodeSamples, encodeSeries, segmentName } from '@promethium/tsdb-core';
import type { RefSeries, SampleBatch } from '@promethium/tsdb-core';
import { afterEach, describe, expect, it } from 'vitest';
import { NOP_LOGGER } from '../log/logger.js';
import { waitFor } from '../testing/wait.js';
import { snappyEncode } from '@promethium/tsdb-core';
import { WalWatcher } from './wal-watcher.js';
import type { WalConsumer, WalPosition } from './wal-watcher.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** One whole-record fragment as Prometheus frames it, compressed with Snappy (flag 0x08). */
function frame(rec: Uint8Array): Uint8Array {
  const data = snappyEncode(rec);
  const out = new Uint8Array(7 + data.length);
  out[0] = 1 | 0x08;
  out[1] = data.length >> 8;
  out[2] = data.length & 0xff;
  new DataView(out.buffer).setUint32(3, crc32c(data));
  out.set(data, 7);
  return out;
}

class Recorder implements WalConsumer {
  series = new Map<number, string>();
  samples: string[] = [];
  last: WalPosition | undefined;
  storeSeries(series: RefSeries[]): void {
    for (const s of series) this.series.set(s.ref, s.labels.toString());
  }
  appendSamples(b: SampleBatch, end: WalPosition): void {
    for (let i = 0; i < b.n; i++) this.samples.push(`${this.series.get(b.refs[i]!)}@${b.ts[i]}=${b.vs[i]}`);
    this.last = end;
  }
  skipped(end: WalPosition): void {
    this.last = end;
  }
  seriesReset(): void {}
}

describe('WalWatcher', () => {
  it('reads Snappy-compressed records, as Prometheus writes them by default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-watch-'));
    dirs.push(dir);
    const wal = join(dir, 'wal');
    mkdirSync(wal);
    const enc = new RecordEncoder();
    encodeSeries(enc, [{ ref: 1, labels: Labels.from({ __name__: 'up', job: 'p' }) }]);
    const series = enc.bytes().slice();
    enc.reset();
    encodeSamples(enc, 2, () => 1, new Float64Array([1000, 2000]), new Float64Array([1, 0]));
    const samples = enc.bytes().slice();
    const a = frame(series);
    const b = frame(samples);
    const seg = new Uint8Array(a.length + b.length);
    seg.set(a);
    seg.set(b, a.length);
    writeFileSync(segmentName(wal, 0), seg);
    const rec = new Recorder();
    const w = new WalWatcher({ walDir: wal, start: { segment: 0, offset: 0 }, consumer: rec, logger: NOP_LOGGER, pollMs: 10 });
    w.start();
    await waitFor(() => rec.samples.length, (n) => n === 2);
    await w.stop();
    expect(rec.samples).toEqual(['{__name__="up", job="p"}@1000=1', '{__name__="up", job="p"}@2000=0']);
    expect(rec.last).toEqual({ segment: 0, offset: seg.length });
  });
});
