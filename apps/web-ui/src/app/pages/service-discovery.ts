// Service discovery: every discovered target per pool, its labels before relabeling and what they became
// (or "Dropped"), from /api/v1/targets?state=any.
import { h, notice } from '../lib/dom.js';
import { labelBadges } from '../lib/labels-view.js';
import { fetchTargets, groupByPool } from '../lib/targets-api.js';
import type { PageContext } from '../router.js';
import { errorNotice, pageHeader } from './common.js';

interface Row {
  scrapePool: string;
  discovered: Record<string, string>;
  labels: Record<string, string> | null;
}

export async function serviceDiscoveryPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  const body = h('div', { class: 'pools' }, notice('loading', 'Loading service discovery…'));
  root.append(pageHeader('Service discovery'), body);
  try {
    const data = await fetchTargets('any', ctx.signal);
    const rows: Row[] = [
      ...data.activeTargets.map((t) => ({ scrapePool: t.scrapePool, discovered: t.discoveredLabels, labels: t.labels })),
      ...data.droppedTargets.map((t) => ({ scrapePool: t.scrapePool, discovered: t.discoveredLabels, labels: null })),
    ];
    const pools = groupByPool(rows);
    if (pools.size === 0) {
      body.replaceChildren(notice('empty', 'Nothing discovered yet.'));
      return;
    }
    const index = h(
      'ul',
      { class: 'pool-index' },
      [...pools].map(([pool, list]) => {
        const active = list.filter((r) => r.labels !== null).length;
        return h('li', null, h('a', { href: `#sd-${encodeURIComponent(pool)}` }, pool), h('span', { class: 'muted' }, ` (${active} / ${list.length} active targets)`));
      }),
    );
    const sections = [...pools].map(([pool, list]) =>
      h(
        'details',
        { class: 'pool card', open: true, id: `sd-${encodeURIComponent(pool)}` },
        h('summary', null, h('span', { class: 'pool-name' }, pool)),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data-table responsive-table sd-table' },
            h('thead', null, h('tr', null, h('th', null, 'Discovered labels'), h('th', null, 'Target labels'))),
            h(
              'tbody',
              null,
              list.map((r) =>
                h(
                  'tr',
                  { 'data-dropped': String(r.labels === null) },
                  h('td', { 'data-label': 'Discovered labels' }, labelBadges(r.discovered)),
                  h('td', { 'data-label': 'Target labels' }, r.labels === null ? h('span', { class: 'badge health-unknown' }, 'Dropped') : labelBadges(r.labels)),
                ),
              ),
            ),
          ),
        ),
      ),
    );
    body.replaceChildren(h('section', { class: 'card' }, h('h2', null, 'Scrape pools'), index), ...sections);
  } catch (err) {
    body.replaceChildren(errorNotice(err));
  }
}
