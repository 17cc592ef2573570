// pmtool tsdb create-blocks-from openmetrics vs promtool 2.42's on the same generated input:
// wall time per run (medians), samples/s, and the peak RSS of each as a child process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@promethium/pmtool';
import { defineSuite } from '../src/harness.js';

const PROMTOOL = '/usr/bin/promtool';
const TIME = '/usr/bin/time';

function input(series: number, samples: number): string {
  const lines = ['# TYPE bench_metric gauge'];
  const t0 = 1_565_133_700;
  for (let s = 0; s < series; s++) {
    for (let i = 0; i < samples; i++) lines.push(`bench_metric{series="s${s}",host="host-${s % 10}.example.com"} ${(i * 1.5 + s).toFixed(2)} ${t0 + i * 15}`);
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

/** Peak RSS (KiB) of a command run under GNU time, or NaN without it. */
function peakRss(cmd: string, args: string[]): number {
  if (!existsSync(TIME)) return NaN;
  const r = spawnSync(TIME, ['-f', '%M', cmd, ...args], { encoding: 'utf8' });
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  return Number(last);
}

export default defineSuite({
  name: 'pmtool-backfill',
  description: 'Backfill (tsdb create-blocks-from openmetrics): pmtool vs promtool 2.42 on the same OpenMetrics file',
  async run(ctx) {
    const series = ctx.quick ? 20 : 500;
    const perSeries = ctx.quick ? 500 : 4000;
    const samples = series * perSeries;
    const dir = mkdtempSync(join(tmpdir(), 'bench-backfill-'));
    try {
      const file = join(dir, 'in.om');
      writeFileSync(file, input(series, perSeries));
      let run = 0;
      const out = () => join(dir, `out${run++}`);
      const silent = { stdin: () => Promise.resolve(Buffer.alloc(0)), stdout: () => {}, stderr: (s: string) => process.stderr.write(s) };
      const tasks = [
        {
          name: `${samples} samples, ${series} series`,
          impl: 'pmtool',
          itemsPerOp: samples,
          itemUnit: 'samples',
          fn: async () => {
            const code = await runCli(['tsdb', 'create-blocks-from', 'openmetrics', '-q', file, out()], silent);
            if (code !== 0) throw new Error('pmtool backfill failed');
          },
        },
      ];
      if (existsSync(PROMTOOL)) {
        tasks.push({
          name: `${samples} samples, ${series} series`,
          impl: 'promtool 2.42',
          itemsPerOp: samples,
          itemUnit: 'samples',
          fn: () => {
            const r = spawnSync(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', '-q', file, out()]);
            if (r.status !== 0) throw new Error(`promtool failed: ${r.stderr.toString()}`);
            return Promise.resolve();
          },
        });
      }
      await ctx.bench(tasks, { iterations: 3, time: 0, warmupTime: 0 });
      const tsx = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx');
      const main = join(import.meta.dirname, '..', '..', 'tools', 'pmtool', 'src', 'main.ts');
      if (existsSync(tsx)) {
        const kb = peakRss(tsx, ['--conditions=@promethium/source', main, 'tsdb', 'create-blocks-from', 'openmetrics', '-q', file, out()]);
        ctx.record({ name: 'peak RSS', impl: 'pmtool', value: kb / 1024, unit: 'MiB', note: 'child process under tsx (includes the TypeScript loader)' });
      }
      if (existsSync(PROMTOOL)) {
        const kb = peakRss(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', '-q', file, out()]);
        ctx.record({ name: 'peak RSS', impl: 'promtool 2.42', value: kb / 1024, unit: 'MiB' });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
