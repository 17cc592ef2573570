// The real binary: remote_write follows the config on SIGHUP (a new URL gets the samples from
// then on, the old one no more), and /metrics carries the queue's series under its new name.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServer } from '../testing/child-server.js';
import type { Child } from '../testing/child-server.js';
import { freePort, startHttpTarget } from '../testing/http-target.js';
import type { HttpTarget } from '../testing/http-target.js';
import { startTestReceiver } from '../testing/remote-receiver.js';
import type { TestReceiver } from '../testing/remote-receiver.js';
import { waitFor } from '../testing/wait.js';

describe('remote_write on SIGHUP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-rw-reload-'));
  let target: HttpTarget;
  let a: TestReceiver;
  let b: TestReceiver;
  let child: Child;
  beforeAll(async () => {
    target = await startHttpTarget((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end('reload_gauge 1\n');
    });
    a = await startTestReceiver();
    b = await startTestReceiver();
  });
  afterAll(async () => {
    child?.proc.kill('SIGKILL');
    await child?.exited;
    await Promise.all([target.close(), a.close(), b.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (url: string, name: string): string =>
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: r\n    static_configs:\n      - targets: ['${target.address}']\nremote_write:\n  - url: ${url}\n    name: ${name}\n    queue_config:\n      batch_send_deadline: 100ms\n`;

  it('moves sending to the reloaded URL', async () => {
    const port = await freePort();
    writeFileSync(join(dir, 'p.yml'), config(a.url, 'first'));
    child = runServer([`--config.file=${join(dir, 'p.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`]);
    await waitFor(() => a.samples.filter((s) => s.series.startsWith('__name__="reload_gauge"')).length, (n) => n >= 2, 20_000);
    writeFileSync(join(dir, 'p.yml'), config(b.url, 'second'));
    child.proc.kill('SIGHUP');
    await waitFor(() => b.samples.filter((s) => s.series.startsWith('__name__="reload_gauge"')).length, (n) => n >= 2, 20_000);
    const aCount = a.samples.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(a.samples.length).toBe(aCount);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain(`prometheus_remote_storage_samples_total{remote_name="second",url="${b.url}"}`);
    expect(metrics).not.toContain('remote_name="first"');
  }, 40_000);
});
