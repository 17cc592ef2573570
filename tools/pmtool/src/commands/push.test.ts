import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPushgateway, silentLogger, type Pushgateway } from '@promethium/pushgateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../test-support/real-prometheus.js';
import { pm } from '../test-support/run.js';

const REAL_PUSHGATEWAY = '/usr/bin/prometheus-pushgateway';
const tmp = mkdtempSync(join(tmpdir(), 'pmtool-push-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface ApiGroup {
  labels: Record<string, string>;
  [family: string]: unknown;
}
interface ApiFamily {
  type: string;
  help: string;
  metrics: { labels: Record<string, string>; value?: string }[];
}

async function groups(url: string): Promise<ApiGroup[]> {
  const j = (await (await fetch(`${url}/api/v1/metrics`)).json()) as { data: ApiGroup[] };
  return j.data;
}
async function group(url: string, labels: Record<string, string>): Promise<ApiGroup | undefined> {
  const want = JSON.stringify(Object.entries(labels).sort());
  return (await groups(url)).find((g) => JSON.stringify(Object.entries(g.labels).sort()) === want);
}

function pushSuite(name: string, start: () => Promise<{ url: string; stop: () => Promise<void> }>) {
  describe(`pmtool push to ${name}`, () => {
    let url = '';
    let stop = async () => {};
    beforeAll(async () => {
      ({ url, stop } = await start());
    });
    afterAll(() => stop());

    it('PUTs a text exposition from stdin to the job group', async () => {
      const r = await pm(['push', url, 'batch'], '# HELP errors_total Errors.\n# TYPE errors_total counter\nerrors_total 3\n');
      expect(r).toEqual({ code: 0, out: '', err: '' });
      const g = await group(url, { job: 'batch' });
      const f = g?.errors_total as ApiFamily;
      expect(f.type).toBe('COUNTER');
      expect(f.metrics[0]!.value).toBe('3');
    });
    it('encodes grouping label values with "/" in base64, and reads a file argument', async () => {
      const file = join(tmp, `m-${name}.prom`);
      writeFileSync(file, 'queue_depth{q="x"} 7\n');
      const r = await pm(['push', '--label', 'instance=host:1/a', '-l', 'path=/var/tmp', '-l', 'zone=eu west', url, 'job/with/slash', file]);
      expect(r).toEqual({ code: 0, out: '', err: '' });
      const g = await group(url, { job: 'job/with/slash', instance: 'host:1/a', path: '/var/tmp', zone: 'eu west' });
      expect((g?.queue_depth as ApiFamily).metrics[0]!.labels).toMatchObject({ q: 'x', zone: 'eu west', path: '/var/tmp' });
    });
    it('converts OpenMetrics to the text the gateway reads', async () => {
      const om = '# TYPE jobs counter\n# HELP jobs Jobs run.\njobs_total 12\njobs_created 1.7e9\n# TYPE up_state stateset\nup_state{up_state="a"} 1\n# EOF\n';
      expect((await pm(['push', url, 'om'], om)).code).toBe(0);
      const g = await group(url, { job: 'om' });
      expect((g?.jobs_total as ApiFamily).type).toBe('COUNTER');
      expect((g?.jobs_total as ApiFamily).metrics[0]!.value).toBe('12');
    });
    it('POST keeps the other families of the group, PUT replaces them', async () => {
      await pm(['push', url, 'mix'], 'a 1\n');
      await pm(['push', '--method=post', url, 'mix'], 'b 2\n');
      expect(Object.keys((await group(url, { job: 'mix' }))!).filter((k) => k === 'a' || k === 'b').sort()).toEqual(['a', 'b']);
      await pm(['push', '--method', 'put', url, 'mix'], 'c 3\n');
      const g = (await group(url, { job: 'mix' }))!;
      expect(['a', 'b', 'c'].filter((k) => k in g)).toEqual(['c']);
    });
    it('refuses invalid input with line:column and pushes nothing', async () => {
      const bad = await pm(['push', url, 'bad'], 'ok 1\nbroken{a="1" 2\n');
      expect(bad.code).toBe(1);
      expect(bad.err).toMatch(/^push: invalid metrics in stdin: text parse error at 2:\d+: /);
      const ts = await pm(['push', url, 'bad'], 'ok 1\nstamped 1 1600000000000\n');
      expect(ts.code).toBe(1);
      expect(ts.err).toBe('push: invalid metrics in stdin: text parse error at 2:1: pushed metrics must not have timestamps (the Pushgateway refuses them)\n');
      expect(await group(url, { job: 'bad' })).toBeUndefined();
    });
    it('exits 2 with the gateway\'s error when it refuses the push', async () => {
      await pm(['push', url, 'typed'], '# TYPE clash counter\nclash 1\n');
      const r = await pm(['push', url, 'other'], '# TYPE clash gauge\nclash 2\n');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^push: PUT http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/other: the gateway answered 400 Bad Request: pushed metrics are invalid or inconsistent with existing metrics: .*is not a (COUNTER|GAUGE)/);
    });
  });
}

