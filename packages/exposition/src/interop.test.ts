// Interop with Debian's real Go components: node-exporter (client_golang) serves every format,
// promtool checks what we write. Skipped when the binaries are absent.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTENT_TYPE_PROTOBUF,
  SCRAPE_ACCEPT_HEADER,
  decodeProtobuf,
  formatFromContentType,
  parse,
  parseOpenMetrics,
  parseText,
  serializeOpenMetrics,
  serializeText,
} from './index.js';

const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
const PROMTOOL = '/usr/bin/promtool';

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => res(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
}

describe.skipIf(!existsSync(NODE_EXPORTER))('node-exporter (client_golang) interop', () => {
  let proc: ChildProcess | undefined;
  let url = '';
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/metrics`;
    proc = spawn(NODE_EXPORTER, [`--web.listen-address=127.0.0.1:${port}`, '--collector.disable-defaults', '--collector.loadavg', '--collector.meminfo', '--collector.cpu'], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(url)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('node-exporter did not start');
  });
  afterAll(() => {
    proc?.kill('SIGKILL');
  });

  const get = async (accept: string) => {
    const r = await fetch(url, { headers: { accept } });
    return { ct: r.headers.get('content-type') ?? '', body: new Uint8Array(await r.arrayBuffer()) };
  };

  it('decodes its protobuf, parses its text and its OpenMetrics (strictly) to the same families', async () => {
    const pb = await get(CONTENT_TYPE_PROTOBUF);
    const txt = await get('text/plain;version=0.0.4');
    const om = await get(SCRAPE_ACCEPT_HEADER);
    expect(formatFromContentType(pb.ct)).toBe('protobuf');
    const a = decodeProtobuf(pb.body);
    const b = parseText(txt.body);
    // Older client_golang answers OpenMetrics only when the exporter enables it; else text.
    const c = formatFromContentType(om.ct) === 'openmetrics' ? parseOpenMetrics(om.body) : parseText(om.body);
    expect(parse(om.body, om.ct).families.length).toBe(c.length);
    const shape = (fs: { name: string; type: string; samples: unknown[] }[]) => fs.map((f) => `${f.name.replace(/_total$/, '')} ${f.type}`).sort();
    expect(shape(a)).toEqual(shape(b));
    expect(shape(c)).toEqual(shape(b));
    // Stable families carry identical samples in every format.
    const stable = (fs: typeof a) => fs.find((f) => f.name === 'node_exporter_build_info')?.samples;
    expect(stable(a)).toEqual(stable(b));
    expect(a.find((f) => f.name === 'go_gc_duration_seconds')?.samples.map((s) => s.labels.quantile)).toEqual(
      b.find((f) => f.name === 'go_gc_duration_seconds')?.samples.map((s) => s.labels.quantile),
    );
    // What we re-serialize, we re-read. Not strictly: OpenMetrics names the counter
    // go_memstats_alloc_bytes_total "go_memstats_alloc_bytes", which clashes with the gauge of
    // that name (client_golang's own OpenMetrics output has the same clash).
    expect(parseOpenMetrics(serializeOpenMetrics(b), { strict: false }).length).toBe(b.length);
  });
});

describe.skipIf(!existsSync(PROMTOOL))('promtool reads what serializeText writes', () => {
  it('accepts our text output (exit 0 or lint-only 3, never a parse error)', () => {
    const fams = parseText(
      '# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\nhttp_requests_total{code="200",path="/a\\"b\\\\"} 1027 1395066363000\n' +
        '# HELP lat_seconds Latency.\n# TYPE lat_seconds histogram\nlat_seconds_bucket{le="0.05"} 24054\nlat_seconds_bucket{le="+Inf"} 144320\nlat_seconds_sum 53423\nlat_seconds_count 144320\n' +
        '# HELP s_seconds Summary.\n# TYPE s_seconds summary\ns_seconds{quantile="0.5"} NaN\ns_seconds_sum 1e+06\ns_seconds_count 2\n',
    );
    const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: serializeText(fams) });
    expect(r.status, r.stderr.toString()).toBe(0);
  });
});
