import { gzipSync } from 'node:zlib';
import { decodeProtobuf, encodeProtobuf, parseOpenMetrics, parseText } from '@promethium/exposition';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPushgateway, silentLogger, type Pushgateway } from './index.js';

interface JsonGroup {
  labels: Record<string, string>;
  last_push_successful: boolean;
  [family: string]: unknown;
}
const fam = (g: JsonGroup, name: string): { help?: string } => g[name] as { help?: string };
const P = 'pushed metrics are invalid or inconsistent with existing metrics: ';

async function start(opts: Parameters<typeof createPushgateway>[0] = {}): Promise<{ pg: Pushgateway; base: string }> {
  const pg = createPushgateway({ listenAddress: '127.0.0.1:0', logger: silentLogger, ...opts });
  const { url } = await pg.listen();
  return { pg, base: url };
}

async function req(url: string, method: string, body?: string | Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; text: string; type: string | null; location: string | null }> {
  const r = await fetch(url, { method, body, headers, redirect: 'manual' });
  return { status: r.status, text: await r.text(), type: r.headers.get('content-type'), location: r.headers.get('location') };
}

describe('push API over real HTTP', () => {
  let pg: Pushgateway;
  let G = '';
  beforeAll(async () => {
    ({ pg, base: G } = await start());
  });
  afterAll(() => pg.close());

  it('answers health and readiness', async () => {
    expect(await req(`${G}/-/healthy`, 'GET')).toMatchObject({ status: 200, text: 'OK' });
    expect(await req(`${G}/-/ready`, 'GET')).toMatchObject({ status: 200, text: 'OK' });
  });

  it('PUT then POST store families; /metrics exposes them with grouping labels', async () => {
    expect(await req(`${G}/metrics/job/t`, 'PUT', '# TYPE t1 counter\nt1 1\n')).toMatchObject({ status: 200, text: '', type: null });
    expect(await req(`${G}/metrics/job/t`, 'POST', '# HELP t2 Two.\n# TYPE t2 gauge\nt2 5\n')).toMatchObject({ status: 200 });
    const m = await req(`${G}/metrics`, 'GET');
    expect(m.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(m.text).toContain('# TYPE t1 counter\nt1{instance="",job="t"} 1\n');
    expect(m.text).toContain('# HELP t2 Two.\n# TYPE t2 gauge\nt2{instance="",job="t"} 5\n');
    expect(m.text).toMatch(/push_time_seconds\{instance="",job="t"\} 1\.\d+e\+09\n/);
    expect(m.text).toContain('push_failure_time_seconds{instance="",job="t"} 0\n');
    expect(m.text).toContain('# TYPE pushgateway_http_requests_total counter');
    expect(m.text).toContain('process_resident_memory_bytes ');
    // The whole exposition parses back.
    expect(() => parseText(m.text)).not.toThrow();
  });

  it('refuses malformed bodies with the position and creates nothing', async () => {
    const r = await req(`${G}/metrics/job/bad`, 'POST', 'foo{a="1" 1\n');
    expect(r.status).toBe(400);
    expect(r.type).toBe('text/plain; charset=utf-8');
    expect(r.text).toMatch(/^text parse error at 1:\d+: /);
    expect((await req(`${G}/metrics/job/bad`, 'POST', 'foo abc\n')).text).toBe('text parse error at 1:5: expected float as value, got "abc"');
    expect(pg.store.get({ job: 'bad' })).toBeUndefined();
  });

  it('refuses inconsistent types with the real message; no other group changes', async () => {
    const before = JSON.stringify(pg.store.get({ job: 't' })!.families.get('t1'));
    const r = await req(`${G}/metrics/job/other`, 'POST', '# TYPE t1 gauge\nt1 2\n');
    expect(r).toMatchObject({
      status: 400,
      text: P + 'collected metric "t1" { label:<name:"instance" value:"" > label:<name:"job" value:"other" > gauge:<value:2 > } is not a COUNTER',
    });
    expect(JSON.stringify(pg.store.get({ job: 't' })!.families.get('t1'))).toBe(before);
    const other = pg.store.get({ job: 'other' })!;
    expect(other.families.size).toBe(0);
    expect(other.pushTimeSeconds).toBe(0);
    expect(other.pushFailureTimeSeconds).toBeGreaterThan(0);
  });

  it('refuses timestamps', async () => {
    expect(await req(`${G}/metrics/job/ts`, 'POST', 'ts_metric 1 1600000000000\n')).toMatchObject({ status: 400, text: P + 'pushed metrics must not have timestamps' });
  });

  it('grouping labels win over body labels; base64 and %2F keys', async () => {
    expect((await req(`${G}/metrics/job/url`, 'POST', 'lbl_metric{job="body",instance="i1"} 1\n')).status).toBe(200);
    expect(pg.store.get({ job: 'url' })!.families.get('lbl_metric')!.samples[0]!.labels).toEqual({ instance: 'i1', job: 'url' });
    expect((await req(`${G}/metrics/job@base64/L3Zhci90bXA=/instance/i`, 'POST', 'b64 1\n')).status).toBe(200);
    expect(pg.store.get({ job: '/var/tmp', instance: 'i' })).toBeDefined();
    expect((await req(`${G}/metrics/job/a%2Fb`, 'POST', 'x 1\n')).text).toBe('odd number of components in label string "/b"');
    expect((await req(`${G}/metrics/job/sp/x/a%20b/e@base64/=`, 'POST', 'sp 1\n')).status).toBe(200);
    expect(pg.store.get({ job: 'sp', x: 'a b', e: '' })).toBeDefined();
  });

  it('answers bad URLs like the real one', async () => {
    expect(await req(`${G}/metrics/`, 'POST', 'x 1\n')).toMatchObject({ status: 404, text: '404 page not found' });
    expect(await req(`${G}/metrics/job/`, 'POST', 'x 1\n')).toMatchObject({ status: 307, location: '/metrics/job' });
    expect(await req(`${G}/metrics/job/t`, 'GET')).toMatchObject({ status: 405, text: 'Method Not Allowed' });
    expect((await req(`${G}/metrics/job/j/__a/a`, 'POST', 'x 1\n')).text).toBe('improper label name "__a"');
    expect((await req(`${G}/metrics/job/j/a/%zz`, 'POST', 'x 1\n')).status).toBe(400);
  });

  it('empty PUT clears a group; DELETE answers 202 always', async () => {
    await req(`${G}/metrics/job/e`, 'PUT', 'e1 1\n');
    expect((await req(`${G}/metrics/job/e`, 'PUT', '')).status).toBe(200);
    expect(pg.store.get({ job: 'e' })!.families.size).toBe(0);
    expect(await req(`${G}/metrics/job/e`, 'DELETE')).toMatchObject({ status: 202, text: '' });
    expect(pg.store.get({ job: 'e' })).toBeUndefined();
    expect((await req(`${G}/metrics/job/never`, 'DELETE')).status).toBe(202);
  });

  it('accepts gzip and protobuf bodies', async () => {
    const gz = gzipSync(Buffer.from('# TYPE gz gauge\ngz 7\n'));
    expect((await req(`${G}/metrics/job/gz`, 'PUT', gz, { 'Content-Encoding': 'gzip' })).status).toBe(200);
    expect(pg.store.get({ job: 'gz' })!.families.get('gz')!.samples[0]!.value).toBe(7);
    const pb = encodeProtobuf([{ name: 'pb', type: 'counter', help: 'h', samples: [{ name: 'pb', labels: { a: 'b' }, value: 3 }] }]);
    const ct = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';
    expect((await req(`${G}/metrics/job/pb`, 'PUT', pb, { 'Content-Type': ct })).status).toBe(200);
    expect(pg.store.get({ job: 'pb' })!.families.get('pb')!.samples[0]!.labels).toEqual({ a: 'b', instance: '', job: 'pb' });
    const bad = await req(`${G}/metrics/job/pb2`, 'PUT', new Uint8Array([0x05, 0x0a]), { 'Content-Type': ct });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/protobuf parse error at byte \d+/);
  });

  it('negotiates OpenMetrics and protobuf on /metrics', async () => {
    const om = await req(`${G}/metrics`, 'GET', undefined, { Accept: 'application/openmetrics-text;version=1.0.0' });
    expect(om.type).toContain('application/openmetrics-text');
    expect(om.text.endsWith('# EOF\n')).toBe(true);
    expect(() => parseOpenMetrics(om.text)).not.toThrow();
    const r = await fetch(`${G}/metrics`, { headers: { Accept: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited' } });
    const fams = decodeProtobuf(new Uint8Array(await r.arrayBuffer()));
    expect(fams.find((f) => f.name === 'gz')!.samples[0]!.value).toBe(7);
  });

  it('serves /api/v1/metrics and /api/v1/status shaped like the real one', async () => {
    const j = JSON.parse((await req(`${G}/api/v1/metrics`, 'GET')).text) as { status: string; data: JsonGroup[] };
    expect(j.status).toBe('success');
    const t = j.data.find((g) => g.labels.job === 't')!;
    expect(t.labels).toEqual({ job: 't' });
    expect(t.last_push_successful).toBe(true);
    expect(t.t1).toMatchObject({ type: 'COUNTER', metrics: [{ labels: { instance: '', job: 't' }, value: '1' }] });
    expect(fam(t, 't2').help).toBe('Two.');
    expect(fam(t, 't1').help).toBeUndefined();
    expect(fam(t, 'push_time_seconds').help).toBe('Last Unix time when changing this group in the Pushgateway succeeded.');
    expect(j.data.find((g) => g.labels.job === 'other')!.last_push_successful).toBe(false);
    const s = JSON.parse((await req(`${G}/api/v1/status`, 'GET')).text);
    expect(s.status).toBe('success');
    expect(s.data.build_information.version).toBeTypeOf('string');
  });

  it('keeps admin and lifecycle APIs off by default', async () => {
    expect(await req(`${G}/api/v1/admin/wipe`, 'PUT')).toMatchObject({ status: 404, text: '404 page not found' });
    expect(await req(`${G}/-/quit`, 'PUT')).toMatchObject({ status: 403, text: 'Lifecycle API is not enabled.' });
    expect((await req(`${G}/-/quit`, 'GET')).status).toBe(405);
  });

  it('renders the web page without delete buttons', async () => {
    const page = await req(`${G}/`, 'GET');
    expect(page.type).toContain('text/html');
    expect(page.text).toContain('<span class="chip">job="t"</span>');
    expect(page.text).not.toContain('class="del"');
  });
});

describe('limits, admin API, lifecycle, route prefix', () => {
  it('answers 413 for oversize bodies, plain and gzipped, storing nothing', async () => {
    const { pg, base } = await start({ maxBodyBytes: 1024 });
    try {
      const big = 'x 1\n'.repeat(1000);
      const r = await req(`${base}/metrics/job/big`, 'PUT', big);
      expect(r.status).toBe(413);
      expect(r.text).toContain('exceeds the limit of 1024 bytes (--push.max-body-bytes)');
      const bomb = gzipSync(Buffer.from('# ' + 'a'.repeat(100_000) + '\n'));
      expect(bomb.length).toBeLessThan(1024);
      const b = await req(`${base}/metrics/job/big`, 'PUT', bomb, { 'Content-Encoding': 'gzip' });
      expect(b).toMatchObject({ status: 413, text: expect.stringContaining('gunzipped body exceeds') });
      expect(pg.store.size).toBe(0);
    } finally {
      await pg.close();
    }
  });

  it('wipes with the admin API, quits with the lifecycle API, under a route prefix', async () => {
    let quit = false;
    const { pg, base } = await start({ enableAdminApi: true, enableLifecycle: true, routePrefix: '/pg', onQuit: () => (quit = true) });
    expect((await req(`${base}/pg/metrics/job/a`, 'PUT', 'a 1\n')).status).toBe(200);
    expect((await req(`${base}/metrics/job/a`, 'PUT', 'a 1\n')).status).toBe(404);
    expect((await req(`${base}/pg/metrics`, 'GET')).text).toContain('a{instance="",job="a"} 1');
    const page = await req(`${base}/pg/`, 'GET');
    expect(page.text).toContain('data-path="/pg/metrics/job@base64/YQ"');
    expect((await req(`${base}/pg/metrics/job@base64/YQ`, 'DELETE')).status).toBe(202);
    await req(`${base}/pg/metrics/job/b`, 'PUT', 'b 1\n');
    expect((await req(`${base}/pg/api/v1/admin/wipe`, 'PUT')).status).toBe(202);
    expect(pg.store.size).toBe(0);
    expect(await req(`${base}/pg/-/quit`, 'POST')).toMatchObject({ status: 200 });
    await new Promise((r) => setTimeout(r, 100));
    expect(quit).toBe(true);
  });

  it('answers 202 with the consistency check disabled', async () => {
    const { pg, base } = await start({ disableConsistencyCheck: true });
    try {
      expect((await req(`${base}/metrics/job/a`, 'PUT', '# TYPE m counter\nm 1\n')).status).toBe(202);
      expect((await req(`${base}/metrics/job/b`, 'PUT', '# TYPE m gauge\nm 1\n')).status).toBe(202);
      expect((await req(`${base}/metrics/job/c`, 'PUT', 'ts 1 5\n')).status).toBe(202);
      expect(pg.store.get({ job: 'c' })!.families.size).toBe(0);
    } finally {
      await pg.close();
    }
  });
});
