// A recording rule: evaluates its expression and renames the result, adding its labels.
import type { RuleDef } from './rule-file.js';
import type { QueryFunc, RuleSample } from './rule-query.js';
import { RuleHealth } from './rule-health.js';

export class RecordingRule extends RuleHealth {
  readonly kind = 'record';

  constructor(readonly def: RuleDef) {
    super();
  }

  get name(): string {
    return this.def.name;
  }

  eval(t: number, query: QueryFunc, limit: number): RuleSample[] {
    const out = query(this.def.expr, t).map((s) => ({ ...s, metric: s.metric.with({ ...this.def.labels, __name__: this.def.name }) }));
    const seen = new Set<string>();
    for (const s of out) {
      const k = s.metric.key();
      if (seen.has(k)) throw new Error('vector contains metrics with the same labelset after applying rule labels');
      seen.add(k);
    }
    if (limit > 0 && out.length > limit) throw new Error(`exceeded limit ${limit} with ${out.length} series`);
    return out;
  }
}
