import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../index.js';
import { freePort, hasPrometheus, PROMTOOL_BIN, startPrometheus, type RealPrometheus } from '../test-support/real-prometheus.js';

async function pmtool(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    stdin: () => Promise.resolve(Buffer.alloc(0)),
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
  });
  return { code, out, err };
}

function promtool(args: string[]) {
  const r = spawnSync(PROMTOOL_BIN, args, { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe.skipIf(!hasPrometheus)('pmtool query against a real Prometheus 2.42, side by side with promtool', () => {
  let prom: RealPrometheus;
  let t = 0;
  beforeAll(async () => {
    prom = await startPrometheus();
    t = Math.floor(Date.now() / 1000) - 1;
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
  });

  const cases: [string, () => string[]][] = [
    ['instant vector', () => ['query', 'instant', prom.url, 'up', `--time=${t}`]],
    ['instant vector as json', () => ['query', 'instant', '-o', 'json', prom.url, 'up', `--time=${t}`]],
    ['scalar', () => ['query', 'instant', prom.url, 'scalar(up) * 1e22', `--time=${t}`]],
    ['empty vector', () => ['query', 'instant', prom.url, 'nonexistent_metric', `--time=${t}`]],
    ['range', () => ['query', 'range', prom.url, 'up', `--start=${t - 4}`, `--end=${t}`, '--step=1s']],
    ['range as json', () => ['query', 'range', prom.url, 'up', '-o', 'json', `--start=${t - 4}`, `--end=${t}`, '--step=2s']],
    ['series', () => ['query', 'series', prom.url, '--match=up', '--match=prometheus_build_info']],
    ['labels', () => ['query', 'labels', prom.url, 'job']],
    ['labels with match', () => ['query', 'labels', prom.url, '__name__', '--match=up']],
  ];
  for (const [name, args] of cases) {
    it(`${name}: same output and exit code as promtool`, async () => {
      const ours = await pmtool(args());
      const theirs = promtool(args());
      expect(ours.code).toBe(theirs.code);
      expect(ours.out).toBe(theirs.out);
    });
  }

  it('reports a PromQL error like promtool, with exit 1', async () => {
    const ours = await pmtool(['query', 'instant', prom.url, 'up +']);
    const theirs = promtool(['query', 'instant', prom.url, 'up +']);
    expect(ours.code).toBe(1);
    expect(theirs.code).toBe(1);
    expect(ours.err).toBe(theirs.err);
  });
});

describe('pmtool query error handling', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    // A real HTTP server that answers like a proxy in front of Prometheus returning HTML.
    server = createServer((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html>bad gateway</html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  it('explains a non-JSON answer', async () => {
    const r = await pmtool(['query', 'instant', url, 'up']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('query error: server returned HTTP status 502 Bad Gateway and a non-JSON body: <html>bad gateway</html>');
  });
  it('names the unreachable server', async () => {
    const port = await freePort();
    const r = await pmtool(['query', 'instant', `http://127.0.0.1:${port}`, 'up']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^query error: Post "http://127\\.0\\.0\\.1:${port}/api/v1/query": .*ECONNREFUSED`));
  });
  it('rejects bad arguments before sending anything', async () => {
    expect((await pmtool(['query', 'instant', 'not a url', 'up'])).err).toContain('invalid server URL "not a url"');
    expect((await pmtool(['query', 'range', url, 'up', '--start=soon'])).err).toContain('error parsing --start "soon"');
    expect((await pmtool(['query', 'series', url])).err).toContain('required flag --match not provided');
    expect((await pmtool(['query', 'instant', url])).err).toContain("required argument 'expr' not provided");
    expect((await pmtool(['query', 'instant', '-o', 'yaml', url, 'up'])).err).toContain('enum value must be one of json,promql');
  });
  it('prints help for query and each subcommand', async () => {
    expect((await pmtool(['query', '--help'])).out).toContain('query range [<flags>] <server> <expr>');
    expect((await pmtool(['query', 'range', '--help'])).out).toContain('--step=STEP');
  });
});
