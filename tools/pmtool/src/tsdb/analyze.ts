// promtool's `tsdb analyze` report for one block: churn (how much of the block's time range
// each label pair's series leave uncovered), label pair counts, label value lengths and
// cardinalities, and with --extended the chunk fullness histogram. Ties are listed by key
// (promtool's order among equal counts is random).
import type { Block, Matcher } from '@promethium/tsdb-core';
import { chunkSampleCount, postingsForMatchers } from '@promethium/tsdb-core';
import { goDuration } from './go-format.js';

export interface AnalyzeOptions {
  limit: number;
  extended: boolean;
  /** Restricts the analysis to matching series (promtool 3's --match). */
  matchers?: { text: string; matchers: Matcher[] };
  /** Called every `progressEvery` series with (done, total). */
  onProgress?: (done: number, total: number) => void;
  progressEvery?: number;
}

const utf8Len = (s: string) => Buffer.byteLength(s, 'utf8');

export function analyzeBlock(block: Block, opts: AnalyzeOptions): string {
  const out: string[] = [];
  const meta = block.meta;
  const span = meta.maxTime - meta.minTime;
  const ir = block.index;
  out.push(`Block ID: ${meta.ulid}`, `Duration: ${goDuration(span)}`, `Series: ${meta.stats.numSeries ?? 0}`);
  if (opts.matchers) out.push(`Matcher: ${opts.matchers.text}`);
  const refs = opts.matchers ? postingsForMatchers(ir, opts.matchers.matchers) : ir.allPostings();
  const matched = opts.matchers ? new Set(refs) : undefined;

  const labelsUncovered = new Map<string, number>();
  const pairsUncovered = new Map<string, number>();
  const pairsCount = new Map<string, number>();
  const valuesByName = new Map<string, Set<string>>();
  let entries = 0;
  let done = 0;
  for (const ref of refs) {
    const s = ir.series(ref);
    const first = s.chunks[0];
    const last = s.chunks[s.chunks.length - 1];
    const uncovered = first && last ? span - (last.maxt - first.mint) : span;
    s.labels.forEach((name, value) => {
      const key = `${name}=${value}`;
      labelsUncovered.set(name, (labelsUncovered.get(name) ?? 0) + uncovered);
      pairsUncovered.set(key, (pairsUncovered.get(key) ?? 0) + uncovered);
      pairsCount.set(key, (pairsCount.get(key) ?? 0) + 1);
      if (matched) {
        let vs = valuesByName.get(name);
        if (!vs) valuesByName.set(name, (vs = new Set()));
        vs.add(value);
      }
      entries++;
    });
    if (opts.onProgress && ++done % (opts.progressEvery ?? 100_000) === 0) opts.onProgress(done, refs.length);
  }
  // Label names and values: the whole index, or only those of matching series.
  const names = matched ? [...valuesByName.keys()].sort() : ir.labelNames();
  const valuesOf = (n: string) => (matched ? [...(valuesByName.get(n) ?? [])] : ir.labelValues(n));
  out.push(`Label names: ${names.length}`);
  if (matched) out.push(`Matched series: ${refs.length}`);
  out.push(`Postings (unique label pairs): ${pairsUncovered.size}`, `Postings entries (total label pairs): ${entries}`);

  const section = (title: string, rows: Iterable<[string, number]>) => {
    const list = [...rows].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    out.push('', `${title}:`, ...list.slice(0, opts.limit).map(([k, n]) => `${n} ${k}`));
  };
  const churn = (m: Map<string, number>) => [...m].map(([k, v]): [string, number] => [k, span > 0 ? Math.floor(v / span) : 0]);
  section('Label pairs most involved in churning', churn(pairsUncovered));
  section('Label names most involved in churning', churn(labelsUncovered));
  section('Most common label pairs', pairsCount);
  section('Label names with highest cumulative label value length', names.map((n) => [n, valuesOf(n).reduce((a, v) => a + utf8Len(v), 0)]));
  section('Highest cardinality labels', names.map((n) => [n, valuesOf(n).length]));
  section(
    'Highest cardinality metric names',
    valuesOf('__name__').map((v) => {
      const p = ir.postings('__name__', v);
      return [v, matched ? p.reduce((a, r) => a + (matched.has(r) ? 1 : 0), 0) : p.length];
    }),
  );
  if (opts.extended) out.push(...compaction(block, refs));
  return out.join('\n') + '\n';
}

/** promtool 2.x's extended analysis: how full the chunks are (120 samples is 100%). */
function compaction(block: Block, refs: Iterable<number>): string[] {
  const buckets = new Array<number>(10).fill(0);
  let total = 0;
  for (const ref of refs) {
    for (const c of block.index.series(ref).chunks) {
      const n = Math.min(chunkSampleCount(block.chunks.chunk(c.ref).data), 120);
      buckets[Math.max(0, Math.ceil((10 * n) / 120) - 1)]!++;
      total++;
    }
  }
  return [
    '',
    'Compaction analysis:',
    'Fullness: Amount of samples in chunks (100% is 120 samples)',
    ...buckets.map((count, i) => `${String((i + 1) * 10).padStart(7)}%: ${'#'.repeat(total > 0 ? Math.floor((100 * count) / total) : 0)}`),
  ];
}
