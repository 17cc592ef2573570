// Helpers for the block tests, not shipped (src/test-support is excluded from the build): temp
// dirs that clean up after themselves, free ports and the reference binaries (Debian's
// prometheus package) for interop tests.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const PROMTOOL = '/usr/bin/promtool';
export const PROMETHEUS = '/usr/bin/prometheus';
export const hasPromtool = existsSync(PROMTOOL);
export const hasPrometheus = existsSync(PROMETHEUS);

export function tempDir(prefix = 'promethium-block-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const execFileP = promisify(execFile);

export async function promtool(...args: string[]): Promise<string> {
  const { stdout } = await execFileP(PROMTOOL, args, { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Parses `promtool tsdb dump` lines: `{labels} value timestamp`. */
export function parseDump(text: string): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const i = line.lastIndexOf(' ');
    const j = line.lastIndexOf(' ', i - 1);
    const key = line.slice(0, j);
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push([Number(line.slice(i + 1)), Number(line.slice(j + 1, i))]);
  }
  return out;
}

export interface RunningPrometheus {
  base: string;
  stop(): Promise<void>;
  query(q: string, tMs: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
}

/** Starts the real Prometheus on `dataDir` (127.0.0.1, free port) and waits until it is ready. */
export async function startPrometheus(dataDir: string, configDir: string): Promise<RunningPrometheus> {
  const { spawn } = await import('node:child_process');
  const { writeFileSync } = await import('node:fs');
  const config = join(configDir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1h\n');
  const port = await freePort();
  const proc = spawn(
    PROMETHEUS,
    [`--config.file=${config}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const stop = async (): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  };
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 150 || proc.exitCode !== null) {
      await stop();
      throw new Error(`prometheus did not become ready: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    stop,
    async query(q, tMs) {
      const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}&time=${tMs / 1000}`);
      const body = (await res.json()) as {
        status: string;
        error?: string;
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success') throw new Error(`query ${q}: ${body.error}`);
      return body.data.result;
    },
  };
}
