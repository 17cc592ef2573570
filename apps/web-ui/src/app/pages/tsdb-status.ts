// TSDB status (/api/v1/status/tsdb): head statistics and the top-cardinality tables.
import { ApiError, apiGet, isRecord } from '../lib/api.js';
import { h, notice } from '../lib/dom.js';
import type { PageContext } from '../router.js';
import { errorNotice, keyValueTable, pageHeader } from './common.js';

interface Stat {
  name: string;
  value: number;
}

const TABLES: [key: string, title: string, column: string][] = [
  ['seriesCountByMetricName', 'Top series count by metric name', 'Count'],
  ['labelValueCountByLabelName', 'Top label names with value count', 'Count'],
  ['memoryInBytesByLabelName', 'Top label names with high memory usage', 'Bytes'],
  ['seriesCountByLabelValuePair', 'Top series count by label value pairs', 'Count'],
];

export function parseStats(v: unknown, where: string): Stat[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ApiError(`${where}: expected an array`, 200, 'bad_response', where);
  return v.map((s, i) => {
    if (!isRecord(s) || typeof s.name !== 'string' || typeof s.value !== 'number') {
      throw new ApiError(`${where}[${i}]: expected {"name": string, "value": number}`, 200, 'bad_response', where);
    }
    return { name: s.name, value: s.value };
  });
}

function count(v: unknown): string {
  return typeof v === 'number' ? v.toLocaleString('en-US') : '–';
}

function formatTime(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return 'no data';
  return new Date(ms).toISOString();
}

export async function tsdbStatusPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  root.append(pageHeader('TSDB status'));
  const body = h('div', { class: 'stack' }, notice('loading', 'Loading TSDB status…'));
  root.append(body);
  try {
    const data = await apiGet('status/tsdb', {}, ctx.signal);
    if (!isRecord(data)) throw new ApiError('status/tsdb: expected an object', 200, 'bad_response', 'status/tsdb');
    const head = isRecord(data.headStats) ? data.headStats : {};
    const sections: HTMLElement[] = [
      h(
        'section',
        { class: 'card' },
        h('h2', null, 'Head block'),
        keyValueTable([
          ['Number of series', count(head.numSeries)],
          ['Number of chunks', count(head.chunkCount)],
          ['Number of label pairs', count(head.numLabelPairs)],
          ['Current min time', formatTime(head.minTime)],
          ['Current max time', formatTime(head.maxTime)],
        ]),
      ),
    ];
    for (const [key, title, column] of TABLES) {
      const stats = parseStats(data[key], `status/tsdb.${key}`);
      sections.push(
        h(
          'section',
          { class: 'card', 'data-table': key },
          h('h2', null, title),
          stats.length === 0
            ? notice('empty', 'No data.')
            : h(
                'table',
                { class: 'data-table' },
                h('thead', null, h('tr', null, h('th', null, 'Name'), h('th', { class: 'num' }, column))),
                h('tbody', null, stats.map((s) => h('tr', null, h('td', null, h('code', null, s.name)), h('td', { class: 'num' }, s.value.toLocaleString('en-US'))))),
              ),
        ),
      );
    }
    body.replaceChildren(...sections);
  } catch (err) {
    body.replaceChildren(errorNotice(err));
  }
}
