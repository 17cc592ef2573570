// A rule group: its rules evaluated in order on one schedule, results appended through the
// storage appender, series that stopped being produced marked stale, alerts handed to the notifier.
import { STALE_NAN, type Appendable, type Labels } from '@promethium/tsdb-core';
import type { Alert } from '../notifier/notifier.js';
import { AlertingRule } from './alerting-rule.js';
import type { RecordingRule } from './recording-rule.js';
import type { GroupDef } from './rule-file.js';
import type { QueryFunc } from './rule-query.js';

export type Rule = AlertingRule | RecordingRule;

export interface GroupOptions {
  query: QueryFunc;
  appendable: Appendable;
  notify: (alerts: Alert[]) => void;
  defaultIntervalMs: number;
  resendDelayMs: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, string>) => void;
}

export class Group {
  readonly intervalMs: number;
  readonly queryOffsetMs: number;
  /** Per rule: series written in the previous evaluation, to mark vanished ones stale. */
  seriesInPreviousEval: Map<string, Labels>[];
  lastEvaluation = 0;
  evaluationTimeSec = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly def: GroupDef,
    readonly rules: Rule[],
    private readonly opts: GroupOptions,
  ) {
    this.intervalMs = def.intervalMs ?? opts.defaultIntervalMs;
    this.queryOffsetMs = def.queryOffsetMs ?? 0;
    this.seriesInPreviousEval = rules.map(() => new Map<string, Labels>());
  }

  get key(): string {
    return `${this.def.file};${this.def.name}`;
  }

  /** Prometheus spreads groups over their interval by a hash of the group key. */
  evalTimestamp(now: number): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < this.key.length; i++) h = Math.imul(h ^ this.key.charCodeAt(i), 0x01000193);
    const offset = (h >>> 0) % this.intervalMs;
    const adj = now - offset;
    return adj - (((adj % this.intervalMs) + this.intervalMs) % this.intervalMs) + offset;
  }

  async evaluate(ts: number): Promise<void> {
    const start = performance.now();
    const t = ts - this.queryOffsetMs;
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i]!;
      const ruleStart = performance.now();
      let vector;
      try {
        vector = rule.eval(t, this.opts.query, this.def.limit);
        rule.record(ruleStart, ts, undefined);
      } catch (e) {
        rule.record(ruleStart, ts, e as Error);
        this.opts.log?.('warn', 'Evaluating rule failed', { group: this.def.name, rule: rule.name, err: (e as Error).message });
        continue;
      }
      if (rule instanceof AlertingRule) {
        const alerts = rule.alertsToSend(ts, this.opts.resendDelayMs, this.intervalMs);
        if (alerts.length > 0) this.opts.notify(alerts);
      }
      const app = this.opts.appendable.appender();
      const returned = new Map<string, Labels>();
      for (const s of vector) {
        try {
          app.append(0, s.metric, s.t, s.f);
        } catch (e) {
          this.opts.log?.('warn', 'Rule evaluation result discarded', { rule: rule.name, err: (e as Error).message, sample: s.metric.toString() });
        }
        returned.set(s.metric.key(), s.metric);
      }
      for (const [key, lset] of this.seriesInPreviousEval[i]!) {
        if (!returned.has(key)) {
          try {
            app.append(0, lset, t, STALE_NAN);
          } catch {
            // Already superseded; nothing to mark.
          }
        }
      }
      await app.commit();
      this.seriesInPreviousEval[i] = returned;
    }
    this.lastEvaluation = ts;
    this.evaluationTimeSec = (performance.now() - start) / 1000;
  }

  /** Runs `run` on the group's schedule until stop(). */
  start(run: (ts: number) => Promise<void>, now: () => number = Date.now): void {
    const tick = (): void => {
      if (this.stopped) return;
      const next = this.evalTimestamp(now()) + this.intervalMs;
      this.timer = setTimeout(() => {
        void run(next).finally(tick);
      }, Math.max(0, next - now()));
    };
    tick();
  }

  /** Stops; with markStale, every series the group wrote is marked stale (the group was removed). */
  async stop(markStale: boolean, now = Date.now()): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!markStale) return;
    const app = this.opts.appendable.appender();
    for (const prev of this.seriesInPreviousEval) {
      for (const lset of prev.values()) {
        try {
          app.append(0, lset, now, STALE_NAN);
        } catch {
          // nothing to mark
        }
      }
    }
    await app.commit();
  }

  /** Takes over the evaluation state of the group this one replaces on reload. */
  copyState(old: Group): void {
    const byName = new Map(old.rules.map((r, i) => [`${r.kind}:${r.name}`, i]));
    this.rules.forEach((r, i) => {
      const j = byName.get(`${r.kind}:${r.name}`);
      if (j === undefined) return;
      this.seriesInPreviousEval[i] = old.seriesInPreviousEval[j]!;
      const prev = old.rules[j]!;
      if (r instanceof AlertingRule && prev instanceof AlertingRule) {
        r.active = prev.active;
        r.restored = prev.restored;
      }
    });
    this.lastEvaluation = old.lastEvaluation;
  }
}
