// Restores alerts' `for` state after a restart from the ALERTS_FOR_STATE series, with
// Prometheus' outage tolerance and grace period, so a pending alert does not start over.
import { Matcher, type Queryable } from '@promethium/tsdb-core';
import { AlertingRule } from './alerting-rule.js';
import type { Group } from './group.js';

export interface RestoreOptions {
  outageToleranceMs: number;
  gracePeriodMs: number;
}

export function restoreForState(group: Group, ts: number, storage: Queryable, opts: RestoreOptions): void {
  const q = storage.querier(ts - opts.outageToleranceMs, ts);
  try {
    for (const rule of group.rules) {
      if (!(rule instanceof AlertingRule) || rule.restored) continue;
      rule.restored = true;
      if (rule.def.forMs <= 0 || rule.active.size === 0) continue;
      const matchers = [new Matcher('=', '__name__', 'ALERTS_FOR_STATE'), new Matcher('=', 'alertname', rule.name)];
      for (const [k, v] of Object.entries(rule.def.labels)) if (!v.includes('{{')) matchers.push(new Matcher('=', k, v));
      const last = new Map<string, [number, number]>();
      for (const s of q.select(matchers, { start: ts - opts.outageToleranceMs, end: ts })) {
        const it = s.iterator();
        let t = NaN;
        let v = NaN;
        while (it.next()) {
          if (Number.isNaN(it.value())) continue; // staleness markers
          t = it.at();
          v = it.value();
        }
        if (!Number.isNaN(t)) last.set(s.labels.without('__name__').key(), [t, v]);
      }
      for (const a of rule.active.values()) {
        const found = last.get(a.labels.key());
        if (!found) continue;
        const [downAt, activeAtSec] = found;
        let activeAt = activeAtSec * 1000;
        const remaining = rule.def.forMs - (downAt - activeAt);
        if (remaining <= 0) {
          // It was firing when we went down: the next evaluation sets it firing again.
        } else if (remaining < opts.gracePeriodMs) {
          activeAt = ts + opts.gracePeriodMs - rule.def.forMs;
        } else {
          activeAt += ts - downAt;
        }
        a.activeAt = activeAt;
      }
    }
  } finally {
    q.close();
  }
}
