// Runs pmtool in-process and Debian's promtool as a child, capturing output, for tests that
// compare the two.
import { spawnSync } from 'node:child_process';
import { runCli } from '../cli.js';
import { PROMTOOL_BIN } from './real-prometheus.js';

export interface RunResult {
  code: number;
  out: string;
  err: string;
}

export async function pm(args: readonly string[], stdin: string | Uint8Array = ''): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdin: () => Promise.resolve(Buffer.from(stdin)), stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join(''), err: err.join('') };
}

export function promtool(args: readonly string[]): RunResult {
  const r = spawnSync(PROMTOOL_BIN, args, { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Block tables with the ULID and SIZE columns blanked (they differ by construction). */
export function maskTable(s: string): string {
  return s
    .split('\n')
    .map((l) => l.replace(/^[0-9A-HJKMNP-TV-Z]{26}/, 'ULID').replace(/\S+$/, (m) => (l.startsWith('BLOCK') ? m : 'SIZE')))
    .join('\n');
}

/** promtool lists equal counts in random order: sort lines within each run of equal counts. */
export function sortTies(s: string): string {
  const lines = s.split('\n');
  const out: string[] = [];
  let run: string[] = [];
  let runKey: string | undefined;
  const flush = () => {
    out.push(...run.sort());
    run = [];
  };
  for (const l of lines) {
    const m = /^(\d+) /.exec(l);
    if (m && m[1] === runKey) {
      run.push(l);
      continue;
    }
    flush();
    if (m) {
      runKey = m[1];
      run.push(l);
    } else {
      runKey = undefined;
      out.push(l);
    }
  }
  flush();
  return out.join('\n');
}
