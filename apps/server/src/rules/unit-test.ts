// promtool's rule unit tests (`promtool test rules`): input series in the test-script value
// notation, rule groups evaluated on the evaluation interval, firing alerts and expression
// results compared at given times. The report mirrors promtool's, so failures read the same.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { Engine, MemoryStorage, parseDuration, parseSequence, parseSeriesDescription } from '@promethium/promql';
import { Labels, STALE_NAN, type Appendable, type Appender } from '@promethium/tsdb-core';
import { parseYaml, type YamlNode } from '@promethium/web-toolkit';
import { AlertingRule } from './alerting-rule.js';
import { globRuleFiles, RuleManager } from './manager.js';
import { engineQueryFunc } from './rule-query.js';

/** MemoryStorage with a transactional appender, so rules can write back into it. */
class TestStorage extends MemoryStorage implements Appendable {
  appender(): Appender {
    const buf: [Labels, number, number][] = [];
    return {
      append: (_ref, l, t, v) => {
        buf.push([l, t, v]);
        return 0;
      },
      commit: () => {
        for (const [l, t, v] of buf) this.add(l, t, v);
        buf.length = 0;
        return Promise.resolve();
      },
      rollback: () => {
        buf.length = 0;
      },
    };
  }
}

export interface RuleTestReport {
  ok: boolean;
  /** promtool's stdout lines */
  stdout: string;
  /** promtool's stderr lines (the failures) */
  stderr: string;
}

interface LabelsAndAnnotations {
  labels: Labels;
  annotations: Labels;
}