pushSuite('the Promethium pushgateway (in-process)', async () => {
  const gw: Pushgateway = createPushgateway({ listenAddress: '127.0.0.1:0', logger: silentLogger });
  const { url } = await gw.listen();
  return { url, stop: () => gw.close() };
});

describe.skipIf(!existsSync(REAL_PUSHGATEWAY))('against Debian\'s prometheus-pushgateway 1.5', () => {
  pushSuite('prometheus-pushgateway 1.5', async () => {
    const port = await freePort();
    const child: ChildProcess = spawn(
      REAL_PUSHGATEWAY,
      [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${join(tmp, 'pgw.state')}`],
      { stdio: 'ignore' },
    );
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        if ((await fetch(`${url}/-/ready`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('pushgateway did not become ready');
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      url,
      stop: async () => {
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      },
    };
  });
});

describe.skipIf(!existsSync(REAL_PUSHGATEWAY))('pmtool push with basic auth (prometheus-pushgateway --web.config.file)', () => {
  it('sends user:password@ from the URL as basic auth', async () => {
    // bcrypt of "secret" (htpasswd -nbBC 4 u secret).
    writeFileSync(join(tmp, 'web.yml'), 'basic_auth_users:\n  u: $2y$04$dxNNrQDk0thHDZSLlgnnBeOx9wQl4j40mHc.h12TUwFtIBPQiKOBO\n');
    const port = await freePort();
    const child = spawn(REAL_PUSHGATEWAY, [`--web.listen-address=127.0.0.1:${port}`, `--web.config.file=${join(tmp, 'web.yml')}`], { stdio: 'ignore' });
    try {
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          await fetch(`http://127.0.0.1:${port}/-/ready`);
          break;
        } catch {
          if (Date.now() > deadline) throw new Error('pushgateway did not start');
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      expect(await pm(['push', `http://u:secret@127.0.0.1:${port}`, 'auth'], 'a 1\n')).toEqual({ code: 0, out: '', err: '' });
      const denied = await pm(['push', `http://u:wrong@127.0.0.1:${port}`, 'auth'], 'a 1\n');
      expect(denied.code).toBe(2);
      expect(denied.err).toMatch(/the gateway answered 401 Unauthorized/);
      expect(denied.err).not.toContain('wrong');
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
  });
});

describe('pmtool push arguments', () => {
  it('checks flags, labels and the connection', async () => {
    expect((await pm(['push', 'http://x'])).err).toBe("pmtool: error: required argument 'job' not provided, try --help\n");
    expect((await pm(['push', '--method=get', 'http://x', 'j'])).err).toBe("pmtool: error: enum value must be one of put,post, got 'get', try --help\n");
    expect((await pm(['push', '--label=__x=1', 'http://x', 'j'])).code).toBe(1);
    const port = await freePort();
    const down = await pm(['push', `http://127.0.0.1:${port}`, 'j'], 'a 1\n');
    expect(down.code).toBe(2);
    expect(down.err).toMatch(/ECONNREFUSED/);
    const help = await pm(['push', '--help']);
    for (const w of ['--label', '--method', '--timeout', '<gateway url>', '<job>', '[<file>]']) expect(help.out).toContain(w);
  });
});
