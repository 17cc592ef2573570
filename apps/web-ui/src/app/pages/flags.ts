// Command-line flags (/api/v1/status/flags), filterable.
import { ApiError, apiGet, isRecord } from '../lib/api.js';
import { h, notice } from '../lib/dom.js';
import type { PageContext } from '../router.js';
import { errorNotice, pageHeader } from './common.js';

export async function flagsPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  const filter = h('input', { type: 'search', class: 'input', placeholder: 'Filter flags', 'aria-label': 'Filter flags' });
  const body = h('div', null, notice('loading', 'Loading flags…'));
  root.append(pageHeader('Command-line flags', h('div', { class: 'toolbar' }, filter)), body);
  let flags: [string, string][];
  try {
    const data = await apiGet('status/flags', {}, ctx.signal);
    if (!isRecord(data)) throw new ApiError('status/flags: expected an object', 200, 'bad_response', 'status/flags');
    flags = Object.entries(data)
      .map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)])
      .sort((a, b) => a[0].localeCompare(b[0]));
  } catch (err) {
    body.replaceChildren(errorNotice(err));
    return;
  }
  const render = () => {
    const f = filter.value.trim().toLowerCase();
    const rows = flags.filter(([k, v]) => f === '' || k.toLowerCase().includes(f) || v.toLowerCase().includes(f));
    body.replaceChildren(
      rows.length === 0
        ? notice('empty', flags.length === 0 ? 'The server reports no flags.' : 'No flag matches the filter.')
        : h(
            'div',
            { class: 'card table-wrap' },
            h(
              'table',
              { class: 'data-table kv-table' },
              h('thead', null, h('tr', null, h('th', null, 'Flag'), h('th', null, 'Value'))),
              h('tbody', null, rows.map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, h('code', null, `--${k}`)), h('td', null, h('code', null, v))))),
            ),
          ),
    );
  };
  filter.addEventListener('input', render);
  render();
}
