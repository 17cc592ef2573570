// Query page state <-> URL, compatible with Prometheus' links:
// ?g0.expr=up&g0.tab=0&g0.range_input=1h&g0.end_input=2024-01-02%2003:04:05&g0.step_input=15&g0.stacked=1
// (tab 0 = graph, 1 = table in the classic UI; Prometheus 3 writes tab=graph|table and display_mode=stacked).
import { formatDuration, formatUtc, parseDuration, parseTime } from '../lib/time.js';

export type Tab = 'graph' | 'table';

export interface PanelState {
  expr: string;
  tab: Tab;
  /** Graph range in seconds. */
  range: number;
  /** Graph end (ms since epoch); null means "now". */
  endTime: number | null;
  /** Graph resolution in seconds; null means automatic. */
  resolution: number | null;
  stacked: boolean;
  /** Table evaluation time (ms); null means "now". */
  moment: number | null;
}

export const DEFAULT_RANGE = 3600;

export function defaultPanel(expr = ''): PanelState {
  return { expr, tab: 'table', range: DEFAULT_RANGE, endTime: null, resolution: null, stacked: false, moment: null };
}

function parseTab(v: string | undefined): Tab {
  return v === '0' || v === 'graph' ? 'graph' : 'table';
}

/** Reads every gN.* panel, ordered by N; at least one panel. Unknown or malformed values fall back to defaults. */
export function parsePanels(search: string): PanelState[] {
  const params = new URLSearchParams(search);
  const byIndex = new Map<number, Map<string, string>>();
  for (const [key, value] of params) {
    const m = /^g(\d+)\.([a-z_]+)$/.exec(key);
    if (!m) continue;
    const idx = Number(m[1]);
    let fields = byIndex.get(idx);
    if (!fields) byIndex.set(idx, (fields = new Map<string, string>()));
    fields.set(m[2]!, value);
  }
  const panels = [...byIndex.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, f]) => {
      const p = defaultPanel(f.get('expr') ?? '');
      p.tab = parseTab(f.get('tab'));
      const range = parseDuration(f.get('range_input') ?? '');
      if (range !== undefined) p.range = range;
      p.endTime = parseTime(f.get('end_input') ?? '') ?? null;
      p.moment = parseTime(f.get('moment_input') ?? '') ?? null;
      p.resolution = parseDuration(f.get('step_input') ?? '') ?? null;
      p.stacked = f.get('stacked') === '1' || f.get('display_mode') === 'stacked';
      return p;
    });
  return panels.length > 0 ? panels : [defaultPanel()];
}

export function serializePanels(panels: readonly PanelState[]): string {
  const params = new URLSearchParams();
  panels.forEach((p, i) => {
    const g = `g${i}.`;
    params.set(`${g}expr`, p.expr);
    params.set(`${g}tab`, p.tab === 'graph' ? '0' : '1');
    params.set(`${g}stacked`, p.stacked ? '1' : '0');
    params.set(`${g}range_input`, formatDuration(p.range));
    if (p.endTime !== null) params.set(`${g}end_input`, formatUtc(p.endTime));
    if (p.moment !== null) params.set(`${g}moment_input`, formatUtc(p.moment));
    if (p.resolution !== null) params.set(`${g}step_input`, String(p.resolution));
  });
  return params.toString();
}
