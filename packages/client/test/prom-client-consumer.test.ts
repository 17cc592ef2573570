// Runs a real, unchanged prom-client consumer (@hono/prometheus 1.0.3 from npm) against this
// package aliased as `prom-client`, in a plain Node process.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('@hono/prometheus on @promethium/client', () => {
  it('instruments requests and prints metrics', async () => {
    const app = fileURLToPath(new URL('./fixtures/hono-prometheus-app.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--conditions=@promethium/source', '--import', 'tsx', app], { timeout: 50_000 });
    const out = JSON.parse(stdout) as { impl: string; status: number; body: string };
    expect(out.impl).toBe('promethium');
    expect(out.status).toBe(200);
    expect(out.body).toContain('# TYPE http_request_duration_seconds histogram');
    expect(out.body).toContain(
      'http_requests_total{method="GET",status="200",ok="true",route="/items/:id",content_type="application/json"} 2',
    );
    expect(out.body).toMatch(/http_request_duration_seconds_bucket\{le="0\.005",method="GET",status="200",ok="true",route="\/items\/:id"\} \d/);
    expect(out.body).toContain('http_requests_total{method="GET",status="404",ok="false",route="/*",content_type="text/plain; charset=UTF-8"} 1');
    expect(out.body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(out.body).toMatch(/^nodejs_version_info\{/m);
  }, 60_000);
});
