import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels, nopLogger, openDB } from '@promethium/tsdb-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentTruncator } from './agent.js';
import { dataPath, parseServerFlags } from './cli/server-flags.js';
import { NOP_LOGGER } from './log/logger.js';
import { RemoteStorage } from './remote/remote-storage.js';
import { runServer } from './testing/child-server.js';
import type { Child } from './testing/child-server.js';
import { freePort, startHttpTarget } from './testing/http-target.js';
import type { HttpTarget } from './testing/http-target.js';
import { startTestReceiver } from './testing/remote-receiver.js';
import type { TestReceiver } from './testing/remote-receiver.js';
import { waitFor } from './testing/wait.js';

describe('agent flags', () => {
  it('uses data-agent/ by default, as Prometheus, and takes --enable-feature=agent too', () => {
    expect(dataPath(parseServerFlags(['--agent']).values)).toBe('data-agent/');
    expect(dataPath(parseServerFlags(['--enable-feature=agent', '--storage.agent.path=/x']).values)).toBe('/x');
    expect(dataPath(parseServerFlags([]).values)).toBe('data/');
    const f = parseServerFlags(['--agent']).values;
    expect([f.agentRetentionMinTime, f.agentRetentionMaxTime]).toEqual([300_000, 4 * 3600_000]);
  });
});

describe('agent WAL truncation', () => {
  it('drops data older than max-time even with nothing sent, and waits for a lagging queue otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-agent-trunc-'));
    const db = await openDB(dir, { logger: nopLogger, blocks: false, headSnapshot: false, compactionInterval: 0, walSync: 'none' });
    try {
      const now = Date.now();
      const app = db.appender();
      app.append(0, Labels.from({ __name__: 'old' }), now - 5 * 3600_000, 1);
      app.append(0, Labels.from({ __name__: 'fresh' }), now - 60_000, 2);
      await app.commit();
      const remote = new RemoteStorage({ walDir: join(dir, 'wal'), progressDir: join(dir, 'rw'), logger: NOP_LOGGER });
      const flags = { agentRetentionMinTime: 300_000, agentRetentionMaxTime: 4 * 3600_000 };
      expect(new AgentTruncator(db, remote, flags, NOP_LOGGER).truncate(now)).toBe(true);
      expect(db.head.numSeries).toBe(1);
      // A queue that has not sent anything yet holds truncation back until max-time forces it.
      const rx = await startTestReceiver();
      rx.failWith = 503;
      await remote.applyConfig({
        global: { external_labels: {} },
        remote_write: [{ url: rx.url, remote_timeout: 1000, headers: {}, write_relabel_configs: [], send_exemplars: false, send_native_histograms: false, queue_config: { capacity: 10, max_shards: 1, min_shards: 1, max_samples_per_send: 10, batch_send_deadline: 10, min_backoff: 10, max_backoff: 10, retry_on_http_429: true }, ...httpDefaults() }],
      } as never);
      const app2 = db.appender();
      app2.append(0, Labels.from({ __name__: 'fresh' }), now - 30_000, 3);
      await app2.commit();
      await new Promise((r) => setTimeout(r, 300));
      expect(new AgentTruncator(db, remote, flags, NOP_LOGGER).truncate(now)).toBe(false);
      expect(db.head.numSeries).toBe(1);
      // Stuck for longer than max-time: truncation goes ahead.
      expect(new AgentTruncator(db, remote, flags, NOP_LOGGER).truncate(now + 5 * 3600_000)).toBe(true);
      await remote.stop();
      await rx.close();
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function httpDefaults(): Record<string, unknown> {
  return { follow_redirects: true, enable_http2: true, tls_config: { insecure_skip_verify: false } };
}

describe('promethium --agent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-agent-'));
  let target: HttpTarget;
  let rx: TestReceiver;
  let child: Child | undefined;
  let base = '';
  beforeAll(async () => {
    target = await startHttpTarget((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end('agent_temp 21.5\n');
    });
    rx = await startTestReceiver();
  });
  afterAll(async () => {
    if (child && child.proc.exitCode === null) child.proc.kill('SIGKILL');
    await target.close();
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scrapes into its WAL and remote-writes; query APIs answer as Prometheus agent does', async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'agent.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['${target.address}']\nremote_write:\n  - url: ${rx.url}\n    queue_config:\n      batch_send_deadline: 100ms\n`,
    );
    child = runServer(['--agent', `--config.file=${join(dir, 'agent.yml')}`, `--storage.agent.path=${join(dir, 'data-agent')}`, `--web.listen-address=127.0.0.1:${port}`]);
    await waitFor(() => rx.samples.filter((s) => s.series.startsWith('__name__="agent_temp"')).length, (n) => n >= 2, 15_000);
    expect(rx.samples.find((s) => s.series === '__name__="agent_temp",instance="' + target.address + '",job="a"')?.v).toBe(21.5);
    const q = await fetch(`${base}/api/v1/query?query=up`);
    expect(q.status).toBe(422);
    expect(await q.json()).toEqual({ status: 'error', errorType: 'execution', error: 'unavailable with Prometheus Agent' });
    for (const p of ['/api/v1/query_range?query=up&start=0&end=1&step=1', '/api/v1/series?match[]=up', '/api/v1/labels', '/api/v1/rules', '/api/v1/alerts']) {
      expect((await fetch(base + p)).status).toBe(422);
    }
    expect((await fetch(`${base}/api/v1/targets`)).status).toBe(200);
    // The UI as Prometheus' agent serves it: home is /agent, query pages are gone.
    const home = await fetch(`${base}/`, { redirect: 'manual' });
    expect([home.status, home.headers.get('location')]).toEqual([302, '/agent']);
    expect(await (await fetch(`${base}/agent`)).text()).toContain('agent mode');
    for (const p of ['/graph', '/query', '/alerts', '/rules', '/tsdb-status']) expect((await fetch(base + p)).status).toBe(404);
    expect((await fetch(`${base}/federate?match[]=up`)).status).toBe(422);
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/prometheus_remote_storage_samples_total\{remote_name="[0-9a-f]{6}",url="[^"]+"\} [1-9]/);
    expect(existsSync(join(dir, 'data-agent', 'wal'))).toBe(true);
    expect(readdirSync(join(dir, 'data-agent')).filter((n) => /^[0-9A-Z]{26}$/.test(n))).toEqual([]);
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
  }, 40_000);

  it('refuses rule_files and remote_read in agent mode, with Prometheus words', async () => {
    writeFileSync(join(dir, 'rules.yml'), `rule_files: ['x.yml']\nremote_read:\n  - url: http://127.0.0.1:1/api/v1/read\n`);
    const c = runServer(['--agent', `--config.file=${join(dir, 'rules.yml')}`, `--storage.agent.path=${join(dir, 'd2')}`, '--web.listen-address=127.0.0.1:0']);
    expect(await c.exited).toBe(1);
    expect(c.output()).toContain('field rule_files is not allowed in agent mode');
  }, 20_000);
});
