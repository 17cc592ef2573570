import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '@promethium/promql';
import { isStaleNaN, Labels, Matcher, openDB, STALE_NAN, type DB } from '@promethium/tsdb-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../notifier/notifier.js';
import { RuleFileError } from './rule-file.js';
import { RuleManager, expandRuleFiles } from './manager.js';

const T0 = 1_700_000_000_000;
let dir = '';
let db: DB;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pm-rules-'));
  db = await openDB(join(dir, 'data'));
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function write(series: Record<string, string>, samples: [number, number][]): Promise<void> {
  const app = db.appender();
  const l = Labels.from(series);
  for (const [t, v] of samples) app.append(0, l, t, v);
  await app.commit();
}

function read(matchers: Matcher[], mint = 0, maxt = T0 * 2): { labels: string; points: [number, number][] }[] {
  const q = db.querier(mint, maxt);
  const out = [];
  for (const s of q.select(matchers)) {
    const it = s.iterator();
    const points: [number, number][] = [];
    while (it.next()) points.push([it.at(), it.value()]);
    out.push({ labels: s.labels.toString(), points });
  }
  q.close();
  return out;
}

function manager(files: string[], sent: Alert[] = []): RuleManager {
  return new RuleManager({
    engine: new Engine(),
    storage: db,
    notify: (a) => sent.push(...a),
    externalURL: 'http://prom:9090',
    externalLabels: { cluster: 'eu1' },
    evaluationIntervalMs: 15_000,
  });
}

