import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MetricFamily } from '../index.js';
import { ExpositionError, decodeProtobuf, encodeProtobuf, parseOpenMetrics, parseText, serializeText } from '../index.js';
import { Reader, Writer } from './wire.js';

const SHARED = process.env.PROMETHIUM_SHARED ?? resolve(import.meta.dirname, '../../../../../shared');
const TEXTPARSE = resolve(SHARED, 'conformance/textparse');

describe('wire codec', () => {
  it('round-trips varints, zigzag and int64 at the edges', () => {
    const w = new Writer(4);
    const uints = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1];
    const sints = [0, -1, 1, -64, 64, -(2 ** 31), 2 ** 40, -(2 ** 50)];
    const ints = [-1, -(2 ** 40), 1700000000000, -1700000000000];
    for (const v of uints) w.uint(v);
    for (const v of sints) w.sint(v);
    for (const v of ints) w.int64(v);
    const r = new Reader(w.finish());
    expect(uints.map(() => r.uint())).toEqual(uints);
    expect(sints.map(() => r.sint())).toEqual(sints);
    expect(ints.map(() => r.int64())).toEqual(ints);
    expect(r.pos).toBe(r.end);
  });
  it('writes length prefixes of any size in place', () => {
    const w = new Writer(8);
    const long = 'x'.repeat(70000);
    w.string(1, long);
    w.string(2, 'é');
    const r = new Reader(w.finish());
    expect(r.uint()).toBe((1 << 3) | 2);
    expect(r.string()).toBe(long);
    expect(r.uint()).toBe((2 << 3) | 2);
    expect(r.string()).toBe('é');
  });
  it('reports truncation and bad wire types with byte offsets', () => {
    expect(() => new Reader(Uint8Array.from([0x80, 0x80])).uint()).toThrow(/protobuf parse error at byte 0: truncated varint|truncated varint/);
    expect(() => new Reader(Uint8Array.from([0x05, 0x61])).string()).toThrow(ExpositionError);
    expect(() => new Reader(Uint8Array.from([0x02, 0xff, 0xfe])).string()).toThrow(/invalid UTF-8/);
  });
});

describe('decodeProtobuf / encodeProtobuf', () => {
  it('maps classic histograms, summaries and created timestamps to the sample view and back', () => {
    const fams = parseOpenMetrics(
      '# TYPE h histogram\n# HELP h Help.\nh_bucket{a="1",le="0.5"} 1 # {t="x"} 0.25 1.5\nh_bucket{a="1",le="+Inf"} 3\nh_sum{a="1"} 1.5\nh_count{a="1"} 3\nh_created{a="1"} 1700000000.25\n' +
        '# TYPE s summary\ns{quantile="0.5"} 2\ns{quantile="0.99"} 3\ns_sum 10\ns_count 4\n' +
        '# TYPE c counter\nc_total{x="y"} 7 # {t="z"} 1\nc_created{x="y"} 1600000000\n# TYPE g gauge\ng -2.5 1.5\n# TYPE u unknown\nu NaN\n# EOF\n',
    );
    const back = decodeProtobuf(encodeProtobuf(fams));
    expect(back.map((f) => [f.name, f.type])).toEqual([
      ['h', 'histogram'],
      ['s', 'summary'],
      ['c_total', 'counter'],
      ['g', 'gauge'],
      ['u', 'unknown'],
    ]);
    expect(back[0]!.samples).toEqual(fams[0]!.samples);
    expect(back[0]!.help).toBe('Help.');
    expect(back[1]!.samples).toEqual(fams[1]!.samples);
    expect(back[2]!.samples).toEqual([
      { name: 'c_total', labels: { x: 'y' }, value: 7, exemplar: { labels: { t: 'z' }, value: 1 } },
      { name: 'c_created', labels: { x: 'y' }, value: 1600000000 },
    ]);
    expect(back[3]!.samples).toEqual([{ name: 'g', labels: {}, value: -2.5, timestampMs: 1500 }]);
    expect(back[4]!.samples[0]!.value).toBeNaN();
    expect(decodeProtobuf(encodeProtobuf(back))).toEqual(back);
  });
  it('round-trips native histograms with integer and float counts', () => {
    const fams: MetricFamily[] = [
      {
        name: 'lat',
        type: 'histogram',
        samples: [
          {
            name: 'lat',
            labels: { job: 'x' },
            value: NaN,
            timestampMs: 1234,
            histogram: {
              schema: -1,
              zeroThreshold: 1e-128,
              zeroCount: 2,
              count: 12,
              sum: 33.5,
              positiveSpans: [{ offset: -2, length: 2 }, { offset: 3, length: 1 }],
              negativeSpans: [{ offset: 0, length: 1 }],
              positiveBuckets: [4, 1, 3],
              negativeBuckets: [2],
            },
          },
        ],
      },
      {
        name: 'gh',
        type: 'gaugehistogram',
        samples: [
          {
            name: 'gh',
            labels: {},
            value: NaN,
            histogram: {
              schema: 3,
              zeroThreshold: 0,
              zeroCount: 0.5,
              count: 2.5,
              sum: -1,
              positiveSpans: [{ offset: 0, length: 2 }],
              negativeSpans: [],
              positiveBuckets: [1.5, 0.5],
              negativeBuckets: [],
              floatCounts: true,
            },
          },
        ],
      },
    ];
    expect(decodeProtobuf(encodeProtobuf(fams))).toEqual(fams);
  });
  it('adds the +Inf bucket a classic histogram may omit, as expfmt does', () => {
    const fams = decodeProtobuf(encodeProtobuf(parseText('# TYPE h histogram\nh_bucket{le="1"} 2\nh_sum 1\nh_count 5\n')));
    expect(fams[0]!.samples.map((s) => [s.name, s.labels.le, s.value])).toEqual([
      ['h_bucket', '1', 2],
      ['h_bucket', '+Inf', 5],
      ['h_sum', undefined, 1],
      ['h_count', undefined, 5],
    ]);
  });
  it('rejects a length prefix that runs past the end, with its byte offset', () => {
    const bin = encodeProtobuf(parseText('a 1\n'));
    let err: unknown;
    try {
      decodeProtobuf(bin.subarray(0, bin.length - 1));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExpositionError);
    expect((err as ExpositionError).offset).toBe(0);
    expect((err as ExpositionError).message).toMatch(/^protobuf parse error at byte 0: length \d+ runs past the end/);
  });
  it('rejects families without a name and unknown metric types', () => {
    expect(() => decodeProtobuf(Uint8Array.from([2, 0x18, 0x01]))).toThrow(/without a name/);
    expect(() => decodeProtobuf(Uint8Array.from([5, 0x0a, 0x01, 0x61, 0x18, 0x09]))).toThrow(/unknown metric type 9/);
  });
});

describe.skipIf(!existsSync(TEXTPARSE))('protobuf round trip of the textparse payloads', () => {
  it('text -> protobuf -> text is identical for the 237-family payloads', () => {
    for (const file of ['alltypes.237mfs.prom.txt', 'alltypes.237mfs.nometa.prom.txt']) {
      const fams = parseText(readFileSync(resolve(TEXTPARSE, file)));
      const back = decodeProtobuf(encodeProtobuf(fams));
      expect(serializeText(back)).toBe(serializeText(fams));
    }
  });
});
