// First pass of a backfill: every sample of an OpenMetrics input with its series, timestamp
// and line, parsed piece by piece (see input-pieces.ts) with Prometheus' line parser rules:
// every sample needs a timestamp (seconds, truncated to ms like int64(ts*1000)), exemplars
// only on counters and histograms. Errors name the line and column in the whole input.
import { ExpositionError, OpenMetricsSampleParser } from '@promethium/exposition';
import { Labels } from '@promethium/tsdb-core';
import { pieces, sourceSize, type InputSource } from './input-pieces.js';

export class BackfillError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackfillError';
  }
}

export interface ParsedSamples {
  labels: Labels[];
  series: Int32Array;
  ts: Float64Array;
  vs: Float64Array;
  lines: Int32Array;
  n: number;
  mint: number;
  maxt: number;
}

export interface ParseProgress {
  bytesRead: number;
  bytesTotal: number;
}

/** Progress is reported every 1% of the input, at least 1 MiB apart. */
const MIN_PROGRESS_BYTES = 1 << 20;
const EXEMPLAR_TYPES = new Set(['counter', 'histogram', 'gaugehistogram']);
const EOF_LINE = Buffer.from('# EOF\n');
const ERROR_PREFIX = /^openmetrics parse error at \d+:\d+: /;

function grow<T extends Int32Array | Float64Array>(from: T, make: (n: number) => T): T {
  const to = make(from.length * 2);
  to.set(from);
  return to;
}

/** Moves an error found in a piece to its place in the whole input. */
function relocate(e: ExpositionError, lineDelta: number, byteDelta: number): ExpositionError {
  return new ExpositionError(e.message.replace(ERROR_PREFIX, ''), {
    format: e.format,
    line: e.line !== undefined ? e.line + lineDelta : undefined,
    column: e.column,
    offset: e.offset + byteDelta,
    expected: e.expected,
    found: e.found,
  });
}

export function parseBackfillInput(src: InputSource, onProgress?: (p: ParseProgress) => void, pieceBytes?: number): ParsedSamples {
  const total = sourceSize(src);
  const byKey = new Map<string, number>();
  const labels: Labels[] = [];
  const out = {
    series: new Int32Array(1024),
    ts: new Float64Array(1024),
    vs: new Float64Array(1024),
    lines: new Int32Array(1024),
  };
  let n = 0;
  let mint = Infinity;
  let maxt = -Infinity;
  const progressStep = Math.max(MIN_PROGRESS_BYTES, Math.ceil(total / 100));
  let nextReport = progressStep;
  // The last TYPE line, repeated at the start of the next piece so its samples keep their type.
  let typeLine = '';
  for (const piece of pieces(src, pieceBytes)) {
    const prefix = Buffer.from(typeLine);
    const text = Buffer.concat([prefix, piece.bytes, piece.last ? new Uint8Array(0) : EOF_LINE]);
    const lineDelta = piece.linesBefore - (typeLine ? 1 : 0);
    const byteDelta = piece.start - prefix.length;
    let line = lineDelta;
    let charOffset = 0;
    try {
      const p = new OpenMetricsSampleParser(text);
      const scale = p.src.length > 0 ? text.length / p.src.length : 1;
      for (let entry = p.next(); entry !== undefined; entry = p.next()) {
        line++;
        // Each OpenMetrics entry is one line: follow along to know how far we are.
        if (onProgress) charOffset = p.src.indexOf('\n', charOffset) + 1;
        if (entry === 'type') typeLine = `# TYPE ${p.name} ${p.metricType}\n`;
        if (entry !== 'sample') continue;
        if (p.timestampSeconds === undefined) throw p.errorAtEntry(`expected timestamp for series ${p.series()}, got none`, 'timestamp');
        if (p.exemplar !== undefined && !EXEMPLAR_TYPES.has(p.metricType)) throw p.errorAtEntry(`metric name ${p.name} does not support exemplars`);
        const key = p.series();
        let ref = byKey.get(key);
        if (ref === undefined) {
          ref = labels.length;
          // Flat copies: slices would keep the whole piece's text alive.
          byKey.set(Buffer.from(key).toString(), ref);
          labels.push(Labels.from(JSON.parse(JSON.stringify({ ...p.labels(), __name__: p.name })) as Record<string, string>));
        }
        if (n === out.series.length) {
          out.series = grow(out.series, (k) => new Int32Array(k));
          out.ts = grow(out.ts, (k) => new Float64Array(k));
          out.vs = grow(out.vs, (k) => new Float64Array(k));
          out.lines = grow(out.lines, (k) => new Int32Array(k));
        }
        const t = Math.trunc(p.timestampSeconds * 1000);
        out.series[n] = ref;
        out.ts[n] = t;
        out.vs[n] = p.value;
        out.lines[n] = line;
        n++;
        if (t < mint) mint = t;
        if (t > maxt) maxt = t;
        if (onProgress && n % 4096 === 0) {
          const bytesRead = Math.min(total, byteDelta + Math.round(charOffset * scale));
          if (bytesRead >= nextReport) {
            nextReport = bytesRead + progressStep;
            onProgress({ bytesRead, bytesTotal: total });
          }
        }
      }
    } catch (e) {
      if (!(e instanceof ExpositionError)) throw e;
      throw new BackfillError(`getting min and max timestamp: next: ${relocate(e, lineDelta, byteDelta).message}`);
    }
  }
  return { labels, ...out, n, mint, maxt };
}
