// `pmtool promql test FILE...`: runs Prometheus test scripts (promqltest format) and prints a
// per-file table of passed/failed/skipped evals with the skip rule.
import { basename } from 'node:path';
import { runTestFile, SKIP_RULE, type ScriptResult } from '@promethium/promql';
import type { CliIo } from '../cli.js';

const USAGE = `usage: pmtool promql test [--verbose] [--require NAME,...] [--threshold PCT] FILE...

Runs PromQL test scripts (Prometheus' promqltest format) and prints passed/failed/skipped
evals per file. Exits non-zero when an eval fails; with --require, only the named files
(basename without .test) must reach --threshold percent (default 100) of non-skipped evals,
and the other files are reported without failing.
`;

interface Options {
  verbose: boolean;
  require: Set<string> | undefined;
  threshold: number;
  files: string[];
}

function parseArgs(args: readonly string[]): Options | string {
  const o: Options = { verbose: false, require: undefined, threshold: 100, files: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string | undefined => {
      if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
      return args[++i];
    };
    if (a === '-v' || a === '--verbose') o.verbose = true;
    else if (a === '--require' || a.startsWith('--require=')) {
      const v = value();
      if (!v) return 'flag --require needs a value';
      o.require = new Set(v.split(',').map((s) => s.trim().replace(/\.test$/, '')));
    } else if (a === '--threshold' || a.startsWith('--threshold=')) {
      const v = Number(value());
      if (!Number.isFinite(v) || v < 0 || v > 100) return 'flag --threshold needs a percentage between 0 and 100';
      o.threshold = v;
    } else if (a.startsWith('-')) return `unknown flag ${a}`;
    else o.files.push(a);
  }
  if (o.files.length === 0) return 'no test files given';
  return o;
}

export function passRate(r: Pick<ScriptResult, 'passed' | 'failed'>): number {
  const n = r.passed + r.failed;
  return n === 0 ? 100 : (100 * r.passed) / n;
}

export function promqlCommand(args: readonly string[], io: CliIo): number {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.stdout(USAGE);
    return 0;
  }
  if (sub !== 'test') {
    io.stderr(`pmtool: error: unknown promql command "${sub}", try "pmtool promql --help"\n`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(USAGE);
    return 0;
  }
  const o = parseArgs(rest);
  if (typeof o === 'string') {
    io.stderr(`pmtool: error: ${o}\n${USAGE}`);
    return 1;
  }
  const rows: string[] = [];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const belowBar: string[] = [];
  const reportedOnly: string[] = [];
  let anyFailure = false;
  io.stdout(`${'FILE'.padEnd(28)} ${'PASSED'.padStart(6)} ${'FAILED'.padStart(6)} ${'SKIPPED'.padStart(7)} ${'PASS%'.padStart(7)}\n`);
  for (const file of o.files) {
    const name = basename(file).replace(/\.test$/, '');
    let r: ScriptResult;
    try {
      r = runTestFile(file);
    } catch (e) {
      io.stdout(`${basename(file).padEnd(28)} error: ${(e as Error).message}\n`);
      anyFailure = true;
      if (!o.require || o.require.has(name)) belowBar.push(`${name} (error)`);
      continue;
    }
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
    const pct = passRate(r);
    const required = !o.require || o.require.has(name);
    const mark = o.require ? (required ? '' : '  (not required)') : '';
    io.stdout(
      `${basename(file).padEnd(28)} ${String(r.passed).padStart(6)} ${String(r.failed).padStart(6)} ${String(r.skipped).padStart(7)} ${pct.toFixed(1).padStart(6)}%${mark}\n`,
    );
    if (r.failed > 0) anyFailure = true;
    if (required && pct < o.threshold) belowBar.push(`${name} (${pct.toFixed(1)}%)`);
    if (!required && r.failed > 0) reportedOnly.push(`${name} (${pct.toFixed(1)}%)`);
    if (o.verbose) {
      for (const e of r.evals) {
        if (e.status === 'failed') rows.push(`  ${basename(file)}:${e.line}: ${e.expr}\n      ${e.message ?? ''}\n`);
      }
    }
  }
  const total = passRate({ passed, failed });
  io.stdout(`${'TOTAL'.padEnd(28)} ${String(passed).padStart(6)} ${String(failed).padStart(6)} ${String(skipped).padStart(7)} ${total.toFixed(1).padStart(6)}%\n`);
  for (const row of rows) io.stdout(row);
  io.stdout(`skipped: ${SKIP_RULE}\n`);
  if (o.require) {
    if (reportedOnly.length) io.stdout(`failures in files that are not required: ${reportedOnly.join(', ')}\n`);
    if (belowBar.length) io.stdout(`required files below ${o.threshold}%: ${belowBar.join(', ')}\n`);
  }
  io.stdout(`${passed} passed, ${failed} failed\n`);
  if (o.require) return belowBar.length > 0 ? 1 : 0;
  return anyFailure ? 1 : 0;
}
