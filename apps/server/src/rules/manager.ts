// Loads rule files, runs their groups, applies reloads without losing alert state, restores
// `for` state at start, and serves the data behind /api/v1/rules and /api/v1/alerts.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Engine } from '@promethium/promql';
import type { Appendable, Queryable } from '@promethium/tsdb-core';
import type { Alert } from '../notifier/notifier.js';
import { AlertingRule, type ActiveAlert } from './alerting-rule.js';
import { Group, type Rule } from './group.js';
import { RecordingRule } from './recording-rule.js';
import { parseRuleFile, RuleFileError, type GroupDef, type RuleProblem } from './rule-file.js';
import { engineQueryFunc } from './rule-query.js';
import { restoreForState } from './restore.js';

export interface RuleManagerOptions {
  engine: Engine;
  storage: Queryable & Appendable;
  /** Receives alerts due for sending (the notifier's send). */
  notify?: (alerts: Alert[]) => void;
  externalLabels?: Record<string, string>;
  externalURL?: string;
  evaluationIntervalMs: number;
  resendDelayMs?: number;
  outageToleranceMs?: number;
  forGracePeriodMs?: number;
  /** Restore alerts' `for` state from storage after the first evaluation (off for unit tests). */
  restoreForState?: boolean;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, string>) => void;
}

/**
 * Expands rule_files entries as Prometheus does with filepath.Glob: '*', '?' and '[...]' in the
 * file name; an entry that matches no file is not an error (it is returned in `unmatched`).
 */
