// Web UI: bundle size, time to first render on loopback, time to draw 100 series x 1000 points.
// Drives Debian's Chromium with playwright-core; pages read a real Prometheus 2.42 through the same
// asset helper the server uses. The 100-series range query is answered by a generator (it measures
// drawing, not the backend). Peer: Prometheus 2.42's own (classic) UI on the same machine.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { readUiAsset, uiAssetsDir } from '@promethium/web-ui';
import { Hono } from 'hono';
import { chromium, type Browser } from 'playwright-core';
import { defineSuite, type SuiteContext } from '../src/harness.js';

const CHROMIUM = '/usr/bin/chromium';
const PROMETHEUS = '/usr/bin/prometheus';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const SERIES = 100;
const POINTS = 1000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

function bundleSize(ctx: SuiteContext, dir: string): void {
  const files = ['index.html', ...readdirSync(join(dir, 'assets')).map((f) => join('assets', f))];
  let raw = 0;
  let gz = 0;
  let shellGz = 0;
  for (const f of files) {
    const body = readFileSync(join(dir, f));
    const z = gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gz += z;
    // The query page and the editor are lazy chunks; every other page loads only the shell.
    if (!/^assets[/\\](query|editor)-/.test(f)) shellGz += z;
  }
  ctx.record({ name: 'shell loaded by non-query pages (html + index JS/CSS), gzip -9', impl: 'promethium', value: shellGz / 1024, unit: 'KiB', note: 'query page and editor chunks are loaded on demand' });
  ctx.record({ name: 'bundle size (index.html + JS + CSS), gzip -9', impl: 'promethium', value: gz / 1024, unit: 'KiB', note: `${files.length} files, ${(raw / 1024).toFixed(1)} KiB uncompressed` });
}

/** A generated 100 x 1000 matrix for query "bench_100_series", on the exact grid the UI asked for. */
function generatedMatrix(start: number, end: number, step: number): unknown {
  const result = [];
  for (let s = 0; s < SERIES; s++) {
    const values: [number, string][] = [];
    let v = 50 + s;
    for (let t = start, i = 0; t <= end + 1e-9 && i < 11000; t = start + ++i * step) {
      v += Math.sin(i * 0.05 + s) * 2 + ((i * 7919 + s * 104729) % 13) / 13 - 0.5;
      values.push([t, v.toFixed(3)]);
    }
    result.push({ metric: { __name__: 'bench_100_series', series: String(s), job: 'bench' }, values });
  }
  return { status: 'success', data: { resultType: 'matrix', result } };
}

async function startPrometheus(): Promise<{ url: string; stop: () => Promise<void> } | undefined> {
  if (!existsSync(PROMETHEUS)) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'ui-bench-prom-'));
  const port = await freePort();
  await writeFile(
    join(dir, 'prometheus.yml'),
    `global: { scrape_interval: 1s }\nscrape_configs:\n  - job_name: prometheus\n    static_configs: [{ targets: ["127.0.0.1:${port}"] }]\n  - job_name: down\n    static_configs: [{ targets: ["127.0.0.1:1"] }]\n`,
  );
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      await new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      });
    }
    await rm(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 150; i++) {
    try {
      const r = await fetch(`${url}/api/v1/query?query=up`);
      const body = (await r.json()) as { data?: { result?: unknown[] } };
      if ((body.data?.result?.length ?? 0) >= 2) return { url, stop };
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error('prometheus did not start');
}

async function startUiServer(dir: string, backend: string | undefined): Promise<{ url: string; close: () => void }> {
  const app = new Hono();
  app.get('/api/v1/query_range', async (c) => {
    if (c.req.query('query') === 'bench_100_series') {
      return c.json(generatedMatrix(Number(c.req.query('start')), Number(c.req.query('end')), Number(c.req.query('step'))));
    }
    if (!backend) return c.json({ status: 'error', errorType: 'unavailable', error: 'no backend' }, 503);
    const u = new URL(c.req.url);
    return fetch(`${backend}${u.pathname}${u.search}`);
  });
  app.all('/api/*', async (c) => {
    if (!backend) return c.json({ status: 'error', errorType: 'unavailable', error: 'no backend' }, 503);
    const u = new URL(c.req.url);
    const res = await fetch(`${backend}${u.pathname}${u.search}`);
    return new Response(await res.arrayBuffer(), { status: res.status, headers: { 'content-type': 'application/json' } });
  });
  app.get('*', async (c) => {
    const asset = await readUiAsset(c.req.path, dir);
    return asset ? c.body(asset.body, asset.status, asset.headers) : c.text('not found', 404);
  });
  let server: ReturnType<typeof serve> | undefined;
  const port = await new Promise<number>((r) => (server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (i) => r(i.port))));
  return { url: `http://127.0.0.1:${port}`, close: () => server?.close() };
}

