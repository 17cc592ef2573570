// /api/v1/rules and /api/v1/alerts, validated.
import { ApiError, apiGet, asArray, asLabels, isRecord } from './api.js';

export interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  activeAt: string;
  value: string;
}

export interface Rule {
  type: 'alerting' | 'recording';
  name: string;
  query: string;
  health: string;
  lastError: string;
  evaluationTime: number;
  lastEvaluation: string;
  labels: Record<string, string>;
  /** Alerting rules only. */
  state: string;
  duration: number;
  annotations: Record<string, string>;
  alerts: Alert[];
}

export interface RuleGroup {
  name: string;
  file: string;
  interval: number;
  evaluationTime: number;
  lastEvaluation: string;
  rules: Rule[];
}

function bad(where: string, what: string): ApiError {
  return new ApiError(`${where}: ${what}`, 200, 'bad_response', where);
}
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown): number => (typeof v === 'number' ? v : NaN);

export function parseAlert(a: unknown, where: string): Alert {
  if (!isRecord(a)) throw bad(where, 'expected an object');
  return {
    labels: asLabels(a.labels ?? {}, `${where}.labels`),
    annotations: asLabels(a.annotations ?? {}, `${where}.annotations`),
    state: str(a.state),
    activeAt: str(a.activeAt),
    value: typeof a.value === 'number' ? String(a.value) : str(a.value),
  };
}

export function parseRules(data: unknown): RuleGroup[] {
  if (!isRecord(data)) throw bad('rules', 'expected an object');
  return asArray(data.groups ?? [], 'groups').map((g, i) => {
    const w = `groups[${i}]`;
    if (!isRecord(g) || typeof g.name !== 'string') throw bad(w, 'expected a group with a name');
    return {
      name: g.name,
      file: str(g.file),
      interval: num(g.interval),
      evaluationTime: num(g.evaluationTime),
      lastEvaluation: str(g.lastEvaluation),
      rules: asArray(g.rules ?? [], `${w}.rules`).map((r, j): Rule => {
        const rw = `${w}.rules[${j}]`;
        if (!isRecord(r) || typeof r.name !== 'string' || typeof r.query !== 'string') throw bad(rw, 'expected a rule with name and query');
        if (r.type !== 'alerting' && r.type !== 'recording') throw bad(`${rw}.type`, 'expected "alerting" or "recording"');
        return {
          type: r.type,
          name: r.name,
          query: r.query,
          health: str(r.health, 'unknown'),
          lastError: str(r.lastError),
          evaluationTime: num(r.evaluationTime),
          lastEvaluation: str(r.lastEvaluation),
          labels: asLabels(r.labels ?? {}, `${rw}.labels`),
          state: str(r.state, 'inactive'),
          duration: num(r.duration),
          annotations: asLabels(r.annotations ?? {}, `${rw}.annotations`),
          alerts: asArray(r.alerts ?? [], `${rw}.alerts`).map((a, k) => parseAlert(a, `${rw}.alerts[${k}]`)),
        };
      }),
    };
  });
}

export async function fetchRules(type: 'alert' | 'record' | undefined, signal: AbortSignal): Promise<RuleGroup[]> {
  return parseRules(await apiGet('rules', { type }, signal));
}

export async function fetchAlerts(signal: AbortSignal): Promise<Alert[]> {
  const data = await apiGet('alerts', {}, signal);
  if (!isRecord(data)) throw bad('alerts', 'expected an object');
  return asArray(data.alerts ?? [], 'alerts').map((a, i) => parseAlert(a, `alerts[${i}]`));
}
