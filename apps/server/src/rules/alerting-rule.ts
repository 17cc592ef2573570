// An alerting rule and its alerts' state machine, with Prometheus' semantics: pending until
// `for` has elapsed, then firing; kept firing for `keep_firing_for` after the condition clears;
// resolved alerts kept 15 minutes so they are re-sent; ALERTS and ALERTS_FOR_STATE series.
import type { Labels } from '@promethium/tsdb-core';
import type { Alert } from '../notifier/notifier.js';
import type { RuleDef } from './rule-file.js';
import type { QueryFunc, RuleSample } from './rule-query.js';
import { RuleHealth } from './rule-health.js';
import { expandTemplate } from './template/expand.js';

export type AlertState = 'inactive' | 'pending' | 'firing';

export interface ActiveAlert {
  labels: Labels;
  annotations: Record<string, string>;
  state: AlertState;
  value: number;
  activeAt: number;
  firedAt: number;
  resolvedAt: number;
  lastSentAt: number;
  validUntil: number;
  keepFiringSince: number;
}

const RESOLVED_RETENTION_MS = 15 * 60_000;

export interface AlertingContext {
  externalLabels: Record<string, string>;
  externalURL: string;
}

export class AlertingRule extends RuleHealth {
  readonly kind = 'alert';
  active = new Map<string, ActiveAlert>();
  /** False until `for` state has been restored after a restart; no ALERTS series are written before. */
  restored = true;

  constructor(
    readonly def: RuleDef,
    private readonly ctx: AlertingContext,
  ) {
    super();
  }

  get name(): string {
    return this.def.name;
  }

  state(): AlertState {
    let s: AlertState = 'inactive';
    for (const a of this.active.values()) {
      if (a.state === 'firing') return 'firing';
      if (a.state === 'pending') s = 'pending';
    }
    return s;
  }

  eval(t: number, query: QueryFunc, limit: number): RuleSample[] {
    const res = query(this.def.expr, t);
    const fresh = new Map<string, ActiveAlert>();
    for (const smpl of res) {
      const base = smpl.metric.without('__name__');
      const tctx = {
        labels: base.toObject(),
        externalLabels: this.ctx.externalLabels,
        externalURL: this.ctx.externalURL,
        value: smpl.f,
        query: (q: string) => query(q, t).map((s) => ({ Labels: s.metric.toObject(), Value: s.f })),
      };
      const expand = (text: string): string => {
        try {
          return expandTemplate(`__alert_${this.def.name}`, text, tctx);
        } catch (e) {
          // Prometheus writes the error into the label/annotation rather than failing the rule.
          return `<error expanding template: ${(e as Error).message}>`;
        }
      };
      const extra: Record<string, string> = {};
      for (const [k, v] of Object.entries(this.def.labels)) extra[k] = expand(v);
      extra.alertname = this.def.name;
      const labels = base.with(extra);
      const annotations: Record<string, string> = {};
      for (const [k, v] of Object.entries(this.def.annotations)) annotations[k] = expand(v);
      const key = labels.key();
      if (fresh.has(key)) throw new Error('vector contains metrics with the same labelset after applying alert labels');
      fresh.set(key, { labels, annotations, state: 'pending', value: smpl.f, activeAt: t, firedAt: 0, resolvedAt: 0, lastSentAt: 0, validUntil: 0, keepFiringSince: 0 });
    }
    for (const [key, a] of fresh) {
      const existing = this.active.get(key);
      if (existing && existing.state !== 'inactive') {
        existing.value = a.value;
        existing.annotations = a.annotations;
        continue;
      }
      this.active.set(key, a);
    }
    const out: RuleSample[] = [];
    let numActive = 0;
    for (const [key, a] of this.active) {
      if (!fresh.has(key)) {
        let keepFiring = false;
        if (a.state === 'firing' && this.def.keepFiringForMs > 0) {
          if (a.keepFiringSince === 0) a.keepFiringSince = t;
          if (t - a.keepFiringSince < this.def.keepFiringForMs) keepFiring = true;
        }
        if (!keepFiring) {
          if (a.state === 'pending' || (a.resolvedAt !== 0 && t - a.resolvedAt > RESOLVED_RETENTION_MS)) this.active.delete(key);
          if (a.state !== 'inactive') {
            a.state = 'inactive';
            a.resolvedAt = t;
          }
          continue;
        }
      } else {
        a.keepFiringSince = 0;
      }
      numActive++;
      if (a.state === 'pending' && t - a.activeAt >= this.def.forMs) {
        a.state = 'firing';
        a.firedAt = t;
      }
      if (this.restored) {
        out.push({ metric: a.labels.with({ __name__: 'ALERTS', alertstate: a.state }), t, f: 1 });
        out.push({ metric: a.labels.with({ __name__: 'ALERTS_FOR_STATE' }), t, f: Math.floor(a.activeAt / 1000) });
      }
    }
    if (limit > 0 && numActive > limit) {
      this.active.clear();
      throw new Error(`exceeded limit of ${limit} with ${numActive} alerts`);
    }
    return out;
  }

  /** Alerts due for (re)sending to Alertmanager at time t, marking them sent. */
  alertsToSend(t: number, resendDelayMs: number, intervalMs: number): Alert[] {
    const out: Alert[] = [];
    const generatorURL = `${this.ctx.externalURL.replace(/\/$/, '')}/graph?g0.expr=${encodeURIComponent(this.def.exprText)}&g0.tab=1`;
    for (const a of this.active.values()) {
      if (a.state === 'pending') continue;
      const needs = a.resolvedAt > a.lastSentAt || a.lastSentAt + resendDelayMs < t;
      if (!needs) continue;
      a.lastSentAt = t;
      a.validUntil = t + 4 * Math.max(resendDelayMs, intervalMs);
      out.push({
        labels: a.labels.toObject(),
        annotations: { ...a.annotations },
        startsAt: a.firedAt,
        endsAt: a.state === 'inactive' ? a.resolvedAt : a.validUntil,
        generatorURL,
      });
    }
    return out;
  }
}