export function globRuleFiles(patterns: readonly string[]): { files: string[]; unmatched: string[] } {
  const files: string[] = [];
  const unmatched: string[] = [];
  for (const p of patterns) {
    const name = basename(p);
    let entries: string[] = [];
    try {
      entries = readdirSync(dirname(p));
    } catch {
      // A pattern over a missing directory matches nothing.
    }
    const re = new RegExp(`^${name.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
    const hits = /[*?[]/.test(name) ? entries.filter((e) => re.test(e)).sort() : entries.includes(name) ? [name] : [];
    if (hits.length === 0) unmatched.push(p);
    files.push(...hits.map((e) => join(dirname(p), e)));
  }
  return { files, unmatched };
}

export function expandRuleFiles(patterns: readonly string[]): string[] {
  return globRuleFiles(patterns).files;
}

export class RuleManager {
  private groupsByKey = new Map<string, Group>();
  private started = false;
  private readonly pendingRestore = new Set<string>();

  constructor(private opts: RuleManagerOptions) {}



  /** Loads the files; on any error nothing changes and a RuleFileError lists every problem. */
  async update(files: readonly string[], o: { start?: boolean; options?: Partial<RuleManagerOptions> } = {}): Promise<void> {
    // New options (evaluation interval, external labels, ...) take effect only if the files load.
    const opts = { ...this.opts, ...o.options };
    const defs: GroupDef[] = [];
    const problems: RuleProblem[] = [];
    const { files: matched, unmatched } = globRuleFiles(files);
    for (const p of unmatched) opts.log?.('warn', 'No file matches the rule_files pattern', { pattern: p });
    for (const file of matched) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        problems.push({ file, line: undefined, col: undefined, message: `cannot read rule file: ${(e as Error).message}` });
        continue;
      }
      try {
        defs.push(...parseRuleFile(text, file));
      } catch (e) {
        if (e instanceof RuleFileError) problems.push(...e.problems);
        else throw e;
      }
    }
    if (problems.length > 0) throw new RuleFileError(problems);

    const query = engineQueryFunc(opts.engine, opts.storage);
    const next = new Map<string, Group>();
    for (const def of defs) {
      const rules: Rule[] = def.rules.map((r) => {
        // Prometheus 3 group labels apply to every rule; the rule's own labels win.
        const withGroupLabels = { ...r, labels: { ...def.labels, ...r.labels } };
        return r.kind === 'record'
          ? new RecordingRule(withGroupLabels)
          : new AlertingRule(withGroupLabels, { externalLabels: opts.externalLabels ?? {}, externalURL: opts.externalURL ?? '' });
      });
      const g = new Group(def, rules, {
        query,
        appendable: opts.storage,
        notify: (alerts) => opts.notify?.(alerts),
        defaultIntervalMs: opts.evaluationIntervalMs,
        resendDelayMs: opts.resendDelayMs ?? 60_000,
        log: opts.log,
      });
      const old = this.groupsByKey.get(g.key);
      if (old) g.copyState(old);
      else if (!this.started && opts.restoreForState !== false) {
        // Groups present at start restore their alerts' `for` state after their first evaluation.
        for (const r of rules) if (r instanceof AlertingRule) r.restored = false;
        this.pendingRestore.add(g.key);
      }
      next.set(g.key, g);
    }
    for (const [key, old] of this.groupsByKey) await old.stop(!next.has(key));
    this.groupsByKey = next;
    this.opts = opts;
    this.started = true;
    if (o.start !== false) for (const g of next.values()) this.schedule(g);
  }

  private schedule(g: Group): void {
    g.start((ts) => this.evaluate(g, ts));
  }

  /** Evaluates one group at ts (used by the scheduler and by tests), then restores state if due. */
  async evaluate(g: Group, ts: number): Promise<void> {
    await g.evaluate(ts);
    if (this.pendingRestore.delete(g.key)) {
      restoreForState(g, ts, this.opts.storage, {
        outageToleranceMs: this.opts.outageToleranceMs ?? 3_600_000,
        gracePeriodMs: this.opts.forGracePeriodMs ?? 600_000,
      });
    }
  }

  groups(): Group[] {
    return [...this.groupsByKey.values()];
  }

  async stop(): Promise<void> {
    for (const g of this.groupsByKey.values()) await g.stop(false);
  }

  /** The `data` of GET /api/v1/rules, with Prometheus' filters. */
  rulesApi(filter: { type?: 'alert' | 'record'; ruleName?: string[]; ruleGroup?: string[]; file?: string[] } = {}): unknown {
    const groups = this.groups()
      .filter((g) => (!filter.ruleGroup?.length || filter.ruleGroup.includes(g.def.name)) && (!filter.file?.length || filter.file.includes(g.def.file)))
      .map((g) => ({
        name: g.def.name,
        file: g.def.file,
        rules: g.rules
          .filter((r) => (!filter.type || r.kind === filter.type) && (!filter.ruleName?.length || filter.ruleName.includes(r.name)))
          .map((r) => ruleJson(r)),
        interval: g.intervalMs / 1000,
        limit: g.def.limit,
        evaluationTime: g.evaluationTimeSec,
        lastEvaluation: iso(g.lastEvaluation),
      }))
      .filter((g) => !(filter.type || filter.ruleName?.length) || g.rules.length > 0);
    return { groups };
  }

  /** The `data` of GET /api/v1/alerts. */
  alertsApi(): unknown {
    const alerts = this.groups().flatMap((g) =>
      g.rules.flatMap((r) => (r instanceof AlertingRule ? [...r.active.values()].filter((a) => a.state !== 'inactive').map(alertJson) : [])),
    );
    return { alerts };
  }
}

function iso(ms: number): string {
  return ms === 0 ? '0001-01-01T00:00:00Z' : new Date(ms).toISOString();
}

/** Prometheus prints alert values with strconv 'e' -1: 1e+00, 1.5e+00. */
function formatE(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  const [m, e] = v.toExponential().split('e') as [string, string];
  return `${m}e${e.startsWith('-') ? '-' : '+'}${e.replace(/^[+-]/, '').padStart(2, '0')}`;
}

function alertJson(a: ActiveAlert): Record<string, unknown> {
  const out: Record<string, unknown> = {
    labels: a.labels.toObject(),
    annotations: a.annotations,
    state: a.state,
    activeAt: iso(a.activeAt),
    value: formatE(a.value),
  };
  if (a.keepFiringSince !== 0) out.keepFiringSince = iso(a.keepFiringSince);
  return out;
}

function ruleJson(r: Rule): Record<string, unknown> {
  const common = {
    name: r.name,
    query: r.def.exprText,
    labels: r.def.labels,
    health: r.health,
    evaluationTime: r.evaluationTimeSec,
    lastEvaluation: iso(r.lastEvaluation),
    ...(r.lastError ? { lastError: r.lastError } : {}),
  };
  if (r instanceof RecordingRule) return { ...common, type: 'recording' };
  return {
    state: r.state(),
    ...common,
    duration: r.def.forMs / 1000,
    keepFiringFor: r.def.keepFiringForMs / 1000,
    annotations: r.def.annotations,
    alerts: [...r.active.values()].filter((a) => a.state !== 'inactive').map(alertJson),
    type: 'alerting',
  };
}
