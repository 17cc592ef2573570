// Remote write 2.0 end to end inside Promethium: server A scrapes a target and remote-writes it
// as io.prometheus.write.v2.Request to server B's receiver over real HTTP; B's queries see it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snappyEncode } from '@promethium/tsdb-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerFlags } from '../cli/server-flags.js';
import { NOP_LOGGER } from '../log/logger.js';
import { PromethiumServer } from '../server.js';
import { startHttpTarget } from '../testing/http-target.js';
import type { HttpTarget } from '../testing/http-target.js';
import { waitFor } from '../testing/wait.js';
import { WriteRequestV2Encoder } from './write-encoder-v2.js';

const V2 = 'application/x-protobuf;proto=io.prometheus.write.v2.Request';

async function start(dir: string, config: string, extra: string[] = []): Promise<{ server: PromethiumServer; base: string }> {
  writeFileSync(join(dir, 'p.yml'), config);
  const parsed = parseServerFlags([`--config.file=${join(dir, 'p.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, '--web.listen-address=127.0.0.1:0', ...extra]);
  const server = await PromethiumServer.start({ flags: parsed.values, rawFlags: parsed.raw, logger: NOP_LOGGER });
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

interface QueryResult { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }

describe('remote write 2.0: Promethium sender to Promethium receiver', () => {
  const dirA = mkdtempSync(join(tmpdir(), 'pm-rw2-a-'));
  const dirB = mkdtempSync(join(tmpdir(), 'pm-rw2-b-'));
  let target: HttpTarget;
  let a: { server: PromethiumServer; base: string };
  let b: { server: PromethiumServer; base: string };
  beforeAll(async () => {
    target = await startHttpTarget((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end('# TYPE rw2_temp gauge\nrw2_temp{room="lab"} 21.5\nrw2_requests_total{path="/ü"} 7\n');
    });
    b = await start(dirB, 'global:\n  scrape_interval: 1h\n', ['--web.enable-remote-write-receiver']);
    a = await start(
      dirA,
      `global:\n  scrape_interval: 200ms\n  external_labels: { site: a }\nscrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ['${target.address}']\nremote_write:\n  - url: ${b.base}/api/v1/write\n    protobuf_message: io.prometheus.write.v2.Request\n    queue_config:\n      batch_send_deadline: 100ms\n`,
    );
  }, 30_000);
  afterAll(async () => {
    await a?.server.stop();
    await b?.server.stop();
    await target?.close();
    rmSync(dirA, { recursive: true, force: true });
    rmSync(dirB, { recursive: true, force: true });
  });

  const query = async (base: string, q: string): Promise<QueryResult['data']['result']> =>
    ((await (await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as QueryResult).data.result;

  it('delivers scraped samples that the receiver can query, with no failed sends', async () => {
    const got = await waitFor(() => query(b.base, 'rw2_temp'), (r) => r.length === 1, 20_000);
    expect(got[0]!.metric).toEqual({ __name__: 'rw2_temp', instance: target.address, job: 'app', room: 'lab', site: 'a' });
    expect(got[0]!.value[1]).toBe('21.5');
    const req = await waitFor(() => query(b.base, 'rw2_requests_total'), (r) => r.length === 1, 10_000);
    expect(req[0]!.metric.path).toBe('/ü');
    await waitFor(() => query(b.base, 'count_over_time(up{job="app"}[1m])'), (r) => Number(r[0]?.value[1] ?? 0) >= 3, 10_000);
    const metrics = await (await fetch(`${a.base}/metrics`)).text();
    expect(metrics).toMatch(/prometheus_remote_storage_samples_total\{[^}]*\} [1-9]/);
    expect(metrics).toMatch(/prometheus_remote_storage_samples_failed_total\{[^}]*\} 0\n/);
  }, 40_000);

  it('answers over HTTP with the written-count headers, 400 on a bad request and 415 on an unknown proto', async () => {
    const body = snappyEncode(new WriteRequestV2Encoder().encode([['__name__', 'posted_v2', 'k', 'v']], [Date.now()], [3]));
    const ok = await fetch(`${b.base}/api/v1/write`, { method: 'POST', body, headers: { 'Content-Type': V2, 'Content-Encoding': 'snappy', 'X-Prometheus-Remote-Write-Version': '2.0.0' } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('x-prometheus-remote-write-samples-written')).toBe('1');
    expect(ok.headers.get('x-prometheus-remote-write-histograms-written')).toBe('0');
    expect(ok.headers.get('x-prometheus-remote-write-exemplars-written')).toBe('0');
    expect(await query(b.base, 'posted_v2')).toHaveLength(1);
    const bad = await fetch(`${b.base}/api/v1/write`, { method: 'POST', body: snappyEncode(new Uint8Array([0x22, 0x01, 0x61])), headers: { 'Content-Type': V2 } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('symbols[0] is "a", expected the empty string\n');
    expect(bad.headers.get('x-prometheus-remote-write-samples-written')).toBe('0');
    const other = await fetch(`${b.base}/api/v1/write`, { method: 'POST', body, headers: { 'Content-Type': 'application/x-protobuf;proto=io.prometheus.write.v9.Request' } });
    expect(other.status).toBe(415);
    expect(await other.text()).toMatch(/^unsupported proto message "io\.prometheus\.write\.v9\.Request"/);
  });
});
