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

/**
 * promtool lists equal counts in random order: sort entries within each run of equal counts.
 * An entry may span lines (label values with newlines are printed raw).
 */
export function sortTies(s: string): string {
  const entries: string[] = [];
  for (const l of s.split('\n')) {
    const prev = entries[entries.length - 1];
    if (prev !== undefined && /^\d+ /.test(prev) && l !== '' && !/^\d+ /.test(l) && !l.endsWith(':')) entries[entries.length - 1] = `${prev}\n${l}`;
    else entries.push(l);
  }
  const out: string[] = [];
  let run: string[] = [];
  let runKey: string | undefined;
  for (const e of entries) {
    const key = /^(\d+) /.exec(e)?.[1];
    if (key === undefined || key !== runKey) {
      out.push(...run.sort());
      run = [];
    }
    runKey = key;
    if (key === undefined) out.push(e);
    else run.push(e);
  }
  out.push(...run.sort());
  return out.join('\n');
}
