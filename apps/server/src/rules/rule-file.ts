// Prometheus' rule-group files (rulefmt): groups of recording and alerting rules. Every
// problem in a file is collected and reported with the line, the group and the rule, the way
// `promtool check rules` reports them, so a bad file can be fixed in one pass.
import { parseExpr, parseDuration, type Expr } from '@promethium/promql';
import { ConfigError, parseYaml, type YamlNode } from '@promethium/web-toolkit';
import { checkTemplate } from './template/expand.js';

export interface RuleDef {
  kind: 'record' | 'alert';
  name: string;
  expr: Expr;
  exprText: string;
  forMs: number;
  keepFiringForMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface GroupDef {
  name: string;
  file: string;
  intervalMs: number | undefined;
  queryOffsetMs: number | undefined;
  limit: number;
  labels: Record<string, string>;
  rules: RuleDef[];
}

export interface RuleProblem {
  file: string;
  line: number | undefined;
  col: number | undefined;
  message: string;
}

export class RuleFileError extends Error {
  constructor(readonly problems: RuleProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'RuleFileError';
  }
}

export function formatProblem(p: RuleProblem): string {
  return `${p.file}: ${p.line !== undefined ? `${p.line}:${p.col ?? 1}: ` : ''}${p.message}`;
}

const GROUP_FIELDS = ['name', 'interval', 'query_offset', 'limit', 'labels', 'rules'];
const RULE_FIELDS = ['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'];

function validUtf8Name(s: string): boolean {
  // Prometheus 3 accepts any non-empty UTF-8 metric and label name.
  return s.length > 0 && !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
}

export function parseRuleFile(text: string, file: string): GroupDef[] {
  const problems: RuleProblem[] = [];
  const add = (node: YamlNode | undefined, message: string): void => {
    const pos = node?.position();
    problems.push({ file, line: pos?.[0], col: pos?.[1], message });
  };
  let root: YamlNode;
  try {
    root = parseYaml(text, file);
  } catch (e) {
    const ce = e as ConfigError;
    throw new RuleFileError([{ file, line: ce.line, col: undefined, message: ce.reason }]);
  }
  const groups: GroupDef[] = [];
  const seen = new Set<string>();
  try {
    root.entries(['groups']);
    const list = root.get('groups')?.list() ?? [];
    for (const gNode of list) {
      gNode.entries(GROUP_FIELDS);
      const name = gNode.get('name')?.string() ?? '';
      if (name === '') {
        add(gNode, 'Groupname must not be empty');
        continue;
      }
      if (seen.has(name)) add(gNode, `groupname: "${name}" is repeated in the same file`);
      seen.add(name);
      const group: GroupDef = {
        name,
        file,
        intervalMs: durationField(gNode, 'interval', add),
        queryOffsetMs: durationField(gNode, 'query_offset', add),
        limit: 0,
        labels: stringMap(gNode.get('labels'), `group "${name}"`, 'label', add),
        rules: [],
      };
      const limitNode = gNode.get('limit');
      if (limitNode && !limitNode.isNull) {
        const n = Number(limitNode.string());
        if (!Number.isInteger(n) || n < 0) add(limitNode, `group "${name}": limit must be a non-negative integer`);
        else group.limit = n;
      }
      gNode.get('rules')?.list().forEach((rNode, idx) => {
        const rule = parseRule(rNode, `group "${name}", rule ${idx + 1}`, add);
        if (rule) group.rules.push(rule);
      });
      groups.push(group);
    }
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push({ file, line: e.line, col: undefined, message: `${e.field ? `${e.field}: ` : ''}${e.reason}` });
  }
  if (problems.length > 0) throw new RuleFileError(problems);
  return groups;
}

function parseRule(node: YamlNode, where: string, add: (n: YamlNode | undefined, m: string) => void): RuleDef | undefined {
  node.entries(RULE_FIELDS);
  const record = node.get('record');
  const alert = node.get('alert');
  const name = (record ?? alert)?.string() ?? '';
  const ctx = `${where}, "${alert?.string() ?? name}"`;
  let ok = true;
  const bad = (n: YamlNode | undefined, m: string): void => {
    ok = false;
    add(n, `${ctx}: ${m}`);
  };
  if (record && alert) bad(alert, "only one of 'record' and 'alert' must be set");
  else if (!record && !alert) bad(undefined, "one of 'record' or 'alert' must be set");
  const exprNode = node.get('expr');
  const exprText = exprNode?.string() ?? '';
  let expr: Expr | undefined;
  if (exprText === '') bad(undefined, "field 'expr' must be set in rule");
  else {
    try {
      expr = parseExpr(exprText);
    } catch (e) {
      bad(exprNode, `could not parse expression: ${(e as Error).message}`);
    }
  }
  if (record) {
    if (!validUtf8Name(name)) bad(record, `invalid recording rule name: ${name}`);
    for (const f of ['for', 'keep_firing_for', 'annotations']) {
      if (node.get(f)) bad(record, `invalid field '${f}' in recording rule`);
    }
  }
  const labels = stringMap(node.get('labels'), ctx, 'label', (n, m) => bad(n, m.replace(`${ctx}: `, '')));
  if ('__name__' in labels) bad(node.get('labels'), 'invalid label name: __name__');
  const annotations = stringMap(node.get('annotations'), ctx, 'annotation', (n, m) => bad(n, m.replace(`${ctx}: `, '')));
  if (alert) {
    const tname = `__alert_${name}`;
    for (const [kind, map] of [['label', labels], ['annotation', annotations]] as const) {
      for (const [k, v] of Object.entries(map)) {
        try {
          checkTemplate(tname, v);
        } catch (e) {
          bad(undefined, `${kind} "${k}": ${(e as Error).message}`);
        }
      }
    }
  }
  const forMs = durationField(node, 'for', (n, m) => bad(n, m)) ?? 0;
  const keepFiringForMs = durationField(node, 'keep_firing_for', (n, m) => bad(n, m)) ?? 0;
  if (!ok || !expr) return undefined;
  return { kind: record ? 'record' : 'alert', name, expr, exprText, forMs, keepFiringForMs, labels, annotations };
}

function durationField(node: YamlNode, field: string, add: (n: YamlNode | undefined, m: string) => void): number | undefined {
  const n = node.get(field);
  if (!n || n.isNull) return undefined;
  const s = n.string();
  try {
    return parseDuration(s);
  } catch {
    add(n, `invalid ${field} "${s}": not a valid duration string (e.g. 30s, 5m, 1h30m)`);
    return undefined;
  }
}

function stringMap(node: YamlNode | undefined, ctx: string, kind: string, add: (n: YamlNode | undefined, m: string) => void): Record<string, string> {
  const out: Record<string, string> = {};
  if (!node) return out;
  for (const [k, v] of node.entries()) {
    if (!validUtf8Name(k)) add(v, `${ctx}: invalid ${kind} name: ${k}`);
    out[k] = v.string();
  }
  return out;
}