/** Cold loads (new context, empty cache): ms from navigation start to the named performance mark. */
async function firstRender(browser: Browser, url: string, mark: string, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction((m) => performance.getEntriesByName(m).length > 0, mark, { timeout: 20_000 });
    out.push(await page.evaluate((m) => performance.getEntriesByName(m)[0]!.startTime, mark));
    await context.close();
  }
  return out;
}

/** The peer's pages render on the server: its load event is when they are on screen. */
async function peerLoad(browser: Browser, url: string, runs: number): Promise<{ ms: number[]; gzipBytes: number }> {
  const ms: number[] = [];
  let gzipBytes = 0;
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const bodies: Promise<Buffer>[] = [];
    if (i === 0) page.on('response', (r) => void bodies.push(r.body().catch(() => Buffer.alloc(0))));
    await page.goto(url, { waitUntil: 'load' });
    // A string: bench has no DOM types, and this runs in the page.
    ms.push(Number(await page.evaluate('performance.getEntriesByType("navigation")[0].loadEventStart')));
    if (i === 0) gzipBytes = (await Promise.all(bodies)).reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
    await context.close();
  }
  return { ms, gzipBytes };
}

export default defineSuite({
  name: 'ui',
  description: 'web UI: bundle size, first render on loopback, 100 series x 1000 points graph (Chromium)',
  async run(ctx) {
    const dist = uiAssetsDir();
    const pkg = dirname(dist);
    // Always measure the current source.
    execFileSync(join(pkg, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: pkg, stdio: 'inherit' });
    bundleSize(ctx, dist);
    if (!existsSync(CHROMIUM)) {
      ctx.record({ name: 'browser figures', impl: 'promethium', value: 0, unit: 'skipped', note: `${CHROMIUM} absent` });
      return;
    }
    const runs = ctx.quick ? 3 : 15;
    const prom = await startPrometheus();
    const ui = await startUiServer(dist, prom?.url);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      if (prom) {
        const targets = await firstRender(browser, `${ui.url}/targets`, 'promethium:first-render', runs);
        ctx.record({ name: 'first render, /targets with data (cold cache)', impl: 'promethium', value: median(targets), unit: 'ms', note: `median of ${runs}, max ${Math.max(...targets).toFixed(0)} ms; target < 1000 ms` });
        const table = await firstRender(browser, `${ui.url}/query?g0.expr=up&g0.tab=1`, 'promethium:table-rendered', runs);
        ctx.record({ name: 'first render, /query table with result (cold cache)', impl: 'promethium', value: median(table), unit: 'ms', note: `median of ${runs}, max ${Math.max(...table).toFixed(0)} ms; the editor chunk loads alongside the query` });
        const peer = await peerLoad(browser, `${prom.url}/classic/targets`, runs);
        ctx.record({ name: 'first render, /targets with data (cold cache)', impl: 'prometheus 2.42 classic UI', value: median(peer.ms), unit: 'ms', note: `median of ${runs}; load event of its server-rendered /classic/targets (Debian ships the classic UI)` });
        ctx.record({ name: 'bundle size of /classic/targets page, gzip -9', impl: 'prometheus 2.42 classic UI', value: peer.gzipBytes / 1024, unit: 'KiB', note: 'every response the page loads' });
      }
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      for (const stacked of [false, true]) {
        // 1h at 3.6 s = 1001 points per series.
        await page.goto(`${ui.url}/query?g0.expr=bench_100_series&g0.tab=0&g0.range_input=1h&g0.step_input=3.6&g0.stacked=${stacked ? 1 : 0}`);
        const draws: number[] = [];
        for (let i = 0; i < runs; i++) {
          await page.waitForFunction((n) => performance.getEntriesByName('promethium:graph-draw').length >= n, i + 1, { timeout: 20_000 });
          if (i + 1 < runs) await page.getByTestId('execute').click();
        }
        draws.push(...(await page.evaluate(() => performance.getEntriesByName('promethium:graph-draw').map((e) => e.duration))));
        const legend = await page.locator('.legend-item').count();
        if (legend !== SERIES) throw new Error(`expected ${SERIES} legend entries, saw ${legend}`);
        ctx.record({
          name: `draw ${SERIES} series x ${POINTS} points${stacked ? ', stacked' : ''}`,
          impl: 'promethium',
          value: median(draws),
          unit: 'ms',
          note: `median of ${draws.length}, max ${Math.max(...draws).toFixed(1)} ms (align + uPlot setup + first frame); target < 200 ms`,
        });
        await page.evaluate(() => performance.clearMeasures('promethium:graph-draw'));
      }
      await context.close();
    } finally {
      await browser.close();
      ui.close();
      await prom?.stop();
    }
  },
});
