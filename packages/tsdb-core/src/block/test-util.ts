// Helpers shared by the block tests: temp dirs that clean up after themselves, free ports
// and the reference binaries (Debian's prometheus package) for interop tests.
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
