import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExpositionError, parseText, serializeText } from '../index.js';

const SHARED = process.env.PROMETHIUM_SHARED ?? resolve(import.meta.dirname, '../../../../../shared');
const TEXTPARSE = resolve(SHARED, 'conformance/textparse');

describe('parseText', () => {
  it('groups histogram and summary lines under their family, as expfmt does', () => {
    const fams = parseText(
      '# HELP h Latency.\n# TYPE h histogram\nh_bucket{le="0.1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 0.3\nh_count 2\n' +
        '# TYPE s summary\ns{quantile="0.5"} 1\ns_sum 2\ns_count 3\n' +
        '# TYPE c_total counter\nc_total 4\nother_sum 1\n',
    );
    expect(fams.map((f) => [f.name, f.type, f.samples.map((s) => s.name)])).toEqual([
      ['h', 'histogram', ['h_bucket', 'h_bucket', 'h_sum', 'h_count']],
      ['s', 'summary', ['s', 's_sum', 's_count']],
      ['c_total', 'counter', ['c_total']],
      ['other_sum', 'unknown', ['other_sum']],
    ]);
    expect(fams[0]!.help).toBe('Latency.');
    expect(fams[0]!.samples[0]!.labels).toEqual({ le: '0.1' });
    expect(fams[3]!.help).toBeUndefined();
  });
  it('merges a family written in two places and drops families without samples', () => {
    const fams = parseText('a 1\nb 2\na{x="y"} 3\n# HELP lonely nobody\n');
    expect(fams.map((f) => [f.name, f.samples.length])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });
  it('keeps timestamps in milliseconds', () => {
    expect(parseText('a 1 1700000000123\n')[0]!.samples[0]).toEqual({ name: 'a', labels: {}, value: 1, timestampMs: 1700000000123 });
  });
  it.each([
    ['# HELP a x\n# HELP a y\na 1\n', 2, 'second HELP line for metric name "a"'],
    ['# TYPE a gauge\n# TYPE a counter\n', 2, 'second TYPE line'],
    ['a 1\n# TYPE a gauge\n', 2, 'TYPE reported after samples'],
    ['# TYPE h histogram\nh_bucket{le="x"} 1\n', 2, "expected float as value for 'le' label"],
    ['# TYPE s summary\ns{quantile="high"} 1\n', 2, "expected float as value for 'quantile' label"],
  ])('rejects %j', (src, line, msg) => {
    let err: unknown;
    try {
      parseText(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExpositionError);
    expect((err as ExpositionError).line).toBe(line);
    expect((err as ExpositionError).message).toContain(msg);
  });
  it('serializes and re-parses to the same families', () => {
    const src =
      '# HELP a_total Help with \\\\ and \\n.\n# TYPE a_total counter\na_total{path="/x",q="\\"\\\\\\n"} 1e+06 1700000000000\n' +
      '# TYPE u untyped\nu NaN\nu{x="1"} -Inf\n# TYPE "my.metric" gauge\n{"my.metric","a.b"="c"} 0.25\n';
    const fams = parseText(src);
    expect(serializeText(fams)).toBe(src);
    expect(parseText(serializeText(fams))).toEqual(fams);
  });
});

describe.skipIf(!existsSync(TEXTPARSE))('parseText on the textparse payloads', () => {
  it('parses the 237-family payload losslessly', () => {
    for (const file of ['alltypes.237mfs.prom.txt', 'alltypes.237mfs.nometa.prom.txt']) {
      const src = readFileSync(resolve(TEXTPARSE, file));
      const fams = parseText(src);
      const lines = src.toString().split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
      expect(fams.reduce((n, f) => n + f.samples.length, 0)).toBe(lines);
      expect(parseText(serializeText(fams))).toEqual(fams);
    }
  });
});
