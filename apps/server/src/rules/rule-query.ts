// How rules run PromQL: an instant query whose result must be a vector or a scalar
// (a scalar becomes one sample with no labels), as Prometheus' EngineQueryFunc.
import type { Engine } from '@promethium/promql';
import type { Expr } from '@promethium/promql';
import { Labels, type Queryable } from '@promethium/tsdb-core';

export interface RuleSample {
  metric: Labels;
  t: number;
  f: number;
}

export type QueryFunc = (expr: Expr | string, t: number) => RuleSample[];

export function engineQueryFunc(engine: Engine, storage: Queryable): QueryFunc {
  return (expr, t) => {
    const r = engine.instantQuery(storage, expr, t);
    const v = r.value;
    if (v.type === 'vector') return v.value.map((s) => ({ metric: s.metric, t: s.t, f: s.f }));
    if (v.type === 'scalar') return [{ metric: Labels.EMPTY, t: v.t, f: v.value }];
    throw new Error('rule result is not a vector or scalar');
  };
}
