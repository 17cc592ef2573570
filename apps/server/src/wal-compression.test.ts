// --storage.tsdb.wal-compression: records written Snappy-compressed (Prometheus' WAL form), and a
// server started without the flag still replays them after a crash-like stop.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAG_SNAPPY, snappyEncode } from '@promethium/tsdb-core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseServerFlags } from './cli/server-flags.js';
import { NOP_LOGGER } from './log/logger.js';
import { encodeWriteRequest } from './remote/prompb.js';
import { PromethiumServer } from './server.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function start(dir: string, extra: string[]): Promise<PromethiumServer> {
  const parsed = parseServerFlags([
    `--config.file=${join(dir, 'p.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    '--web.listen-address=127.0.0.1:0',
    '--web.enable-remote-write-receiver',
    ...extra,
  ]);
  return PromethiumServer.start({ flags: parsed.values, rawFlags: parsed.raw, logger: NOP_LOGGER });
}

/** Fragment type bytes of the records in the first WAL segment. */
function fragmentTypes(dataDir: string): number[] {
  const seg = readFileSync(join(dataDir, 'wal', readdirSync(join(dataDir, 'wal')).filter((f) => /^\d+$/.test(f)).sort()[0]!));
  const types: number[] = [];
  let pos = 0;
  while (pos + 7 <= seg.length && seg[pos] !== 0) {
    types.push(seg[pos]!);
    pos += 7 + ((seg[pos + 1]! << 8) | seg[pos + 2]!);
  }
  return types;
}

describe('--storage.tsdb.wal-compression', () => {
  it('writes Snappy records that a server without the flag replays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-walc-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'p.yml'), '');
    const now = Date.now();
    const samples = Array.from({ length: 50 }, (_, i) => ({ value: i * 1.5, timestamp: now - 49_000 + i * 1000 }));
    const body = snappyEncode(
      encodeWriteRequest({
        timeseries: [{ labels: [{ name: '__name__', value: 'walc_test' }, { name: 'job', value: 'w' }], samples }],
        metadata: [],
      }),
    );

    const first = await start(dir, ['--storage.tsdb.wal-compression']);
    const url = `http://127.0.0.1:${first.address().port}`;
    const res = await fetch(`${url}/api/v1/write`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' },
      body,
    });
    expect(res.status).toBe(204);
    const types = fragmentTypes(join(dir, 'data'));
    expect(types.length).toBeGreaterThan(0);
    expect(types.every((t) => (t & FLAG_SNAPPY) !== 0)).toBe(true);
    // A clean stop writes a head snapshot; remove it so the restart has to replay the WAL.
    await first.stop();
    const snapshots = readdirSync(join(dir, 'data')).filter((f) => f.startsWith('head_snapshot.'));
    expect(snapshots.length).toBeGreaterThan(0);
    for (const f of snapshots) rmSync(join(dir, 'data', f), { recursive: true });

    const second = await start(dir, []);
    try {
      const q = await fetch(`http://127.0.0.1:${second.address().port}/api/v1/query?query=walc_test[1m]&time=${(now + 1) / 1000}`);
      const json = (await q.json()) as { data: { result: { values: [number, string][] }[] } };
      expect(json.data.result[0]!.values.map(([, v]) => Number(v))).toEqual(samples.map((s) => s.value));
    } finally {
      await second.stop();
    }
  });
});
