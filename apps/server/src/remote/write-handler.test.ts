import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProtoWriter, WT_VARINT } from '@promethium/exposition';
import { Matcher, openDB, type DB } from '@promethium/tsdb-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../testing/http-target.js';
import { decodeWriteRequest, encodeWriteRequest, type PbWriteRequest } from './prompb.js';
import { snappyEncode } from '@promethium/tsdb-core';
import { handleRemoteWrite } from './write-handler.js';

const T = 1_700_000_000_000;

function samples(db: DB, name: string): [number, number][] {
  const q = db.querier(0, Number.MAX_SAFE_INTEGER);
  const out: [number, number][] = [];
  for (const s of q.select([new Matcher('=', '__name__', name)])) {
    const it = s.iterator();
    while (it.next()) out.push([it.at(), it.value()]);
  }
  q.close();
  return out;
}

const req = (over: Partial<PbWriteRequest> = {}): PbWriteRequest => ({
  timeseries: [
    { labels: [{ name: '__name__', value: 'requests_total' }, { name: 'job', value: 'api' }], samples: [{ value: 1, timestamp: T }, { value: 2.5, timestamp: T + 15_000 }] },
    { labels: [{ name: 'job', value: 'api' }, { name: '__name__', value: 'temp_celsius' }], samples: [{ value: -3.25, timestamp: T - 86_400_000 * 365 }] },
  ],
  metadata: [{ type: 1, metricFamilyName: 'requests_total', help: 'Requests.', unit: '' }],
  ...over,
});

describe('remote write codec and receiver', () => {
  let dir = '';
  let db: DB;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pm-rw-'));
    db = await openDB(join(dir, 'data'));
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips WriteRequests, negative timestamps included', () => {
    const r = req();
    r.timeseries[1]!.samples[0]!.timestamp = -5000;
    expect(decodeWriteRequest(encodeWriteRequest(r))).toEqual(r);
  });

  it('appends every sample and answers 204', async () => {
    const res = await handleRemoteWrite(snappyEncode(encodeWriteRequest(req())), db);
    expect(res).toMatchObject({ status: 204, samples: 3, series: 2 });
    expect(samples(db, 'requests_total')).toEqual([[T, 1], [T + 15_000, 2.5]]);
  });

  it('rejects bad payloads with 400 and a reason, applying nothing', async () => {
    const garbage = await handleRemoteWrite(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), db);
    expect(garbage.status).toBe(400);
    expect(garbage.message).toContain('snappy decode error');
    const notProto = await handleRemoteWrite(snappyEncode(new Uint8Array([0x0a, 0x50, 0x01])), db);
    expect(notProto.status).toBe(400);
    expect(notProto.message).toMatch(/protobuf decode error: protobuf parse error at byte \d+/);
    const dup = req();
    dup.timeseries[1]!.labels.push({ name: 'job', value: 'other' });
    const r = await handleRemoteWrite(snappyEncode(encodeWriteRequest(dup)), db);
    expect(r).toMatchObject({ status: 400, message: 'timeseries 1: invalid labels for series, duplicated label name "job"' });
    // The valid first series of that request was not applied either.
    expect(samples(db, 'requests_total')).toHaveLength(2);
    const noName = await handleRemoteWrite(snappyEncode(encodeWriteRequest({ timeseries: [{ labels: [{ name: 'a', value: 'b' }], samples: [] }], metadata: [] })), db);
    expect(noName.message).toBe('timeseries 0: missing metric name (__name__ label)');
  });

  it('serves repeat senders from its series cache, labels split around samples included', async () => {
    const one = (t: number, v: number): PbWriteRequest => ({
      timeseries: [{ labels: [{ name: '__name__', value: 'cached_total' }, { name: 'job', value: 'c' }], samples: [{ value: v, timestamp: t }] }],
      metadata: [],
    });
    for (let k = 0; k < 3; k++) expect((await handleRemoteWrite(snappyEncode(encodeWriteRequest(one(T + k * 1000, k))), db)).status).toBe(204);
    expect(samples(db, 'cached_total')).toEqual([[T, 0], [T + 1000, 1], [T + 2000, 2]]);
    // Hand-built TimeSeries: label, sample, label (valid protobuf; not cacheable as one byte range).
    const w = new ProtoWriter();
    const ts = w.begin(1);
    const l1 = w.begin(1);
    w.string(1, '__name__');
    w.string(2, 'split_labels');
    w.end(l1);
    const sm = w.begin(2);
    w.double(1, 7);
    w.tag(2, WT_VARINT);
    w.int64(T);
    w.end(sm);
    const l2 = w.begin(1);
    w.string(1, 'job');
    w.string(2, 's');
    w.end(l2);
    w.end(ts);
    expect((await handleRemoteWrite(snappyEncode(w.finish()), db)).status).toBe(204);
    const q = db.querier(0, Number.MAX_SAFE_INTEGER);
    const got = [...q.select([new Matcher('=', '__name__', 'split_labels')])].map((x) => x.labels.toString());
    q.close();
    expect(got).toEqual(['{__name__="split_labels", job="s"}']);
    // A cached series followed by a bad one: still nothing applied.
    const bad = one(T + 3000, 3);
    bad.timeseries.push({ labels: [{ name: 'job', value: 'x' }], samples: [{ value: 1, timestamp: T }] });
    expect(await handleRemoteWrite(snappyEncode(encodeWriteRequest(bad)), db)).toMatchObject({ status: 400, message: 'timeseries 1: missing metric name (__name__ label)' });
    expect(samples(db, 'cached_total')).toHaveLength(3);
  });

  it('rolls back a request with an out-of-order sample', async () => {
    const r = await handleRemoteWrite(
      snappyEncode(encodeWriteRequest({
        timeseries: [
          { labels: [{ name: '__name__', value: 'fresh' }], samples: [{ value: 1, timestamp: T + 60_000 }] },
          { labels: [{ name: '__name__', value: 'requests_total' }, { name: 'job', value: 'api' }], samples: [{ value: 9, timestamp: T - 1000 }] },
        ],
        metadata: [],
      })),
      db,
    );
    expect(r.status).toBe(400);
    expect(r.message).toContain('out of order sample');
    expect(samples(db, 'fresh')).toEqual([]);
  });
});

