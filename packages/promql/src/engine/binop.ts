// Binary operators: scalar/scalar, vector/scalar and vector/vector with on/ignoring,
// group_left/group_right and the set operators, with Prometheus' error messages.
import { Labels } from '@promethium/tsdb-core';
import type { BinaryExpr, BinaryOp, VectorMatching } from '../parser/ast.js';
import { isComparisonOp } from '../parser/parser.js';
import type { EvalValue, Evaluator } from './evaluator.js';
import { goPow } from './mathutil.js';
import { forEachStep, stepTime, type StepRange, type StepVector } from './steps.js';
import { QueryError, type Series } from './value.js';

/** Returns [value, keep]. */
export function binopValue(op: BinaryOp, l: number, r: number): [number, boolean] {
  switch (op) {
    case '+':
      return [l + r, true];
    case '-':
      return [l - r, true];
    case '*':
      return [l * r, true];
    case '/':
      return [l / r, true];
    case '%':
      return [l % r, true];
    case '^':
      return [goPow(l, r), true];
    case 'atan2':
      return [Math.atan2(l, r), true];
    case '==':
      return [l, l === r];
    case '!=':
      return [l, l !== r];
    case '>':
      return [l, l > r];
    case '<':
      return [l, l < r];
    case '>=':
      return [l, l >= r];
    case '<=':
      return [l, l <= r];
    default:
      throw new QueryError(`operator "${op}" not allowed here`);
  }
}

function dropsName(op: BinaryOp): boolean {
  return op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^' || op === 'atan2';
}

export function evalBinary(ev: Evaluator, e: BinaryExpr, r: StepRange): EvalValue {
  const lhs = ev.eval(e.lhs, r);
  const rhs = ev.eval(e.rhs, r);
  if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    const vals = new Float64Array(r.n);
    for (let i = 0; i < r.n; i++) {
      const [v, keep] = binopValue(e.op, lhs.vals[i]!, rhs.vals[i]!);
      vals[i] = isComparisonOp(e.op) ? (keep ? 1 : 0) : v;
    }
    return { kind: 'scalar', vals };
  }
  if (lhs.kind === 'vector' && rhs.kind === 'scalar') return vectorScalar(e, lhs.series, rhs.vals, false, r);
  if (lhs.kind === 'scalar' && rhs.kind === 'vector') return vectorScalar(e, rhs.series, lhs.vals, true, r);
  if (lhs.kind !== 'vector' || rhs.kind !== 'vector') throw new QueryError('binary expression on non-numeric operands');
  const matching = e.matching ?? { card: 'one-to-one', matchingLabels: [], on: false, include: [] };
  return vectorVector(ev, e, matching, lhs.series, rhs.series, r);
}

function vectorScalar(e: BinaryExpr, series: Series[], scalar: Float64Array, swap: boolean, r: StepRange): EvalValue {
  const out: Series[] = [];
  const cmp = isComparisonOp(e.op);
  const drop = dropsName(e.op) || e.returnBool;
  for (const s of series) {
    const res: Series = { metric: s.metric, ts: [], fs: [], dropName: s.dropName || drop };
    for (let k = 0; k < s.ts.length; k++) {
      const t = s.ts[k]!;
      const x = s.fs[k]!;
      const y = scalar[Math.round((t - r.start) / r.interval)]!;
      let [v, keep] = swap ? binopValue(e.op, y, x) : binopValue(e.op, x, y);
      // A comparison always yields the vector element's value, even with the scalar on the left.
      if (cmp && swap) v = x;
      if (e.returnBool) {
        v = keep ? 1 : 0;
        keep = true;
      }
      if (!keep) continue;
      res.ts.push(t);
      res.fs.push(v);
    }
    if (res.ts.length) out.push(res);
  }
  return { kind: 'vector', series: out };
}

function signatureFn(m: VectorMatching): (l: Labels) => string {
  if (m.on) {
    const names = [...m.matchingLabels].sort();
    return (l) => names.map((n) => `${n}\xff${l.get(n)}`).join('\xfe');
  }
  const drop = [...m.matchingLabels, '__name__'];
  return (l) => l.without(...drop).key();
}

function matchLabels(l: Labels, m: VectorMatching): Labels {
  return m.on ? l.keep(...m.matchingLabels) : l.without(...m.matchingLabels, '__name__');
}

