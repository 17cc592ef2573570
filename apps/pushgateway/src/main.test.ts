// The real binary as a child process: durability across SIGKILL and SIGTERM, --help.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = join(import.meta.dirname, 'main.ts');
const NODE_ARGS = ['--conditions=@promethium/source', '--import', 'tsx', MAIN];
const dir = mkdtempSync(join(tmpdir(), 'pg-main-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function startChild(args: string[]): Promise<{ child: ChildProcess; base: string; log: () => string }> {
  const child = spawn(process.execPath, [...NODE_ARGS, '--web.listen-address=127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no listen line in: ${log}`)), 20_000);
    const check = (): void => {
      const m = /msg=listening component=web address=([\d.]+:\d+)/.exec(log);
      if (m) {
        clearTimeout(t);
        resolve(`http://${m[1]}`);
      }
    };
    child.stderr.on('data', check);
    child.on('exit', () => reject(new Error(`exited early: ${log}`)));
  });
  return { child, base, log: () => log };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
}

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('promethium-pushgateway process', () => {
  it('lists its flags in --help', () => {
    const r = spawnSync(process.execPath, [...NODE_ARGS, '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--persistence.interval="5m"');
    const bad = spawnSync(process.execPath, [...NODE_ARGS, '--persistence.interval=soon'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--persistence.interval: not a valid duration string: "soon"');
  });

  it('loses nothing persisted when SIGKILLed after an interval', async () => {
    const file = join(dir, 'kill.msgpack');
    const a = await startChild([`--persistence.file=${file}`, '--persistence.interval=200ms']);
    expect((await fetch(`${a.base}/metrics/job/durable/instance/x`, { method: 'PUT', body: '# TYPE d counter\nd{k="v"} 42\n' })).status).toBe(200);
    await waitFor(() => existsSync(file));
    const written = statSync(file).mtimeMs;
    await new Promise((r) => setTimeout(r, 300));
    expect(statSync(file).mtimeMs).toBe(written); // unchanged store: no rewrite
    a.child.kill('SIGKILL');
    await exited(a.child);
    const b = await startChild([`--persistence.file=${file}`, '--persistence.interval=200ms']);
    expect(b.log()).toMatch(/msg="restored groups from persistence file" component=persistence file=\S+ groups=1/);
    const metrics = await (await fetch(`${b.base}/metrics`)).text();
    expect(metrics).toContain('d{instance="x",job="durable",k="v"} 42\n');
    // The type index came back too: an inconsistent push is still refused.
    expect((await fetch(`${b.base}/metrics/job/other`, { method: 'PUT', body: '# TYPE d gauge\nd 1\n' })).status).toBe(400);
    b.child.kill('SIGKILL');
    await exited(b.child);
  });

  it('writes the file on SIGTERM even before the interval', async () => {
    const file = join(dir, 'term.msgpack');
    const a = await startChild([`--persistence.file=${file}`, '--persistence.interval=1h']);
    await fetch(`${a.base}/metrics/job/t`, { method: 'PUT', body: 'x 1\n' });
    expect(existsSync(file)).toBe(false);
    a.child.kill('SIGTERM');
    await exited(a.child);
    expect(a.child.exitCode).toBe(0);
    const b = await startChild([`--persistence.file=${file}`]);
    expect(await (await fetch(`${b.base}/metrics`)).text()).toContain('x{instance="",job="t"} 1\n');
    b.child.kill('SIGINT');
    await exited(b.child);
    expect(b.child.exitCode).toBe(0);
  });
});
