// Targets by scrape pool: health, last scrape, duration, error, labels after and before relabeling.
import { h, notice } from '../lib/dom.js';
import { healthBadge, labelBadges } from '../lib/labels-view.js';
import { fetchTargets, groupByPool, type ActiveTarget } from '../lib/targets-api.js';
import { formatAgo } from '../lib/time.js';
import type { PageContext } from '../router.js';
import { errorNotice, pageHeader } from './common.js';

function matches(t: ActiveTarget, filter: string): boolean {
  if (filter === '') return true;
  const f = filter.toLowerCase();
  return t.scrapeUrl.toLowerCase().includes(f) || Object.entries(t.labels).some(([k, v]) => `${k}="${v}"`.toLowerCase().includes(f));
}

function targetRow(t: ActiveTarget): HTMLElement {
  return h(
    'tr',
    { 'data-health': t.health },
    h('td', { 'data-label': 'Endpoint' }, h('a', { href: t.globalUrl || t.scrapeUrl, rel: 'noreferrer', class: 'endpoint' }, t.scrapeUrl)),
    h('td', { 'data-label': 'State' }, healthBadge(t.health)),
    h(
      'td',
      { 'data-label': 'Labels' },
      labelBadges(t.labels),
      Object.keys(t.discoveredLabels).length > 0
        ? h('details', { class: 'discovered' }, h('summary', null, 'Before relabeling'), labelBadges(t.discoveredLabels))
        : null,
    ),
    h('td', { 'data-label': 'Last scrape', title: Number.isNaN(t.lastScrape) ? '' : new Date(t.lastScrape).toISOString() }, Number.isNaN(t.lastScrape) ? 'never' : formatAgo(t.lastScrape)),
    h('td', { 'data-label': 'Scrape duration', class: 'num' }, Number.isNaN(t.lastScrapeDuration) ? '–' : `${(t.lastScrapeDuration * 1000).toFixed(1)} ms`),
    h('td', { 'data-label': 'Error', class: 'error-cell' }, t.lastError),
  );
}

export async function targetsPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  const search = h('input', { type: 'search', class: 'input', placeholder: 'Filter by endpoint or labels', 'aria-label': 'Filter targets' });
  const unhealthy = h('input', { type: 'checkbox', 'aria-label': 'Unhealthy only' });
  const refresh = h('button', { type: 'button', class: 'btn' }, 'Refresh');
  const content = h('div', { class: 'pools' }, notice('loading', 'Loading targets…'));
  root.append(
    pageHeader('Targets', h('div', { class: 'toolbar' }, search, h('label', { class: 'control checkbox' }, unhealthy, h('span', null, 'Unhealthy only')), refresh)),
    content,
  );
  let targets: ActiveTarget[] = [];
  const render = () => {
    const filter = search.value.trim();
    const pools = groupByPool(targets);
    if (pools.size === 0) {
      content.replaceChildren(notice('empty', 'No targets. Add scrape_configs to the configuration file.'));
      return;
    }
    const sections: HTMLElement[] = [];
    for (const [pool, list] of pools) {
      const up = list.filter((t) => t.health === 'up').length;
      const shown = list.filter((t) => matches(t, filter) && (!unhealthy.checked || t.health !== 'up'));
      if (shown.length === 0 && (filter !== '' || unhealthy.checked)) continue;
      sections.push(
        h(
          'details',
          { class: 'pool card', open: true, 'data-pool': pool },
          h(
            'summary',
            null,
            h('span', { class: 'pool-name' }, pool),
            h('span', { class: `badge ${up === list.length ? 'health-ok' : 'health-bad'}` }, `${up} / ${list.length} up`),
          ),
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'data-table targets-table responsive-table' },
              h(
                'thead',
                null,
                h('tr', null, ['Endpoint', 'State', 'Labels', 'Last scrape', 'Scrape duration', 'Error'].map((c) => h('th', null, c))),
              ),
              h('tbody', null, shown.map(targetRow)),
            ),
          ),
        ),
      );
    }
    content.replaceChildren(...(sections.length > 0 ? sections : [notice('empty', 'No targets match the filter.')]));
  };
  const load = async () => {
    try {
      const data = await fetchTargets('active', ctx.signal);
      targets = data.activeTargets;
      render();
    } catch (err) {
      if (!ctx.signal.aborted) content.replaceChildren(errorNotice(err));
    }
  };
  search.addEventListener('input', render);
  unhealthy.addEventListener('change', render);
  refresh.addEventListener('click', () => void load());
  await load();
}
