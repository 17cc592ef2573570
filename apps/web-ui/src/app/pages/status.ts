// Runtime and build information (/api/v1/status/runtimeinfo, /api/v1/status/buildinfo).
import { ApiError, apiGet, isRecord } from '../lib/api.js';
import { h } from '../lib/dom.js';
import type { PageContext } from '../router.js';
import { errorNotice, keyValueTable, pageHeader } from './common.js';

const RUNTIME_LABELS: Record<string, string> = {
  startTime: 'Start time',
  CWD: 'Working directory',
  reloadConfigSuccess: 'Configuration reload',
  lastConfigTime: 'Last successful configuration reload',
  corruptionCount: 'WAL corruptions',
  goroutineCount: 'Goroutines',
  GOMAXPROCS: 'GOMAXPROCS',
  GOGC: 'GOGC',
  GODEBUG: 'GODEBUG',
  storageRetention: 'Storage retention',
};
const BUILD_LABELS: Record<string, string> = {
  version: 'Version',
  revision: 'Revision',
  branch: 'Branch',
  buildUser: 'Build user',
  buildDate: 'Build date',
  goVersion: 'Go version',
};

function display(key: string, v: unknown): string {
  if (key === 'reloadConfigSuccess' && typeof v === 'boolean') return v ? 'Successful' : 'Unsuccessful';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function infoRows(data: unknown, names: Record<string, string>, where: string): [string, string][] {
  if (!isRecord(data)) throw new ApiError(`${where}: expected an object`, 200, 'bad_response', where);
  // Known fields first in their usual order, then whatever else the server adds.
  const known = Object.keys(names).filter((k) => k in data);
  const extra = Object.keys(data).filter((k) => !(k in names)).sort();
  return [...known, ...extra].map((k) => [names[k] ?? k, display(k, data[k])]);
}

async function section(title: string, path: string, names: Record<string, string>, signal: AbortSignal): Promise<HTMLElement> {
  try {
    const data = await apiGet(path, {}, signal);
    return h('section', { class: 'card' }, h('h2', null, title), keyValueTable(infoRows(data, names, path)));
  } catch (err) {
    return h('section', { class: 'card' }, h('h2', null, title), errorNotice(err));
  }
}

export async function statusPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  root.append(pageHeader('Runtime & build information'));
  const [runtime, build] = await Promise.all([
    section('Runtime information', 'status/runtimeinfo', RUNTIME_LABELS, ctx.signal),
    section('Build information', 'status/buildinfo', BUILD_LABELS, ctx.signal),
  ]);
  root.append(h('div', { class: 'grid-2' }, runtime, build));
}
