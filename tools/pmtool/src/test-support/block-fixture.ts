// Two data directories built from the same OpenMetrics input: one by pmtool's backfill, one
// by promtool's (when installed), for comparing the tsdb commands on both.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backfill } from '../tsdb/backfill.js';
import { backfillInput } from './om-input.js';
import { hasPrometheus } from './real-prometheus.js';
import { promtool } from './run.js';

export interface BlockFixture {
  root: string;
  ours: string;
  /** Written by promtool; undefined without promtool. */
  theirs: string | undefined;
  cleanup(): void;
}

export const FIXTURE_START = 1565133700000;

export async function blockFixture(): Promise<BlockFixture> {
  const root = mkdtempSync(join(tmpdir(), 'pmtool-blocks-'));
  const input = join(root, 'input.om');
  const text = backfillInput(FIXTURE_START, 5, { series: 6 });
  writeFileSync(input, text);
  const ours = join(root, 'ours');
  mkdirSync(ours);
  await backfill(Buffer.from(text), ours);
  let theirs: string | undefined;
  if (hasPrometheus) {
    theirs = join(root, 'theirs');
    const r = promtool(['tsdb', 'create-blocks-from', 'openmetrics', '-q', input, theirs]);
    if (r.code !== 0) throw new Error(`promtool backfill failed: ${r.err}`);
  }
  return { root, ours, theirs, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** promtool 2.42 opens the DB read-write: it needs wal/ and adds chunks_head/. Give it a copy. */
export function promtoolOnCopy(dir: string, args: (path: string) => readonly string[]): ReturnType<typeof promtool> {
  const copy = mkdtempSync(join(tmpdir(), 'pmtool-copy-'));
  try {
    cpSync(dir, copy, { recursive: true });
    mkdirSync(join(copy, 'wal'), { recursive: true });
    const r = promtool(args(copy));
    // Paths in messages name the copy; put the original back.
    return { code: r.code, out: r.out.split(copy).join(dir), err: r.err.split(copy).join(dir) };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
