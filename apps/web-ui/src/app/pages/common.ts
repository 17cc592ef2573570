// Pieces every page shares: the header, error and key/value blocks.
import { ApiError } from '../lib/api.js';
import { h, notice, type Child } from '../lib/dom.js';

export function pageHeader(title: string, ...extra: Child[]): HTMLElement {
  return h('div', { class: 'page-header' }, h('h1', null, title), ...extra);
}

/** A server without the endpoint (404 / not_found) is an empty state, not a failure. */
export function isMissingEndpoint(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 404 || err.errorType === 'not_found');
}

export function errorNotice(err: unknown): HTMLElement {
  const message = err instanceof Error ? err.message : String(err);
  const prefix = err instanceof ApiError ? `Error (${err.errorType}${err.status ? `, HTTP ${err.status}` : ''}): ` : 'Error: ';
  return notice('error', h('strong', null, prefix), message);
}

export function keyValueTable(rows: readonly (readonly [string, Child])[], caption?: string): HTMLElement {
  return h(
    'table',
    { class: 'data-table kv-table' },
    caption ? h('caption', null, caption) : null,
    h('tbody', null, rows.map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v)))),
  );
}
