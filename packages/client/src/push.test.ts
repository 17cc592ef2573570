import { createServer, type IncomingMessage, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Counter } from './counter.js';
import { deleteFromGateway, pushAddToGateway, pushToGateway } from './push.js';
import { PushgatewayError } from './push-request.js';
import { Pushgateway } from './pushgateway.js';
import { Registry } from './registry.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

describe('push to a gateway (real HTTP server)', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  let reply: { status: number; body: string; hang?: boolean } = { status: 200, body: '' };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
        if (reply.hang) return;
        res.writeHead(reply.status).end(reply.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.address();
    base = `127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  function registry() {
    const r = new Registry();
    new Counter({ name: 'jobs_total', help: 'Jobs.', registers: [r] }).inc(3);
    return r;
  }

  it('PUTs, POSTs and DELETEs with client_python URLs and headers', async () => {
    seen.length = 0;
    reply = { status: 200, body: '' };
    const r = registry();
    await pushToGateway(base, 'my/job', r, { groupingKey: { path: '/var/tmp', empty: '', a: 1 } });
    await pushAddToGateway(`http://${base}/`, 'batch', r, { auth: { username: 'u', password: 'p' }, compression: 'gzip' });
    await deleteFromGateway(base, 'batch', { groupingKey: { a: 'x' } });
    expect(seen.map((s) => [s.method, s.url])).toEqual([
      ['PUT', '/metrics/job@base64/bXkvam9i/a/1/empty@base64/=/path@base64/L3Zhci90bXA='],
      ['POST', '/metrics/job/batch'],
      ['DELETE', '/metrics/job/batch/a/x'],
    ]);
    for (const s of seen) expect(s.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(seen[0]!.body.toString()).toBe('# HELP jobs_total Jobs.\n# TYPE jobs_total counter\njobs_total 3\n');
    expect(seen[1]!.headers.authorization).toBe('Basic ' + Buffer.from('u:p').toString('base64'));
    expect(seen[1]!.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(seen[1]!.body).toString()).toContain('jobs_total 3');
    expect(seen[2]!.body.length).toBe(0);
    expect(() => deleteFromGateway(base, 'j', { compression: 'gzip' })).toThrow('compression is not allowed for delete');
  });

  it('rejects with status and body on errors, and on timeouts', async () => {
    reply = { status: 400, body: 'pushed metrics are invalid\n' };
    const err = await pushToGateway(base, 'j', registry()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PushgatewayError);
    expect(err).toMatchObject({ status: 400, body: 'pushed metrics are invalid\n', method: 'PUT' });
    expect((err as Error).message).toContain('failed with status 400: pushed metrics are invalid');
    reply = { status: 200, body: '', hang: true };
    const t = await pushToGateway(base, 'j', registry(), { timeout: 0.2 }).catch((e: unknown) => e);
    expect(t).toMatchObject({ status: undefined });
    expect((t as Error).message).toMatch(/timed out after 200 ms/);
    const refused = await pushToGateway('127.0.0.1:1', 'j', registry()).catch((e: unknown) => e);
    expect((refused as Error).message).toMatch(/error talking to pushgateway PUT .*ECONNREFUSED/);
  });

  it('Pushgateway class behaves like prom-client with safe grouping values', async () => {
    seen.length = 0;
    reply = { status: 202, body: '' };
    const gw = new Pushgateway(`http://${base}/prefix`, { headers: { 'Content-Encoding': 'gzip', 'X-Extra': '1' } }, registry());
    const res = await gw.push({ jobName: 'j', groupings: { z: 'a/b', a: 'x' } });
    expect(res.resp?.statusCode).toBe(202);
    await gw.pushAdd({ jobName: 'j' });
    await gw.delete({ jobName: 'j' });
    expect(seen.map((s) => [s.method, s.url, s.headers['content-encoding'], s.headers['x-extra']])).toEqual([
      ['PUT', '/prefix/metrics/job/j/z@base64/YS9i/a/x', 'gzip', '1'],
      ['POST', '/prefix/metrics/job/j', 'gzip', '1'],
      ['DELETE', '/prefix/metrics/job/j', undefined, '1'],
    ]);
    expect(gunzipSync(seen[0]!.body).toString()).toContain('jobs_total 3');
    await expect(gw.push({})).rejects.toThrow('Missing jobName parameter');
    reply = { status: 500, body: 'boom' };
    await expect(gw.push({ jobName: 'j' })).rejects.toThrow('push failed with status 500, boom');
    seen.length = 0;
    reply = { status: 200, body: '' };
    await new Pushgateway(`http://${base}`, { requireJobName: false }, registry()).push();
    expect(seen[0]!.url).toBe('/metrics');
  });
});
