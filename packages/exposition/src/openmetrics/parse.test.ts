import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExpositionError, parseOpenMetrics, serializeOpenMetrics } from '../index.js';

const SHARED = process.env.PROMETHIUM_SHARED ?? resolve(import.meta.dirname, '../../../../../shared');
const SUITE = resolve(SHARED, 'conformance/openmetrics/testdata/parsers');

function error(src: string): ExpositionError {
  try {
    parseOpenMetrics(src);
  } catch (e) {
    if (e instanceof ExpositionError) return e;
    throw e;
  }
  throw new Error('expected a parse error');
}

describe('parseOpenMetrics', () => {
  it('parses metadata, exemplars, timestamps (seconds to ms) and _created', () => {
    const fams = parseOpenMetrics(
      '# TYPE rpc_seconds histogram\n# UNIT rpc_seconds seconds\n# HELP rpc_seconds RPC \\"latency\\".\n' +
        'rpc_seconds_bucket{le="0.1"} 1 # {trace_id="x☃"} 0.05 1520879607.789\nrpc_seconds_bucket{le="+Inf"} 2\n' +
        'rpc_seconds_count 2\nrpc_seconds_sum 0.3\nrpc_seconds_created 1520430000.5\n' +
        '# TYPE c counter\nc_total{a="1"} 3 1520879607.1\n# EOF',
    );
    expect(fams).toEqual([
      {
        name: 'rpc_seconds',
        type: 'histogram',
        unit: 'seconds',
        help: 'RPC "latency".',
        samples: [
          { name: 'rpc_seconds_bucket', labels: { le: '0.1' }, value: 1, exemplar: { labels: { trace_id: 'x☃' }, value: 0.05, timestamp: 1520879607.789 } },
          { name: 'rpc_seconds_bucket', labels: { le: '+Inf' }, value: 2 },
          { name: 'rpc_seconds_count', labels: {}, value: 2 },
          { name: 'rpc_seconds_sum', labels: {}, value: 0.3 },
          { name: 'rpc_seconds_created', labels: {}, value: 1520430000.5 },
        ],
      },
      { name: 'c', type: 'counter', samples: [{ name: 'c_total', labels: { a: '1' }, value: 3, timestampMs: 1520879607100 }] },
    ]);
  });
  it('treats empty HELP and UNIT as absent and keeps families without samples', () => {
    expect(parseOpenMetrics('# HELP a \n# UNIT a \n# EOF\n')).toEqual([{ name: 'a', type: 'unknown', samples: [] }]);
  });
  it('keeps unknown backslash escapes as written and resolves the standard ones', () => {
    const f = parseOpenMetrics('# HELP a x\\zy\\\\\\n\na{l="\\"q\\" \\t"} 1\n# EOF\n')[0]!;
    expect(f.help).toBe('x\\zy\\\n');
    expect(f.samples[0]!.labels.l).toBe('"q" \\t');
  });
  it('accepts quoted UTF-8 names', () => {
    const f = parseOpenMetrics('# TYPE "my.gauge" gauge\n{"my.gauge","a.b"="c"} 1\n# EOF\n');
    expect(f).toEqual([{ name: 'my.gauge', type: 'gauge', samples: [{ name: 'my.gauge', labels: { 'a.b': 'c' }, value: 1 }] }]);
  });
  it.each([
    ['a 1\n', 2, 1, 'missing "# EOF"'],
    ['a 1\n\n# EOF\n', 2, 1, 'blank lines'],
    ['a 1 \n# EOF\n', 1, 5, 'invalid timestamp ""'],
    ['a{b="c",} 1\n# EOF\n', 1, 9, 'invalid label name'],
    ['# TYPE a counter\na_total -1\n# EOF\n', 2, 1, 'must not be negative'],
    ['# TYPE a gauge\na 1 # {x="y"} 1\n# EOF\n', 2, 1, 'exemplars are only allowed'],
    ['a 1\nb 1\na 2\n# EOF\n', 3, 1, 'not contiguous'],
    ['# TYPE a histogram\na_bucket{le="1"} 1\na_count 1\na_sum 1\n# EOF\n', 5, 1, 'no +Inf bucket'],
  ])('rejects %j at %d:%d', (src, line, column, msg) => {
    const e = error(src);
    expect(e.message).toContain(msg);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.format).toBe('openmetrics');
  });
  it('round-trips through serializeOpenMetrics', () => {
    const src =
      '# HELP a Help \\"x\\" \\\\ \\n.\n# TYPE a counter\na_total{x="\\n"} 1.0 1.5 # {id="1"} 0.5 2.0\na_created{x="\\n"} 1.0 1.5\n' +
      '# TYPE s stateset\ns{s="on"} 1.0\ns{s="off"} 0.0\n# TYPE i info\ni_info{v="1"} 1.0\n# EOF\n';
    const fams = parseOpenMetrics(src);
    expect(parseOpenMetrics(serializeOpenMetrics(fams))).toEqual(fams);
  });
});

describe.skipIf(!existsSync(SUITE))('OpenMetrics conformance suite (parser)', () => {
  const cases = existsSync(SUITE) ? readdirSync(SUITE).sort() : [];
  it('has all 211 cases', () => {
    expect(cases.length).toBe(211);
  });
  it.each(cases)('%s', (c) => {
    const meta = JSON.parse(readFileSync(resolve(SUITE, c, 'test.json'), 'utf8')) as { shouldParse: boolean };
    const bytes = readFileSync(resolve(SUITE, c, 'metrics'));
    let ok = true;
    try {
      parseOpenMetrics(bytes);
    } catch (e) {
      if (!(e instanceof ExpositionError)) throw e;
      ok = false;
    }
    expect(ok).toBe(meta.shouldParse);
  });
});
