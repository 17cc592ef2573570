// Cardinality statistics for /api/v1/status/tsdb, computed from the postings as Prometheus'
// MemPostings.Stats does: top-N series per metric name, values per label name, bytes of
// label values per name (value length x series), and series per name=value pair.
import type { Head } from './head.js';

export interface Stat {
  name: string;
  value: number;
}

export interface TSDBStats {
  headStats: { numSeries: number; numLabelPairs: number; chunkCount: number; minTime: number; maxTime: number };
  seriesCountByMetricName: Stat[];
  labelValueCountByLabelName: Stat[];
  memoryInBytesByLabelName: Stat[];
  seriesCountByLabelValuePair: Stat[];
}

function top(stats: Stat[], limit: number): Stat[] {
  return stats.sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : 1)).slice(0, limit);
}

export function headStats(head: Head, limit: number): TSDBStats {
  const metrics: Stat[] = [];
  const names: Stat[] = [];
  const bytes: Stat[] = [];
  const pairs: Stat[] = [];
  let numLabelPairs = 0;
  for (const [name, values] of head.postings.entries()) {
    names.push({ name, value: values.size });
    numLabelPairs += values.size;
    let size = 0;
    for (const [value, refs] of values) {
      if (name === '__name__') metrics.push({ name: value, value: refs.length });
      pairs.push({ name: `${name}=${value}`, value: refs.length });
      size += Buffer.byteLength(value) * refs.length;
    }
    bytes.push({ name, value: size });
  }
  let chunkCount = 0;
  for (const s of head.allSeries()) chunkCount += s.numChunks();
  const empty = head.numSeries === 0 || head.maxTime === -Infinity;
  return {
    headStats: {
      numSeries: head.numSeries,
      numLabelPairs,
      chunkCount,
      // As Prometheus: an empty head reports math.MaxInt64 / math.MinInt64.
      minTime: empty ? Number.MAX_SAFE_INTEGER : head.minTime,
      maxTime: empty ? Number.MIN_SAFE_INTEGER : head.maxTime,
    },
    seriesCountByMetricName: top(metrics, limit),
    labelValueCountByLabelName: top(names, limit),
    memoryInBytesByLabelName: top(bytes, limit),
    seriesCountByLabelValuePair: top(pairs, limit),
  };
}
