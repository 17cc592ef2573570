// --web.cors.origin, the lifecycle endpoints and the admin API without their flags, side by side
// with Debian's Prometheus 2.42 started with the same flags: same status, body and headers.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerFlags } from '../cli/server-flags.js';
import { NOP_LOGGER } from '../log/logger.js';
import { PromethiumServer } from '../server.js';
import { freePort } from '../testing/http-target.js';
import { waitFor } from '../testing/wait.js';

const PROMETHEUS = '/usr/bin/prometheus';
const CORS = 'https://(ok|also-ok)\\.example';
const HEADERS = ['access-control-allow-origin', 'access-control-allow-headers', 'access-control-allow-methods', 'access-control-expose-headers', 'vary', 'allow'];

interface Seen {
  status: number;
  body: string;
  headers: Record<string, string>;
}

async function see(base: string, path: string, init: RequestInit = {}): Promise<Seen> {
  const res = await fetch(`${base}${path}`, init);
  const headers: Record<string, string> = {};
  for (const h of HEADERS) {
    const v = res.headers.get(h);
    if (v !== null) headers[h] = v;
  }
  // Query results carry the evaluation time: compare everything else.
  const body = (await res.text()).replace(/\[\d+(\.\d+)?,/g, '[T,');
  return { status: res.status, body, headers };
}

describe('CORS and lifecycle/admin guards (ours)', () => {
  it('answers Access-Control-Allow-Origin: * by default and only to requests with an Origin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-cors-'));
    writeFileSync(join(dir, 'p.yml'), 'scrape_configs: []\n');
    const parsed = parseServerFlags([`--config.file=${join(dir, 'p.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, '--web.listen-address=127.0.0.1:0']);
    const s = await PromethiumServer.start({ flags: parsed.values, rawFlags: parsed.raw, logger: NOP_LOGGER });
    try {
      const base = `http://127.0.0.1:${s.address().port}`;
      expect((await see(base, '/api/v1/query?query=1', { headers: { Origin: 'https://anything.example' } })).headers['access-control-allow-origin']).toBe('*');
      expect((await see(base, '/api/v1/query?query=1')).headers).toEqual({});
      // Not an API path: no CORS, as Prometheus.
      expect((await see(base, '/metrics', { headers: { Origin: 'https://x' } })).headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await s.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('refuses a bad --web.cors.origin regex at start', () => {
    expect(() => parseServerFlags(['--web.cors.origin=(unclosed'])).toThrow(/--web\.cors\.origin/);
  });
});

describe.skipIf(!existsSync(PROMETHEUS))('same answers as Prometheus 2.42', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-access-'));
  let prom: ChildProcess | undefined;
  let server: PromethiumServer | undefined;
  let theirs = '';
  let ours = '';

  beforeAll(async () => {
    writeFileSync(join(dir, 'p.yml'), 'scrape_configs: []\n');
    const port = await freePort();
    theirs = `http://127.0.0.1:${port}`;
    prom = spawn(
      PROMETHEUS,
      [`--config.file=${join(dir, 'p.yml')}`, `--storage.tsdb.path=${join(dir, 'theirs')}`, `--web.listen-address=127.0.0.1:${port}`, `--web.cors.origin=${CORS}`],
      { stdio: 'ignore' },
    );
    const parsed = parseServerFlags([
      `--config.file=${join(dir, 'p.yml')}`,
      `--storage.tsdb.path=${join(dir, 'ours')}`,
      '--web.listen-address=127.0.0.1:0',
      `--web.cors.origin=${CORS}`,
    ]);
    server = await PromethiumServer.start({ flags: parsed.values, rawFlags: parsed.raw, logger: NOP_LOGGER });
    ours = `http://127.0.0.1:${server.address().port}`;
    await waitFor(
      () => fetch(`${theirs}/-/ready`).then((r) => r.status, () => 0),
      (s) => s === 200,
      20_000,
    );
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    if (prom && prom.exitCode === null && prom.signalCode === null) prom.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: [string, string, RequestInit][] = [
    ['quit disabled', '/-/quit', { method: 'POST' }],
    ['reload disabled', '/-/reload', { method: 'PUT' }],
    ['GET /-/quit', '/-/quit', {}],
    ['GET /-/reload', '/-/reload', {}],
    ['admin snapshot disabled', '/api/v1/admin/tsdb/snapshot', { method: 'POST' }],
    ['admin delete_series disabled', '/api/v1/admin/tsdb/delete_series?match[]=up', { method: 'PUT' }],
    ['admin clean_tombstones disabled', '/api/v1/admin/tsdb/clean_tombstones', { method: 'POST' }],
    ['admin with GET', '/api/v1/admin/tsdb/snapshot', {}],
    ['CORS, matching origin', '/api/v1/query?query=1', { headers: { Origin: 'https://ok.example' } }],
    ['CORS, second alternative', '/api/v1/labels', { headers: { Origin: 'https://also-ok.example' } }],
    ['CORS, other origin', '/api/v1/query?query=1', { headers: { Origin: 'https://evil.example' } }],
    ['CORS, origin only a prefix match', '/api/v1/query?query=1', { headers: { Origin: 'https://ok.example.evil' } }],
    ['CORS preflight', '/api/v1/query', { method: 'OPTIONS', headers: { Origin: 'https://ok.example' } }],
    ['no Origin', '/api/v1/query?query=1', {}],
  ];
  for (const [name, path, init] of cases) {
    it(name, async () => {
      expect(await see(ours, path, init)).toEqual(await see(theirs, path, init));
    });
  }
});
