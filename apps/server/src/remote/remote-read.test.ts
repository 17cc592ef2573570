import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExpr } from '@promethium/promql';
import { Labels, nopLogger, openDB } from '@promethium/tsdb-core';
import type { DB } from '@promethium/tsdb-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServer } from '../testing/child-server.js';
import type { Child } from '../testing/child-server.js';
import { freePort, startHttpTarget } from '../testing/http-target.js';
import type { HttpTarget } from '../testing/http-target.js';
import { decodeReadRequest } from './prompb.js';
import type { PbReadRequest } from './prompb.js';
import { handleRemoteRead } from './read-handler.js';
import { selectorWindow } from './remote-read.js';
import { snappyDecode } from '@promethium/tsdb-core';

describe('selectorWindow', () => {
  it('covers lookback, ranges, offsets and subqueries of every selector', () => {
    const w = selectorWindow(parseExpr('rate(a[5m] offset 1h) + max_over_time(b[10m:1m])'), 10_000_000, 10_000_000, 300_000);
    expect(w.selectors).toHaveLength(2);
    expect(w.mint).toBe(10_000_000 - 300_000 - 300_000 - 3600_000);
    expect(w.maxt).toBe(10_000_000);
  });
});

interface Remote {
  url: string;
  requests: PbReadRequest[];
  close(): Promise<void>;
}

async function startRemote(db: DB, fail = false): Promise<Remote> {
  const requests: PbReadRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = new Uint8Array(Buffer.concat(chunks));
      requests.push(decodeReadRequest(snappyDecode(body)));
      if (fail) {
        res.writeHead(500);
        res.end('remote broke\n');
        return;
      }
      const r = handleRemoteRead(body, db, { externalLabels: { dc: 'eu' } });
      res.writeHead(r.status, { 'Content-Type': r.contentType, ...(r.contentEncoding ? { 'Content-Encoding': r.contentEncoding } : {}) });
      res.end(r.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/read`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('remote_read feeds queries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-rr-'));
  let remoteDb: DB;
  let remote: Remote;
  let guarded: Remote;
  let broken: Remote;
  let target: HttpTarget;
  let child: Child;
  let base = '';
  const OLD = Date.now() - 3 * 86_400_000;

  beforeAll(async () => {
    remoteDb = await openDB(join(dir, 'remote'), { logger: nopLogger, compactionInterval: 0 });
    const app = remoteDb.appender();
    for (let k = 0; k < 10; k++) {
      app.append(0, Labels.from({ __name__: 'archived_total', job: 'old' }), OLD + k * 60_000, k);
      app.append(0, Labels.from({ __name__: 'guarded', job: 'g' }), OLD + k * 60_000, 100 + k);
    }
    await app.commit();
    remote = await startRemote(remoteDb);
    guarded = await startRemote(remoteDb);
    broken = await startRemote(remoteDb, true);
    target = await startHttpTarget((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end('local_gauge 5\n');
    });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'p.yml'),
      `global:\n  scrape_interval: 1s\n  external_labels:\n    dc: eu\nscrape_configs:\n  - job_name: local\n    static_configs:\n      - targets: ['${target.address}']\nremote_read:\n  - url: ${remote.url}\n    name: archive\n  - url: ${guarded.url}\n    name: guarded\n    required_matchers:\n      job: g\n  - url: ${broken.url}\n    name: broken\n    required_matchers:\n      job: broken\n`,
    );
    child = runServer([`--config.file=${join(dir, 'p.yml')}`, `--storage.tsdb.path=${join(dir, 'local')}`, `--web.listen-address=127.0.0.1:${port}`]);
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${base}/-/ready`)).ok) break;
      } catch {
        // starting
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 40_000);
  afterAll(async () => {
    child?.proc.kill('SIGKILL');
    await child?.exited;
    await Promise.all([remote?.close(), guarded?.close(), broken?.close(), target?.close()]);
    await remoteDb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const query = async (q: string, time: number): Promise<{ data: { result: { metric: Record<string, string>; value: [number, string] }[] }; warnings?: string[] }> =>
    (await (await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}&time=${time / 1000}`)).json()) as never;

  it('answers old data from the remote, external labels filtered and stripped', async () => {
    const r = await query('archived_total', OLD + 5 * 60_000 + 1000);
    expect(r.data.result).toEqual([{ metric: { __name__: 'archived_total', job: 'old' }, value: [(OLD + 5 * 60_000 + 1000) / 1000, '5'] }]);
    const sent = remote.requests.at(-1)!.queries[0]!.matchers;
    expect(sent).toContainEqual({ type: 0, name: 'dc', value: 'eu' });
    const range = await (await fetch(`${base}/api/v1/query?query=${encodeURIComponent('increase(archived_total[10m])')}&time=${(OLD + 9 * 60_000) / 1000}`)).json() as { data: { result: { value: [number, string] }[] } };
    expect(Number(range.data.result[0]!.value[1])).toBeGreaterThan(8);
  });

  it('asks an endpoint with required_matchers only when the selector has them', async () => {
    const before = guarded.requests.length;
    await query('archived_total', OLD + 60_000);
    expect(guarded.requests.length).toBe(before);
    const r = await query('guarded{job="g"}', OLD + 60_000);
    expect(guarded.requests.length).toBeGreaterThan(before);
    expect(r.data.result[0]?.value[1]).toBe('101');
  });

  it('without read_recent, leaves recent queries to local storage', async () => {
    for (let i = 0; i < 50 && (await query('local_gauge', Date.now())).data.result.length === 0; i++) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 3000));
    const before = remote.requests.length;
    // The window (2 s of lookback) starts after the oldest local sample: nothing goes remote.
    const r = (await (await fetch(`${base}/api/v1/query?query=local_gauge&lookback_delta=2s`)).json()) as { data: { result: { value: [number, string] }[] } };
    expect(r.data.result[0]?.value[1]).toBe('5');
    expect(remote.requests.length).toBe(before);
    // A window reaching before local data does.
    await query('local_gauge', Date.now());
    expect(remote.requests.length).toBe(before + 1);
  }, 20_000);

  it('turns a failing endpoint into a warning, not a failed query', async () => {
    const r = await query('archived_total{job="broken"}', OLD + 60_000);
    expect(r.data.result).toEqual([]);
    expect(r.warnings?.[0]).toMatch(/^remote_read broken: remote server .* returned HTTP status 500/);
  });
});
