// The notifier through an HTTP proxy: alerts reach an Alertmanager endpoint whose host name only
// the proxy resolves, with the alertmanager config's http_headers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseServerFlags } from './cli/server-flags.js';
import { NOP_LOGGER } from './log/logger.js';
import { PromethiumServer } from './server.js';
import { startForwardProxy } from './testing/forward-proxy.js';
import { startHttpTarget } from './testing/http-target.js';
import { waitFor } from './testing/wait.js';

describe('alerts through proxy_url', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-am-proxy-'));
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts the firing alert to the Alertmanager through the proxy', async () => {
    const bodies: string[] = [];
    const am = await startHttpTarget((req, res) => {
      let b = '';
      req.on('data', (d: Buffer) => (b += d.toString()));
      req.on('end', () => {
        bodies.push(b);
        res.writeHead(200).end();
      });
    });
    cleanups.push(() => am.close());
    const proxy = await startForwardProxy({ hosts: { 'am.test': '127.0.0.1' } });
    cleanups.push(() => proxy.close());
    writeFileSync(join(dir, 'rules.yml'), 'groups:\n  - name: g\n    rules:\n      - alert: Always\n        expr: vector(1)\n');
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  evaluation_interval: 200ms\nrule_files: [rules.yml]\nalerting:\n  alertmanagers:\n    - static_configs: [{ targets: ['am.test:${am.port}'] }]\n      proxy_url: ${proxy.url}\n      http_headers:\n        X-Team:\n          values: [obs]\n`,
    );
    const parsed = parseServerFlags([`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, '--web.listen-address=127.0.0.1:0']);
    const server = await PromethiumServer.start({ flags: parsed.values, rawFlags: parsed.raw, logger: NOP_LOGGER });
    cleanups.push(() => server.stop());
    await waitFor(() => bodies.length, (n) => n >= 1, 15_000);
    expect(bodies[0]).toContain('"alertname":"Always"');
    expect(am.requests[0]!.headers['x-team']).toBe('obs');
    expect(proxy.seen[0]).toMatchObject({ method: 'POST', target: `http://am.test:${am.port}/api/v2/alerts` });
  }, 30_000);
});