const PROM = '/usr/bin/prometheus';

describe.skipIf(!existsSync(PROM))('a real Prometheus 2.42 remote-writes into us', () => {
  let dir = '';
  let db: DB;
  let prom: ChildProcess;
  let ours: ReturnType<typeof serve>;
  let promUrl = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pm-rw-prom-'));
    db = await openDB(join(dir, 'ours'));
    const app = new Hono();
    app.post('/api/v1/write', async (c) => {
      // Prometheus 2.42's own Content-Type and Content-Encoding headers go through the version check.
      const r = await handleRemoteWrite(new Uint8Array(await c.req.arrayBuffer()), db, { contentType: c.req.header('Content-Type'), contentEncoding: c.req.header('Content-Encoding') });
      expect(r.version).toBe(1);
      return r.status === 204 ? c.body(null, 204) : c.text(r.message, r.status);
    });
    const ourPort = await new Promise<number>((resolve) => {
      ours = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (i) => resolve(i.port));
    });
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    writeFileSync(
      join(dir, 'p.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${promPort}']\nremote_write:\n  - url: http://127.0.0.1:${ourPort}/api/v1/write\n    queue_config:\n      batch_send_deadline: 500ms\n`,
    );
    prom = spawn(PROM, [`--config.file=${join(dir, 'p.yml')}`, `--storage.tsdb.path=${join(dir, 'prom')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' });
  }, 30_000);
  afterAll(async () => {
    prom?.kill('SIGKILL');
    ours?.close();
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('receives the same samples Prometheus stored', async () => {
    // Wait until a few scrapes have been forwarded.
    const deadline = Date.now() + 30_000;
    while (samples(db, 'up').length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const ourUp = samples(db, 'up');
    expect(ourUp.length).toBeGreaterThanOrEqual(4);
    const last = ourUp.at(-1)![0];
    const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent('up[1m]')}&time=${last / 1000}`);
    const body = (await r.json()) as { data: { result: { values: [number, string][] }[] } };
    const theirs = body.data.result[0]!.values.map(([t, v]): [number, number] => [Math.round(t * 1000), Number(v)]);
    expect(ourUp.filter(([t]) => t <= last)).toEqual(theirs.filter(([t]) => t >= ourUp[0]![0]));
    // Many series arrive, not just up.
    const q = db.querier(0, Number.MAX_SAFE_INTEGER);
    expect(q.labelValues('__name__').length).toBeGreaterThan(100);
    q.close();
  }, 40_000);
});

