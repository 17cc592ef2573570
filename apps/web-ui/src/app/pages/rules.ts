// Rule groups (/api/v1/rules): each rule's query, health, last evaluation and error.
import { h, notice } from '../lib/dom.js';
import { healthBadge, labelBadges } from '../lib/labels-view.js';
import { fetchRules, type Rule } from '../lib/rules-api.js';
import { formatAgo, formatDuration } from '../lib/time.js';
import { serializePanels, defaultPanel } from '../query/url-state.js';
import type { PageContext } from '../router.js';
import { errorNotice, isMissingEndpoint, pageHeader } from './common.js';

/** A link that opens the expression on the query page, as a graph. */
export function queryLink(expr: string): HTMLAnchorElement {
  return h('a', { href: `query?${serializePanels([{ ...defaultPanel(expr), tab: 'graph' }])}`, class: 'expr-link' }, h('code', null, expr));
}

function ago(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) || t <= 0 ? 'never' : formatAgo(t);
}

function ruleBlock(r: Rule): HTMLElement {
  return h(
    'div',
    { class: 'rule' },
    h(
      'div',
      { class: 'rule-head' },
      h('span', { class: 'badge rule-type' }, r.type === 'alerting' ? 'alert' : 'record'),
      h('strong', null, r.name),
      healthBadge(r.health),
      h('span', { class: 'muted' }, `evaluated ${ago(r.lastEvaluation)}${Number.isNaN(r.evaluationTime) ? '' : ` in ${(r.evaluationTime * 1000).toFixed(2)} ms`}`),
    ),
    h('div', { class: 'rule-expr' }, queryLink(r.query)),
    r.type === 'alerting' && r.duration > 0 ? h('div', { class: 'muted' }, `for: ${formatDuration(r.duration)}`) : null,
    Object.keys(r.labels).length > 0 ? labelBadges(r.labels) : null,
    Object.keys(r.annotations).length > 0 ? h('dl', { class: 'annotations' }, Object.entries(r.annotations).map(([k, v]) => [h('dt', null, k), h('dd', null, v)])) : null,
    r.lastError ? notice('error', r.lastError) : null,
  );
}

export async function rulesPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  const body = h('div', { class: 'stack' }, notice('loading', 'Loading rules…'));
  root.append(pageHeader('Rules'), body);
  try {
    const groups = await fetchRules(undefined, ctx.signal);
    if (groups.length === 0) {
      body.replaceChildren(notice('empty', 'No rule groups are configured. Add rule_files to the configuration to record or alert.'));
      return;
    }
    body.replaceChildren(
      ...groups.map((g) =>
        h(
          'section',
          { class: 'card rule-group' },
          h(
            'div',
            { class: 'group-head' },
            h('h2', null, g.name),
            h('span', { class: 'muted' }, [g.file, Number.isNaN(g.interval) ? '' : `every ${formatDuration(g.interval)}`, `last run ${ago(g.lastEvaluation)}`].filter(Boolean).join(' · ')),
          ),
          g.rules.length === 0 ? notice('empty', 'This group has no rules.') : g.rules.map(ruleBlock),
        ),
      ),
    );
  } catch (err) {
    if (isMissingEndpoint(err)) {
      body.replaceChildren(notice('empty', 'This server does not evaluate rules (it has no /api/v1/rules endpoint), so there are no rules to show.'));
      return;
    }
    body.replaceChildren(errorNotice(err));
  }
}
