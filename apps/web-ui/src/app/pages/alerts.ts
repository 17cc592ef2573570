// Alerting rules by state (firing, pending, inactive) with their active alerts, from /api/v1/rules?type=alert.
import { h, notice } from '../lib/dom.js';
import { labelBadges } from '../lib/labels-view.js';
import { fetchRules, type Rule } from '../lib/rules-api.js';
import { formatAgo, formatDuration } from '../lib/time.js';
import type { PageContext } from '../router.js';
import { errorNotice, isMissingEndpoint, pageHeader } from './common.js';
import { queryLink } from './rules.js';

const STATES = ['firing', 'pending', 'inactive'] as const;

function alertRule(r: Rule, group: string): HTMLElement {
  return h(
    'details',
    { class: `card alert-rule state-${r.state}`, 'data-state': r.state },
    h(
      'summary',
      null,
      h('span', { class: `badge state-badge state-${r.state}` }, r.state.toUpperCase()),
      h('strong', null, r.name),
      h('span', { class: 'muted' }, ` ${group} · ${r.alerts.length} active`),
    ),
    h('div', { class: 'rule-expr' }, queryLink(r.query)),
    r.duration > 0 ? h('div', { class: 'muted' }, `for: ${formatDuration(r.duration)}`) : null,
    Object.keys(r.labels).length > 0 ? labelBadges(r.labels) : null,
    r.lastError ? notice('error', r.lastError) : null,
    r.alerts.length > 0
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data-table responsive-table' },
            h('thead', null, h('tr', null, ['Labels', 'State', 'Active since', 'Value'].map((c) => h('th', null, c)))),
            h(
              'tbody',
              null,
              r.alerts.map((a) => {
                const t = Date.parse(a.activeAt);
                return h(
                  'tr',
                  null,
                  h('td', { 'data-label': 'Labels' }, labelBadges(a.labels)),
                  h('td', { 'data-label': 'State' }, h('span', { class: `badge state-badge state-${a.state}` }, a.state.toUpperCase())),
                  h('td', { 'data-label': 'Active since', title: a.activeAt }, Number.isNaN(t) ? '–' : formatAgo(t)),
                  h('td', { 'data-label': 'Value', class: 'num' }, a.value),
                );
              }),
            ),
          ),
        )
      : null,
  );
}

export async function alertsPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  const filters = Object.fromEntries(STATES.map((s) => [s, h('input', { type: 'checkbox', checked: true, 'aria-label': `Show ${s}` })])) as Record<
    (typeof STATES)[number],
    HTMLInputElement
  >;
  const counts = h('div', { class: 'toolbar' }, STATES.map((s) => h('label', { class: 'control checkbox' }, filters[s], h('span', { 'data-count': s }, s))));
  const body = h('div', { class: 'stack' }, notice('loading', 'Loading alerts…'));
  root.append(pageHeader('Alerts', counts), body);
  // The state filters only mean something once there are alerting rules.
  counts.hidden = true;
  try {
    const groups = await fetchRules('alert', ctx.signal);
    const rules = groups.flatMap((g) => g.rules.filter((r) => r.type === 'alerting').map((r) => ({ r, group: g.name })));
    for (const s of STATES) {
      const n = rules.filter(({ r }) => r.state === s).length;
      const label = counts.querySelector(`[data-count="${s}"]`);
      if (label) label.textContent = `${s[0]!.toUpperCase()}${s.slice(1)} (${n})`;
    }
    if (rules.length === 0) {
      body.replaceChildren(notice('empty', 'No alerting rules are configured. Add rule_files with alerting rules to the configuration.'));
      return;
    }
    counts.hidden = false;
    const render = () => {
      const shown = STATES.flatMap((s) => (filters[s].checked ? rules.filter(({ r }) => r.state === s) : []));
      body.replaceChildren(...(shown.length > 0 ? shown.map(({ r, group }) => alertRule(r, group)) : [notice('empty', 'No alerting rule in the selected states.')]));
    };
    for (const s of STATES) filters[s].addEventListener('change', render);
    render();
  } catch (err) {
    if (isMissingEndpoint(err)) {
      body.replaceChildren(notice('empty', 'This server does not evaluate rules (it has no /api/v1/rules endpoint), so there are no alerts to show.'));
      return;
    }
    body.replaceChildren(errorNotice(err));
  }
}
