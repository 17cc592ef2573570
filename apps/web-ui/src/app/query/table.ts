// Table view of an instant query: one row per series, like Prometheus' "Table" tab.
import { h, notice } from '../lib/dom.js';
import { formatUtc } from '../lib/time.js';
import type { HistogramPoint, Metric, QueryResult } from './result.js';

/** Rendering thousands of DOM rows stalls the page; Prometheus' UI caps the same way. */
export const TABLE_ROW_LIMIT = 10000;

export function seriesCell(metric: Metric): HTMLElement {
  const labels = Object.entries(metric).filter(([k]) => k !== '__name__');
  return h(
    'span',
    { class: 'series' },
    metric.__name__ !== undefined ? h('span', { class: 'series-name' }, metric.__name__) : null,
    '{',
    labels.map(([k, v], i) => [
      h('span', { class: 'label-name' }, k),
      '=',
      h('span', { class: 'label-value' }, JSON.stringify(v)),
      i < labels.length - 1 ? ', ' : null,
    ]),
    '}',
  );
}

function histogramCell(hp: HistogramPoint): HTMLElement {
  return h(
    'div',
    { class: 'histogram' },
    h('div', null, `count ${hp.count}, sum ${hp.sum}`),
    hp.buckets.length > 0
      ? h(
          'details',
          null,
          h('summary', null, `${hp.buckets.length} buckets`),
          h(
            'ul',
            { class: 'buckets' },
            hp.buckets.map((b) => {
              const open = b.boundaryRule === 0 || b.boundaryRule === 2 ? '(' : '[';
              const close = b.boundaryRule === 0 || b.boundaryRule === 1 ? ']' : ')';
              return h('li', null, `${open}${b.lower}, ${b.upper}${close}: ${b.count}`);
            }),
          ),
        )
      : null,
  );
}

export function renderTable(result: QueryResult, limit = TABLE_ROW_LIMIT): HTMLElement {
  if (result.resultType === 'scalar' || result.resultType === 'string') {
    return h(
      'table',
      { class: 'data-table result-table' },
      h('tbody', null, h('tr', null, h('td', null, h('span', { class: 'muted' }, result.resultType)), h('td', { class: 'num' }, result.result[1]))),
    );
  }
  if (result.result.length === 0) return notice('empty', 'Empty query result');
  const rows: HTMLElement[] = [];
  if (result.resultType === 'vector') {
    for (const s of result.result.slice(0, limit)) {
      rows.push(
        h('tr', null, h('td', null, seriesCell(s.metric)), h('td', { class: 'num' }, s.histogram ? histogramCell(s.histogram) : (s.value?.[1] ?? ''))),
      );
    }
  } else {
    for (const s of result.result.slice(0, limit)) {
      const points = [
        ...s.values.map(([t, v]) => h('div', null, `${v} @${t}`)),
        ...s.histograms.map((hp) => h('div', null, `count ${hp.count}, sum ${hp.sum} @${hp.t}`)),
      ];
      rows.push(h('tr', null, h('td', null, seriesCell(s.metric)), h('td', { class: 'num points' }, points)));
    }
  }
  return h(
    'div',
    { class: 'table-wrap' },
    result.result.length > limit
      ? notice('info', `Showing ${limit} of ${result.result.length} series; narrow the query to see the rest.`)
      : null,
    h(
      'table',
      { class: 'data-table result-table' },
      h('thead', null, h('tr', null, h('th', null, 'Series'), h('th', { class: 'num' }, 'Value'))),
      h('tbody', null, rows),
    ),
  );
}

export function describeEvalTime(moment: number | null): string {
  return moment === null ? 'now' : `${formatUtc(moment)} UTC`;
}
