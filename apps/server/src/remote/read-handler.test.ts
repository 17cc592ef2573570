import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels, openDB, type DB } from '@promethium/tsdb-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../testing/http-target.js';
import { decodeReadResponse, encodeReadRequest } from './prompb.js';
import { handleRemoteRead } from './read-handler.js';
import { snappyDecode, snappyEncode } from '@promethium/tsdb-core';

const NOW = Date.now();
let dir = '';
let db: DB;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pm-rr-'));
  db = await openDB(join(dir, 'data'));
  const app = db.appender();
  for (let i = 0; i < 300; i++) {
    app.append(0, Labels.from({ __name__: 'remote_metric', shard: 'a' }), NOW - 300_000 + i * 1000, i);
    app.append(0, Labels.from({ __name__: 'remote_metric', shard: 'b' }), NOW - 300_000 + i * 1000, -i);
  }
  await app.commit();
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('remote read handler', () => {
  it('answers a SAMPLES query with the stored samples and external labels', () => {
    const req = encodeReadRequest({
      queries: [{ startTimestampMs: NOW - 10_000, endTimestampMs: NOW, matchers: [{ type: 0, name: '__name__', value: 'remote_metric' }, { type: 0, name: 'shard', value: 'a' }] }],
      acceptedResponseTypes: [0],
    });
    const res = handleRemoteRead(snappyEncode(req), db, { externalLabels: { region: 'eu' } });
    expect(res.status).toBe(200);
    const [series] = decodeReadResponse(snappyDecode(res.body as Uint8Array));
    expect(series).toHaveLength(1);
    expect(series![0]!.labels).toEqual([{ name: '__name__', value: 'remote_metric' }, { name: 'region', value: 'eu' }, { name: 'shard', value: 'a' }]);
    expect(series![0]!.samples.map((s) => s.value)).toEqual([290, 291, 292, 293, 294, 295, 296, 297, 298, 299]);
  });
  it('rejects malformed requests and bad regexes with 400', () => {
    expect(handleRemoteRead(new Uint8Array([1, 2, 3]), db).status).toBe(400);
    const bad = encodeReadRequest({ queries: [{ startTimestampMs: 0, endTimestampMs: 1, matchers: [{ type: 2, name: 'x', value: '(' }] }], acceptedResponseTypes: [0] });
    const r = handleRemoteRead(snappyEncode(bad), db);
    expect(r.status).toBe(400);
    expect(String(r.body)).toContain('invalid regular expression');
  });
  it('enforces the sample limit', () => {
    const req = encodeReadRequest({ queries: [{ startTimestampMs: 0, endTimestampMs: NOW, matchers: [{ type: 0, name: '__name__', value: 'remote_metric' }] }], acceptedResponseTypes: [0] });
    const r = handleRemoteRead(snappyEncode(req), db, { maxSamples: 100 });
    expect(r.status).toBe(500);
    expect(String(r.body)).toContain('exceeded sample limit (100)');
  });
});

const PROM = '/usr/bin/prometheus';

describe.skipIf(!existsSync(PROM))('a real Prometheus 2.42 queries us through remote_read', () => {
  let prom: ChildProcess;
  let ours: ReturnType<typeof serve>;
  let promUrl = '';
  beforeAll(async () => {
    const app = new Hono();
    app.post('/api/v1/read', async (c) => {
      const r = handleRemoteRead(new Uint8Array(await c.req.arrayBuffer()), db);
      const headers: Record<string, string> = { 'Content-Type': r.contentType };
      if (r.contentEncoding) headers['Content-Encoding'] = r.contentEncoding;
      return c.body(typeof r.body === 'string' ? r.body : Buffer.from(r.body), r.status, headers);
    });
    const port = await new Promise<number>((resolve) => {
      ours = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (i) => resolve(i.port));
    });
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    writeFileSync(join(dir, 'p.yml'), `remote_read:\n  - url: http://127.0.0.1:${port}/api/v1/read\n    read_recent: true\n`);
    prom = spawn(PROM, [`--config.file=${join(dir, 'p.yml')}`, `--storage.tsdb.path=${join(dir, 'prom')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${promUrl}/-/ready`)).ok) return;
      } catch {
        // starting
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 30_000);
  afterAll(() => {
    prom?.kill('SIGKILL');
    ours?.close();
  });

  it('answers PromQL over our data', async () => {
    const q = async (expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
      const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}&time=${(NOW - 1000) / 1000}`);
      return ((await r.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
    };
    const res = await q('remote_metric{shard="a"}');
    expect(res).toHaveLength(1);
    expect(res[0]!.value[1]).toBe('299');
    const sum = await q('sum(max_over_time(remote_metric[10m]))');
    expect(sum[0]!.value[1]).toBe('299');
  });
});
