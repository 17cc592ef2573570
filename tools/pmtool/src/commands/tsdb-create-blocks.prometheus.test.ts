// A real Prometheus 2.42 started on blocks that pmtool backfilled answers queries with them.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backfillInput } from '../test-support/om-input.js';
import { freePort, hasPrometheus, PROMETHEUS_BIN } from '../test-support/real-prometheus.js';
import { pm } from '../test-support/run.js';

const tmp = mkdtempSync(join(tmpdir(), 'pmtool-backfill-prom-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface PromResult {
  metric: Record<string, string>;
  value: [number, string];
}

describe.skipIf(!hasPrometheus)('Prometheus 2.42 reads pmtool backfilled blocks', () => {
  it('answers instant and range queries from them', async () => {
    // Six hours ending an hour ago, on whole seconds.
    const start = Math.floor((Date.now() - 7 * 3_600_000) / 1000) * 1000;
    writeFileSync(join(tmp, 'in.om'), backfillInput(start, 6, { stepMs: 60_000 }));
    const data = join(tmp, 'data');
    const r = await pm(['tsdb', 'create-blocks-from', 'openmetrics', '-q', join(tmp, 'in.om'), data]);
    expect(r).toEqual({ code: 0, out: '', err: '' });

    const port = await freePort();
    mkdirSync(join(tmp, 'cfg'));
    writeFileSync(join(tmp, 'cfg', 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
    const child = spawn(
      PROMETHEUS_BIN,
      [
        `--config.file=${join(tmp, 'cfg', 'prometheus.yml')}`,
        `--storage.tsdb.path=${data}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=10y',
      ],
      { stdio: 'ignore' },
    );
    try {
      const url = `http://127.0.0.1:${port}`;
      const query = async (q: string, t: number): Promise<PromResult[]> => {
        const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}&time=${t / 1000}`);
        const j = (await res.json()) as { status: string; data: { result: PromResult[] } };
        expect(j.status).toBe('success');
        return j.data.result;
      };
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          if ((await fetch(`${url}/-/ready`)).ok) break;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error('prometheus did not become ready within 30 s');
        await new Promise((res) => setTimeout(res, 200));
      }
      // Sample i of the series code="20s" is i*(s+1); 90 minutes in, i = 90.
      const at = start + 90 * 60_000;
      const v = await query('http_requests_total', at);
      expect(v.map((s) => [s.metric.code, s.value[1]]).sort()).toEqual([
        ['200', '90'],
        ['201', '180'],
        ['202', '270'],
        ['203', '360'],
      ]);
      expect(v[0]!.metric.path).toBe('/a"b\\c\nd');
      // Over the whole range, crossing block boundaries: 360 one-minute samples per counter.
      const c = await query('count_over_time(http_requests_total{code="200"}[6h])', start + 6 * 3_600_000 - 60_000);
      expect(c[0]!.value[1]).toBe('360');
      const temp = await query('temperature_celsius{room="r0"}', start);
      expect(temp[0]!.value[1]).toBe('1000000');
    } finally {
      child.kill('SIGKILL');
      await new Promise((res) => child.once('exit', res));
    }
  }, 60_000);
});