function fmtDuration(ms: number): string {
  // Prometheus model.Duration String(): largest units first, e.g. 1h5m, 10m, 0s.
  if (ms === 0) return '0s';
  const units: [string, number][] = [['y', 31_536_000_000], ['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
  let out = '';
  for (const [u, n] of units) {
    if (ms >= n) {
      out += `${Math.floor(ms / n)}${u}`;
      ms %= n;
    }
  }
  return out;
}

/** strconv.FormatFloat(v, 'E', -1, 64), as promtool prints sample values: 7E+00, 1.5E+00. */
function fmtE(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const [m, e] = v.toExponential().split('e') as [string, string];
  return `${m}E${e.startsWith('-') ? '-' : '+'}${e.replace(/^[+-]/, '').padStart(2, '0')}`;
}

function fmtAlerts(list: LabelsAndAnnotations[]): string {
  return `[\n${list.map((a, i) => `            ${i}:\n              Labels:${a.labels.toString()}\n              Annotations:${a.annotations.toString()}\n`).join('')}            ]`;
}

export async function runRuleTestFile(file: string): Promise<RuleTestReport> {
  let stdout = `Unit Testing:  ${file}\n`;
  let warnings = '';
  const errs: string[] = [];
  try {
    const root = parseYaml(readFileSync(file, 'utf8'), file);
    root.entries(['rule_files', 'evaluation_interval', 'group_eval_order', 'tests', 'fuzzy_compare']);
    const dir = dirname(file);
    const patterns = (root.get('rule_files')?.list() ?? []).map((n) => {
      const p = n.string();
      return isAbsolute(p) ? p : join(dir, p);
    });
    const { files: ruleFiles, unmatched } = globRuleFiles(patterns);
    for (const p of unmatched) warnings += `  WARNING: no file match pattern ${p}\n`;
    const evalInterval = root.get('evaluation_interval') ? parseDuration(root.get('evaluation_interval')!.string()) : 60_000;
    const order = (root.get('group_eval_order')?.list() ?? []).map((n) => n.string());
    for (const tg of root.get('tests')?.list() ?? []) errs.push(...(await runGroup(tg, ruleFiles, evalInterval, order)));
  } catch (e) {
    errs.push(`    ${(e as Error).message}`);
  }
  if (errs.length === 0) {
    stdout += '  SUCCESS\n';
    return { ok: true, stdout: stdout + '\n', stderr: warnings };
  }
  // promtool's stdout carries one blank line per failure plus one.
  return { ok: false, stdout: stdout + '\n'.repeat(errs.length + 1), stderr: `${warnings}  FAILED:\n${errs.join('\n')}\n` };
}

async function runGroup(tg: YamlNode, ruleFiles: string[], evalInterval: number, order: string[]): Promise<string[]> {
  tg.entries(['interval', 'input_series', 'alert_rule_test', 'promql_expr_test', 'external_labels', 'external_url', 'name']);
  const interval = tg.get('interval') ? parseDuration(tg.get('interval')!.string()) : 60_000;
  const storage = new TestStorage();
  for (const s of tg.get('input_series')?.list() ?? []) {
    s.entries(['series', 'values']);
    const sel = parseSeriesDescription(s.get('series')?.string() ?? '');
    const labels = Labels.from(sel.matchers.map((m) => [m.name, m.value] as const));
    parseSequence(s.get('values')?.string() ?? '').forEach((v, i) => {
      if (v === undefined) return;
      storage.add(labels, i * interval, v === 'stale' ? STALE_NAN : v);
    });
  }
  const externalLabels: Record<string, string> = {};
  for (const [k, v] of tg.get('external_labels')?.entries() ?? []) externalLabels[k] = v.string();
  const engine = new Engine();
  const mgr = new RuleManager({
    engine,
    storage,
    evaluationIntervalMs: evalInterval,
    externalLabels,
    externalURL: tg.get('external_url')?.string() ?? '',
    restoreForState: false,
  });
  await mgr.update(ruleFiles, { start: false });
  const groups = mgr.groups();
  if (order.length > 0) groups.sort((a, b) => order.indexOf(a.def.name) - order.indexOf(b.def.name));

  interface AlertTest { evalTime: number; alertname: string; exp: LabelsAndAnnotations[] }
  const alertTests: AlertTest[] = (tg.get('alert_rule_test')?.list() ?? []).map((n) => {
    n.entries(['eval_time', 'alertname', 'exp_alerts']);
    const alertname = n.get('alertname')?.string() ?? '';
    return {
      evalTime: parseDuration(n.get('eval_time')?.string() ?? '0'),
      alertname,
      exp: (n.get('exp_alerts')?.list() ?? []).map((a) => {
        a.entries(['exp_labels', 'exp_annotations']);
        const l: Record<string, string> = { alertname };
        for (const [k, v] of a.get('exp_labels')?.entries() ?? []) l[k] = v.string();
        const an: Record<string, string> = {};
        for (const [k, v] of a.get('exp_annotations')?.entries() ?? []) an[k] = v.string();
        return { labels: Labels.from(l), annotations: Labels.from(an) };
      }),
    };
  });
  alertTests.sort((a, b) => a.evalTime - b.evalTime);
  const maxEval = Math.max(0, ...alertTests.map((a) => a.evalTime), ...(tg.get('promql_expr_test')?.list() ?? []).map((n) => parseDuration(n.get('eval_time')?.string() ?? '0')));
  const errs: string[] = [];
  let cur = 0;
  for (let ts = 0; ts <= maxEval; ts += evalInterval) {
    for (const g of groups) await mgr.evaluate(g, ts);
    for (const g of groups) for (const r of g.rules) if (r.health === 'err') errs.push(`    ${r.lastError}`);
    // Alert tests whose eval_time falls in [ts, ts + evalInterval) compare against this evaluation.
    while (cur < alertTests.length && alertTests[cur]!.evalTime >= ts && alertTests[cur]!.evalTime < ts + evalInterval) {
      const t = alertTests[cur++]!;
      const got: LabelsAndAnnotations[] = [];
      for (const g of groups) {
        for (const r of g.rules) {
          if (!(r instanceof AlertingRule) || r.name !== t.alertname) continue;
          for (const a of r.active.values()) if (a.state === 'firing') got.push({ labels: a.labels, annotations: Labels.from(a.annotations) });
        }
      }
      const key = (x: LabelsAndAnnotations): string => `${x.labels.key()}\u0000${x.annotations.key()}`;
      const exp = [...t.exp].sort((a, b) => (key(a) < key(b) ? -1 : 1));
      got.sort((a, b) => (key(a) < key(b) ? -1 : 1));
      if (exp.map(key).join('\n') !== got.map(key).join('\n')) {
        errs.push(`    alertname: ${t.alertname}, time: ${fmtDuration(t.evalTime)}, \n        exp:${fmtAlerts(exp)}, \n        got:${fmtAlerts(got)}`);
      }
    }
  }
  const query = engineQueryFunc(engine, storage);
  for (const n of tg.get('promql_expr_test')?.list() ?? []) {
    n.entries(['expr', 'eval_time', 'exp_samples']);
    const expr = n.get('expr')?.string() ?? '';
    const evalTime = parseDuration(n.get('eval_time')?.string() ?? '0');
    let got;
    try {
      got = query(expr, evalTime).map((s) => ({ labels: s.metric, value: s.f }));
    } catch (e) {
      errs.push(`    expr: ${JSON.stringify(expr)}, time: ${fmtDuration(evalTime)}, err: ${(e as Error).message}`);
      continue;
    }
    const exp = (n.get('exp_samples')?.list() ?? []).map((s) => {
      s.entries(['labels', 'value', 'histogram']);
      const text = s.get('labels')?.string() ?? '';
      const labels = text === '' || text.trim() === '{}' ? Labels.EMPTY : Labels.from(parseSeriesDescription(text).matchers.map((m) => [m.name, m.value] as const));
      return { labels, value: Number(s.get('value')?.string() ?? '0') };
    });
    const sortS = (a: { labels: Labels }, b: { labels: Labels }): number => Labels.compare(a.labels, b.labels);
    exp.sort(sortS);
    got.sort(sortS);
    const same =
      exp.length === got.length &&
      exp.every((e, i) => e.labels.equals(got[i]!.labels) && (e.value === got[i]!.value || (Number.isNaN(e.value) && Number.isNaN(got[i]!.value))));
    if (!same) {
      const f = (l: { labels: Labels; value: number }[]): string => l.map((s) => `${s.labels.toString()} ${fmtE(s.value)}`).join(', ');
      errs.push(`    expr: ${JSON.stringify(expr)}, time: ${fmtDuration(evalTime)},\n        exp: ${f(exp)}\n        got: ${f(got)}`);
    }
  }
  return errs;
}
