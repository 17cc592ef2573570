import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServer } from './testing/child-server.js';
import type { Child } from './testing/child-server.js';
import { freePort, startHttpTarget } from './testing/http-target.js';
import type { HttpTarget } from './testing/http-target.js';
import { waitFor } from './testing/wait.js';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';

async function query(base: string, q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const r = (await (await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as {
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return r.data.result;
}

async function ready(base: string): Promise<boolean> {
  try {
    return (await fetch(`${base}/-/ready`)).status === 200;
  } catch {
    return false;
  }
}

describe('promethium binary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-main-'));
  const children: Child[] = [];
  let target: HttpTarget;
  beforeAll(async () => {
    target = await startHttpTarget((_req, res) => {
      res.writeHead(200, { 'Content-Type': TEXT });
      res.end('app_temp 21.5\n');
    });
  });
  afterAll(async () => {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = (args: string[]): Child => {
    const c = runServer(args);
    children.push(c);
    return c;
  };

  it('prints --help and rejects bad flags and configs with clear errors', async () => {
    const help = start(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.output()).toContain('--storage.tsdb.retention.time=<duration>');
    const bad = start(['--web.listen-adress=:1']);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain("promethium: error: unknown long flag '--web.listen-adress', try --help");
    writeFileSync(join(dir, 'bad.yml'), 'global:\n  scrape_interval: often\n');
    const badCfg = start([`--config.file=${join(dir, 'bad.yml')}`, `--storage.tsdb.path=${join(dir, 'd0')}`, '--web.listen-address=127.0.0.1:0']);
    expect(await badCfg.exited).toBe(1);
    expect(badCfg.output()).toMatch(/level=error msg="Error loading config".*bad\.yml:2:20: global\.scrape_interval: not a valid duration string/);
  });

  it('reloads on SIGHUP, and keeps data across SIGKILL', async () => {
    const cfg = join(dir, 'prometheus.yml');
    const data = join(dir, 'data');
    writeFileSync(cfg, `scrape_configs:\n  - job_name: a\n    scrape_interval: 200ms\n    static_configs: [{ targets: ['${target.address}'] }]\n`);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const args = [`--config.file=${cfg}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, '--log.format=json'];
    const first = start(args);
    await waitFor(() => ready(base), (r) => r, 20_000);
    await waitFor(async () => (await query(base, 'count_over_time(app_temp[1h])'))[0]?.value[1] ?? '0', (v) => Number(v) >= 3);

    writeFileSync(cfg, `scrape_configs:\n  - job_name: b\n    scrape_interval: 200ms\n    static_configs: [{ targets: ['${target.address}'] }]\n`);
    first.proc.kill('SIGHUP');
    await waitFor(async () => (await query(base, 'up')).map((r) => r.metric.job).join(), (j) => j.includes('b'), 10_000);
    // The new pool scrapes as soon as it starts; the log line follows once the old pool stopped.
    await waitFor(() => first.output(), (o) => o.includes('"msg":"Completed loading of configuration file"'), 10_000);

    const before = Number((await query(base, 'count_over_time(app_temp{job="a"}[1h])'))[0]!.value[1]);
    first.proc.kill('SIGKILL');
    await first.exited;
    const second = start(args);
    await waitFor(() => ready(base), (r) => r, 20_000);
    const after = Number((await query(base, 'count_over_time(app_temp{job="a"}[1h])'))[0]!.value[1]);
    expect(after).toBeGreaterThanOrEqual(before);
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('"msg":"See you next time!"');
  }, 60_000);
});
