// docs/web-config.md, executed: every `sh` block of the guide runs in order in an empty directory
// (ports changed to free ones), against the pushgateway (child process) and this server started
// with the web.yml the guide makes, then the scrape config of section 5 must scrape the
// pushgateway through TLS and basic auth, and pmtool must accept the file and the client block.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerFlags } from './cli/server-flags.js';
import { NOP_LOGGER } from './log/logger.js';
import { PromethiumServer } from './server.js';
import { REPO_ROOT } from './testing/child-server.js';
import { waitFor } from './testing/wait.js';

const DOC = readFileSync(join(REPO_ROOT, 'docs/web-config.md'), 'utf8');
const SH = [...DOC.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
const CLIENT_YML = /```yaml\n# client\.yml\n([\s\S]*?)```/.exec(DOC)?.[1];
const has = (cmd: string, ...args: string[]): boolean => spawnSync(cmd, args).status === 0;
const ready = has('openssl', 'version') && has('htpasswd', '-nbB', 'u', 'p') && has('curl', '--version');
const TSX = ['--import', 'tsx', '--conditions=@promethium/source'];

function sh(script: string, cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-e', '-c', script], { cwd, encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr });
    });
  });
}

describe.skipIf(!ready)('docs/web-config.md, run as written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-docweb-'));
  let pg: ChildProcess | undefined;
  let pgPort = 0;
  let server: PromethiumServer | undefined;
  let ports: (s: string) => string = (s) => s;

  beforeAll(async () => {
    expect(SH).toHaveLength(4);
    for (const block of SH.slice(0, 2)) expect((await sh(block, dir)).code).toBe(0);
    pg = spawn(process.execPath, [...TSX, join(REPO_ROOT, 'apps/pushgateway/src/main.ts'), '--web.listen-address=127.0.0.1:0', `--web.config.file=${join(dir, 'web.yml')}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd: REPO_ROOT,
    });
    let log = '';
    pg.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    pgPort = Number(await waitFor(() => /address=127\.0\.0\.1:(\d+)/.exec(log)?.[1] ?? '', (p) => p !== '', 20_000));
    // Section 5's scrape config, pointed at this pushgateway.
    ports = (s) => s.replaceAll(':9091', `:${pgPort}`);
    expect((await sh(ports(SH[3]!), dir)).code).toBe(0);
    // The one change: scrape every second instead of the default minute, to be quick.
    const cfg = join(dir, 'prometheus.yml');
    writeFileSync(cfg, `global:\n  scrape_interval: 1s\n${readFileSync(cfg, 'utf8')}`);
    const parsed = parseServerFlags([
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--web.listen-address=127.0.0.1:0',
      `--web.config.file=${join(dir, 'web.yml')}`,
    ]);
    server = await PromethiumServer.start({ flags: parsed.values, rawFlags: parsed.raw, logger: NOP_LOGGER });
    const serverPort = server.address().port;
    ports = (s) => s.replaceAll(':9091', `:${pgPort}`).replaceAll(':9090', `:${serverPort}`);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (pg && pg.exitCode === null && pg.signalCode === null) pg.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('section 3: pmtool check web-config accepts the file', () => {
    // (cwd at the repository, where tsx resolves; the files by absolute path.)
    const r = spawnSync(process.execPath, [...TSX, join(REPO_ROOT, 'tools/pmtool/src/main.ts'), 'check', 'web-config', join(dir, 'web.yml')], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('section 4: push, scrape and query with curl, the CA and the password', async () => {
    const r = await sh(ports(SH[2]!), dir);
    expect(r.out).toMatch(/backup_ok\{instance="",job="backup"\} 1/);
    expect(r.out).toContain('"status":"success"');
    expect(r.code).toBe(0);
    const anonymous = await sh(`curl -s -o /dev/null -w '%{http_code}' --cacert ca.pem https://localhost:${pgPort}/metrics`, dir);
    expect(anonymous.out).toBe('401');
  });

  it('section 5: the scrape config reaches the pushgateway through TLS and basic auth', async () => {
    const ca = readFileSync(join(dir, 'ca.pem'));
    const api = (path: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: server!.address().port, path, ca, servername: 'localhost', auth: 'alice:the-password', agent: false }, (res) => {
          let b = '';
          res.on('data', (d: Buffer) => (b += d.toString()));
          res.on('end', () => resolve(b));
        });
        req.on('error', reject);
        req.end();
      });
    const result = await waitFor(
      async () => JSON.parse(await api(`/api/v1/query?query=${encodeURIComponent('backup_ok')}`)) as { data: { result: { metric: Record<string, string> }[] } },
      (r) => r.data.result.length === 1,
      15_000,
    );
    expect(result.data.result[0]!.metric).toMatchObject({ job: 'backup' });
    const targets = JSON.parse(await api('/api/v1/targets')) as { data: { activeTargets: { health: string; lastError: string }[] } };
    expect(targets.data.activeTargets[0]).toMatchObject({ health: 'up', lastError: '' });
  }, 20_000);

  it("section 5: pmtool query with the guide's client.yml", async () => {
    expect(CLIENT_YML).toBeDefined();
    writeFileSync(join(dir, 'client.yml'), CLIENT_YML!);
    // Asynchronous: the server answering it lives in this process.
    const r = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [...TSX, join(REPO_ROOT, 'tools/pmtool/src/main.ts'), 'query', 'instant', `--http.config.file=${join(dir, 'client.yml')}`, ports('https://localhost:9090'), 'vector(3)'],
        { cwd: REPO_ROOT, encoding: 'utf8', timeout: 20_000 },
        (_err, stdout, stderr) => resolve({ stdout, stderr }),
      );
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^\{\} => 3 @/);
  }, 25_000);
});
