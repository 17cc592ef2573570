// Series-major evaluation of the simple aggregations (sum, avg, count, min, max, group, stddev,
// stdvar). Walking each input series once, in series order, feeds every step's accumulator in
// the same order as the step-by-step walk, so results are bit-identical, but it skips the
// per-step scan over all series.
import type { Labels } from '@promethium/tsdb-core';
import type { AggregateOp } from '../parser/ast.js';
import { kahanSumInc } from './mathutil.js';
import type { StepRange } from './steps.js';
import type { Series } from './value.js';

const FAST_OPS = new Set<AggregateOp>(['sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar']);
/** Accumulator cells (groups x steps) above which the step-by-step walk is used instead. */
const MAX_CELLS = 2_000_000;

export function canAggregateSeriesMajor(op: AggregateOp, groups: number, r: StepRange): boolean {
  return FAST_OPS.has(op) && groups * r.n <= MAX_CELLS;
}

export function aggregateSeriesMajor(
  op: AggregateOp,
  r: StepRange,
  series: readonly Series[],
  groupIds: readonly number[],
  groupMetric: readonly Labels[],
  keepsName: boolean,
  checkAbort: () => void,
): Series[] {
  const n = r.n;
  const cells = groupMetric.length * n;
  const seen = new Uint8Array(cells);
  const value = new Float64Array(cells);
  const comp = new Float64Array(cells);
  const mean = new Float64Array(cells);
  const count = new Float64Array(cells);
  const incremental = new Uint8Array(cells);
  const dropName = new Uint8Array(groupMetric.length);
  for (let k = 0; k < series.length; k++) {
    checkAbort();
    const s = series[k]!;
    const g = groupIds[k]!;
    if (s.dropName && s.ts.length > 0) dropName[g] = 1;
    const base = g * n;
    for (let j = 0; j < s.ts.length; j++) {
      const c = base + Math.round((s.ts[j]! - r.start) / r.interval);
      const f = s.fs[j]!;
      if (!seen[c]) {
        seen[c] = 1;
        // Welford's first step for the variance: 0, or NaN for a NaN or infinite sample.
        value[c] = op === 'stddev' || op === 'stdvar' ? f * (f - f) : f;
        mean[c] = f;
        count[c] = 1;
        continue;
      }
      const cnt = ++count[c]!;
      switch (op) {
        case 'sum': {
          // kahanSumInc inlined: this is the hottest loop of dashboard queries.
          const sum = value[c]!;
          const t = sum + f;
          if (t === Infinity || t === -Infinity) comp[c] = 0;
          else if (Math.abs(sum) >= Math.abs(f)) comp[c] = comp[c]! + (sum - t + f);
          else comp[c] = comp[c]! + (f - t + sum);
          value[c] = t;
          break;
        }
        case 'avg': {
          if (!incremental[c]) {
            const [sum, cc] = kahanSumInc(f, value[c]!, comp[c]!);
            if (Number.isFinite(sum) || Number.isNaN(sum)) {
              value[c] = sum;
              comp[c] = cc;
              break;
            }
            // The sum would overflow: continue with an incremental mean.
            incremental[c] = 1;
            mean[c] = value[c]! / (cnt - 1);
            comp[c] = comp[c]! / (cnt - 1);
          }
          const q = (cnt - 1) / cnt;
          const [m, cc] = kahanSumInc(f / cnt, q * mean[c]!, q * comp[c]!);
          mean[c] = m;
          comp[c] = cc;
          break;
        }
        case 'max':
          if (value[c]! < f || Number.isNaN(value[c]!)) value[c] = f;
          break;
        case 'min':
          if (value[c]! > f || Number.isNaN(value[c]!)) value[c] = f;
          break;
        case 'stddev':
        case 'stdvar': {
          const delta = f - mean[c]!;
          mean[c] = mean[c]! + delta / cnt;
          value[c] = value[c]! + delta * (f - mean[c]);
          break;
        }
        default:
          break;
      }
    }
  }
  const out: Series[] = [];
  groupMetric.forEach((metric, g) => {
    const res: Series = { metric, ts: [], fs: [], dropName: keepsName && dropName[g] === 1 };
    for (let i = 0; i < n; i++) {
      const c = g * n + i;
      if (!seen[c]) continue;
      let v: number;
      switch (op) {
        case 'sum':
          v = !Number.isFinite(value[c]!) && !Number.isNaN(value[c]!) ? value[c]! : value[c]! + comp[c]!;
          break;
        case 'avg':
          v = incremental[c] ? mean[c]! + comp[c]! : value[c]! / count[c]! + comp[c]! / count[c]!;
          break;
        case 'count':
          v = count[c]!;
          break;
        case 'group':
          v = 1;
          break;
        case 'stdvar':
          v = value[c]! / count[c]!;
          break;
        case 'stddev':
          v = Math.sqrt(value[c]! / count[c]!);
          break;
        default:
          v = value[c]!;
      }
      res.ts.push(r.start + i * r.interval);
      res.fs.push(v);
    }
    if (res.ts.length > 0) out.push(res);
  });
  return out;
}
