// Runs every suite in bench/suites (or those named on the command line),
// prints a table per suite and writes bench/results/<suite>.json.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createContext, formatValue, type Row, type Suite } from './harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const suitesDir = join(root, 'suites');
const resultsDir = join(root, 'results');
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const quick = process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');

const files = readdirSync(suitesDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
if (files.length === 0) {
  console.error(`bench: no suite matches ${wanted.join(', ')}; suites are in ${suitesDir}`);
  process.exit(2);
}

const machine = {
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
};
mkdirSync(resultsDir, { recursive: true });
let failed = 0;
for (const file of files) {
  const mod = (await import(pathToFileURL(join(suitesDir, file)).href)) as { default: Suite };
  const suite = mod.default;
  const { ctx, rows } = createContext(quick);
  console.log(`\n## ${suite.name}: ${suite.description}`);
  try {
    await suite.run(ctx);
  } catch (e) {
    failed++;
    console.error(`suite ${suite.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  printTable(rows);
  writeFileSync(
    join(resultsDir, `${suite.name}.json`),
    JSON.stringify({ suite: suite.name, date: new Date().toISOString(), machine, quick, rows }, null, 2) + '\n',
  );
}
console.log(`\nresults written to ${resultsDir}`);
process.exitCode = failed ? 1 : 0;

function printTable(rows: Row[]): void {
  const table = rows.map((r) => ({
    benchmark: r.name,
    impl: r.impl,
    value: formatValue(r.value),
    unit: r.unit,
    note: r.note ?? '',
  }));
  const cols = ['benchmark', 'impl', 'value', 'unit', 'note'] as const;
  const width = cols.map((c) => Math.max(c.length, ...table.map((t) => t[c].length)));
  const line = (cells: string[]): string => '| ' + cells.map((c, i) => c.padEnd(width[i]!)).join(' | ') + ' |';
  console.log(line([...cols]));
  console.log('|' + width.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const t of table) console.log(line(cols.map((c) => t[c])));
}