function vectorVector(ev: Evaluator, e: BinaryExpr, m: VectorMatching, lhs: Series[], rhs: Series[], r: StepRange): EvalValue {
  const sig = signatureFn(m);
  const lsig = lhs.map((s) => sig(s.metric));
  const rsig = rhs.map((s) => sig(s.metric));
  const b = ev.newBuilder();
  const op = e.op;

  if (op === 'and' || op === 'or' || op === 'unless') {
    // Walk both sides step by step.
    const lSteps = collectSteps(lhs, r);
    const rSteps = collectSteps(rhs, r);
    for (let i = 0; i < r.n; i++) {
      const t = stepTime(r, i);
      const lv = lSteps[i]!;
      const rv = rSteps[i]!;
      if (op === 'and') {
        if (rv.idx.length === 0) continue;
        const rs = new Set(rv.idx.map((k) => rsig[k]!));
        lv.idx.forEach((k, j) => {
          if (rs.has(lsig[k]!)) b.add(lhs[k]!.metric, t, lv.f[j]!, lhs[k]!.dropName);
        });
      } else if (op === 'or') {
        const ls = new Set<string>();
        lv.idx.forEach((k, j) => {
          ls.add(lsig[k]!);
          b.add(lhs[k]!.metric, t, lv.f[j]!, lhs[k]!.dropName);
        });
        rv.idx.forEach((k, j) => {
          if (!ls.has(rsig[k]!)) b.add(rhs[k]!.metric, t, rv.f[j]!, rhs[k]!.dropName);
        });
      } else {
        const rs = new Set(rv.idx.map((k) => rsig[k]!));
        lv.idx.forEach((k, j) => {
          if (!rs.has(lsig[k]!)) b.add(lhs[k]!.metric, t, lv.f[j]!, lhs[k]!.dropName);
        });
      }
    }
    return { kind: 'vector', series: b.result() };
  }

  // One-to-one and many-to-one: the rhs is the "one" side; one-to-many swaps sides.
  const swap = m.card === 'one-to-many';
  const [many, one] = swap ? [rhs, lhs] : [lhs, rhs];
  const [manySig, oneSig] = swap ? [rsig, lsig] : [lsig, rsig];
  const manySteps = collectSteps(many, r);
  const oneSteps = collectSteps(one, r);
  const resultCache = new Map<string, Labels>();
  const drop = dropsName(op) || e.returnBool;
  for (let i = 0; i < r.n; i++) {
    const t = stepTime(r, i);
    const mv = manySteps[i]!;
    const ov = oneSteps[i]!;
    if (mv.idx.length === 0 || ov.idx.length === 0) continue;
    ev.checkAbort();
    const oneBySig = new Map<string, number>();
    for (let j = 0; j < ov.idx.length; j++) {
      const k = ov.idx[j]!;
      const s = oneSig[k]!;
      const dup = oneBySig.get(s);
      if (dup !== undefined) {
        const side = swap ? 'left' : 'right';
        throw new QueryError(
          `found duplicate series for the match group ${matchLabels(one[k]!.metric, m).toString()} on the ${side} hand-side of the operation: ` +
            `[${[one[k]!.metric, one[ov.idx[dup]!]!.metric].sort((a, b) => Labels.compare(a, b)).map((l) => l.toString()).join(', ')}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
      oneBySig.set(s, j);
    }
    const matched = new Map<string, Set<string> | null>();
    for (let j = 0; j < mv.idx.length; j++) {
      const k = mv.idx[j]!;
      const s = manySig[k]!;
      const oj = oneBySig.get(s);
      if (oj === undefined) continue;
      const ok = ov.idx[oj]!;
      let fl = mv.f[j]!;
      let fr = ov.f[oj]!;
      if (swap) [fl, fr] = [fr, fl];
      const cacheKey = `${k}:${ok}`;
      let metric = resultCache.get(cacheKey);
      if (!metric) {
        metric = resultMetric(many[k]!.metric, one[ok]!.metric, m);
        resultCache.set(cacheKey, metric);
      }
      // Matching errors are detected before comparison filtering, as in Prometheus 3.
      if (m.card === 'one-to-one') {
        if (matched.has(s)) {
          throw new QueryError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
        }
        matched.set(s, null);
      } else {
        let inserted = matched.get(s);
        if (!inserted) matched.set(s, (inserted = new Set()));
        const mk = metric.key();
        if (inserted.has(mk)) throw new QueryError('multiple matches for labels: grouping labels must ensure unique matches');
        inserted.add(mk);
      }
      const [value, keep] = binopValue(op, fl, fr);
      if (!e.returnBool && !keep) continue;
      const v = e.returnBool ? (keep ? 1 : 0) : value;
      b.add(metric, t, v, drop || many[k]!.dropName);
    }
  }
  return { kind: 'vector', series: b.result() };
}

function resultMetric(many: Labels, one: Labels, m: VectorMatching): Labels {
  let l = many;
  if (m.card === 'one-to-one') l = m.on ? l.keep(...m.matchingLabels) : l.without(...m.matchingLabels);
  if (m.include.length > 0) {
    const changes: Record<string, string> = {};
    for (const n of m.include) changes[n] = one.get(n);
    l = l.with(changes);
  }
  return l;
}

function collectSteps(series: Series[], r: StepRange): StepVector[] {
  const out: StepVector[] = [];
  forEachStep(series, r, (_i, _t, v) => out.push({ idx: v.idx.slice(0, v.n), f: v.f.slice(0, v.n), n: v.n }));
  return out;
}

export { Labels };