function ruleFile(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe('rule manager', () => {
  it('writes recording rule results and marks vanished series stale', async () => {
    await write({ __name__: 'up', job: 'api', instance: 'a' }, [[T0 - 10_000, 1]]);
    await write({ __name__: 'up', job: 'web', instance: 'b' }, [[T0 - 10_000, 1]]);
    const f = ruleFile('rec.yml', 'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n        labels:\n          team: core\n');
    const m = manager([f]);
    await m.update([f], { start: false });
    const g = m.groups()[0]!;
    await m.evaluate(g, T0);
    const res = read([new Matcher('=', '__name__', 'job:up:sum')]);
    expect(res.map((r) => r.labels)).toEqual(['{__name__="job:up:sum", job="api", team="core"}', '{__name__="job:up:sum", job="web", team="core"}']);
    expect(res[0]!.points).toEqual([[T0, 1]]);
    // "web" stops reporting: its recorded series gets a staleness marker at the next evaluation.
    await write({ __name__: 'up', job: 'api', instance: 'a' }, [[T0 + 5_000, 1]]);
    await write({ __name__: 'up', job: 'web', instance: 'b' }, [[T0 + 5_000, STALE_NAN]]);
    await m.evaluate(g, T0 + 15_000);
    const web = read([new Matcher('=', '__name__', 'job:up:sum'), new Matcher('=', 'job', 'web')])[0]!;
    expect(web.points).toHaveLength(2);
    expect(isStaleNaN(web.points[1]![1])).toBe(true);
    expect((m.rulesApi() as { groups: { rules: { health: string }[] }[] }).groups[0]!.rules[0]!.health).toBe('ok');
  });

  it('moves alerts from pending to firing to resolved, writing ALERTS and notifying', async () => {
    const sent: Alert[] = [];
    await write({ __name__: 'up', job: 'api', instance: 'a' }, [[T0 - 5000, 0], [T0 + 55_000, 0], [T0 + 115_000, 1]]);
    const f = ruleFile('alert.yml', 'groups:\n  - name: g\n    rules:\n      - alert: InstanceDown\n        expr: up == 0\n        for: 1m\n        labels:\n          severity: page\n        annotations:\n          summary: "{{ $labels.instance }} of {{ $labels.job }} down, value {{ $value }}"\n');
    const m = manager([f], sent);
    await m.update([f], { start: false });
    const g = m.groups()[0]!;
    // The alert rule restores state after its first evaluation at start; nothing is stored yet.
    await m.evaluate(g, T0);
    let alerts = (m.alertsApi() as { alerts: { state: string; annotations: Record<string, string>; value: string }[] }).alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.state).toBe('pending');
    expect(alerts[0]!.annotations.summary).toBe('a of api down, value 0');
    expect(alerts[0]!.value).toBe('0e+00');
    expect(sent).toHaveLength(0);
    await m.evaluate(g, T0 + 60_000);
    alerts = (m.alertsApi() as typeof alerts extends infer A ? { alerts: A } : never).alerts;
    expect(alerts[0]!.state).toBe('firing');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.labels).toEqual({ alertname: 'InstanceDown', instance: 'a', job: 'api', severity: 'page' });
    expect(sent[0]!.startsAt).toBe(T0 + 60_000);
    expect(sent[0]!.generatorURL).toBe('http://prom:9090/graph?g0.expr=up%20%3D%3D%200&g0.tab=1');
    const firing = read([new Matcher('=', '__name__', 'ALERTS'), new Matcher('=', 'alertstate', 'firing')]);
    expect(firing[0]!.labels).toBe('{__name__="ALERTS", alertname="InstanceDown", alertstate="firing", instance="a", job="api", severity="page"}');
    const forState = read([new Matcher('=', '__name__', 'ALERTS_FOR_STATE')]);
    expect(forState[0]!.points.at(-1)![1]).toBe(T0 / 1000);
    // Condition clears: resolved, sent again with endsAt, ALERTS series go stale.
    await m.evaluate(g, T0 + 120_000);
    expect((m.alertsApi() as { alerts: unknown[] }).alerts).toHaveLength(0);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.endsAt).toBe(T0 + 120_000);
    const after = read([new Matcher('=', '__name__', 'ALERTS'), new Matcher('=', 'alertstate', 'firing')])[0]!;
    expect(isStaleNaN(after.points.at(-1)![1])).toBe(true);
  });

  it('restores the for state of a pending alert after a restart', async () => {
    // A previous run saw the alert pending since T0 - 120s and went down at T0 - 60s.
    await write({ __name__: 'up', job: 'api', instance: 'a' }, [[T0 - 5000, 0]]);
    await write(
      { __name__: 'ALERTS_FOR_STATE', alertname: 'Slow', instance: 'a', job: 'api' },
      [[T0 - 60_000, (T0 - 120_000) / 1000]],
    );
    const f = ruleFile('slow.yml', 'groups:\n  - name: g\n    rules:\n      - alert: Slow\n        expr: up == 0\n        for: 1h\n');
    const m = manager([f]);
    await m.update([f], { start: false });
    await m.evaluate(m.groups()[0]!, T0);
    const a = (m.alertsApi() as { alerts: { activeAt: string }[] }).alerts[0]!;
    // 60 s pending before the outage + the 60 s outage shifted: active since T0 - 60s.
    expect(a.activeAt).toBe(new Date(T0 - 60_000).toISOString());
  });

  it('keeps the running rules when a reload brings a bad file, and says where', async () => {
    const f = ruleFile('r.yml', 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: up\n');
    const m = manager([f]);
    await m.update([f], { start: false });
    writeFileSync(f, 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: up +\n');
    await expect(m.update([f], { start: false })).rejects.toThrow(RuleFileError);
    await expect(m.update([f], { start: false })).rejects.toThrow(/r\.yml: 5:15: group "g", rule 1, "x": could not parse expression/);
    expect(m.groups()).toHaveLength(1);
    expect(m.groups()[0]!.rules[0]!.def.exprText).toBe('up');
  });

  it('reports a failing rule in the API without stopping the group', async () => {
    await write({ __name__: 'up', job: 'api', instance: 'a' }, [[T0 - 5000, 1]]);
    await write({ __name__: 'up', job: 'api', instance: 'b' }, [[T0 - 5000, 1]]);
    const f = ruleFile('dup.yml', 'groups:\n  - name: g\n    rules:\n      - record: clash\n        expr: up\n        labels:\n          instance: same\n      - record: fine\n        expr: count(up)\n');
    const m = manager([f]);
    await m.update([f], { start: false });
    await m.evaluate(m.groups()[0]!, T0);
    const rules = (m.rulesApi() as { groups: { rules: { health: string; lastError?: string }[] }[] }).groups[0]!.rules;
    expect(rules[0]!.health).toBe('err');
    expect(rules[0]!.lastError).toBe('vector contains metrics with the same labelset after applying rule labels');
    expect(rules[1]!.health).toBe('ok');
  });

  it('expands rule_files globs', () => {
    ruleFile('a.rules.yml', 'groups: []\n');
    ruleFile('b.rules.yml', 'groups: []\n');
    ruleFile('c.txt', '');
    expect(expandRuleFiles([join(dir, '*.rules.yml')])).toEqual([join(dir, 'a.rules.yml'), join(dir, 'b.rules.yml')]);
  });
});
