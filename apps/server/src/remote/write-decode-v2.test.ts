import { snappyEncode } from '@promethium/tsdb-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempDB } from '../testing/temp-db.js';
import { encodeWriteRequest } from './prompb.js';
import { handleRemoteWrite, writtenHeaders } from './write-handler.js';

// A protobuf writer independent of the code under test: field numbers come straight from
// io/prometheus/write/v2/types.proto, so a misread field number in the decoder fails here.
const varint = (n: number | bigint): number[] => {
  let x = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return out;
};
const tag = (field: number, wt: number): number[] => varint(field * 8 + wt);
const lenField = (field: number, body: number[]): number[] => [...tag(field, 2), ...varint(body.length), ...body];
const str = (field: number, s: string): number[] => lenField(field, [...Buffer.from(s, 'utf8')]);
const dbl = (field: number, v: number): number[] => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return [...tag(field, 1), ...b];
};
const vint = (field: number, n: number): number[] => [...tag(field, 0), ...varint(n)];
const packed = (field: number, ns: number[]): number[] => lenField(field, ns.flatMap((n) => varint(n)));

// Request: symbols = 4, timeseries = 5. TimeSeries: labels_refs = 1, samples = 2, histograms = 3,
// exemplars = 4, metadata = 5, created_timestamp = 6. Sample: value = 1, timestamp = 2.
const symbols = (ss: string[]): number[] => ss.flatMap((s) => str(4, s));
const series = (...parts: number[][]): number[] => lenField(5, parts.flat());
const sample = (v: number, t: number): number[] => lenField(2, [...dbl(1, v), ...vint(2, t)]);
const V2 = 'application/x-protobuf;proto=io.prometheus.write.v2.Request';
const T = 1_700_000_000_000;
const SYMS = ['', '__name__', 'http_requests_total', 'job', 'api', 'Requests served.', 'seconds', 'trace_id', 'abc'];

describe('remote write 2.0 receiver', () => {
  let db: TempDB;
  beforeAll(async () => {
    db = await TempDB.open();
  });
  afterAll(() => db.close());

  const read = (name: string): [string, number, number][] =>
    db.find(name).flatMap((s) => s.samples.map(([t, v]): [string, number, number] => [s.labels.toString(), t, v]));
  const send = (bytes: number[], contentType: string | undefined, contentEncoding?: string) =>
    handleRemoteWrite(snappyEncode(new Uint8Array(bytes)), db, { contentType, contentEncoding });

  it('appends a byte-built request: symbols, packed labels_refs, samples, metadata, exemplars', async () => {
    const req = [
      ...symbols(SYMS),
      ...series(
        packed(1, [1, 2, 3, 4]),
        sample(1, T),
        sample(2.5, T + 15_000),
        lenField(4, [...packed(1, [7, 8]), ...dbl(2, 0.3), ...vint(3, T)]), // exemplar
        lenField(5, [...vint(1, 1), ...vint(3, 5), ...vint(4, 6)]), // metadata: counter, help, unit
        vint(6, T - 60_000), // created_timestamp
      ),
    ];
    const r = await send(req, V2);
    expect(r).toMatchObject({ status: 204, samples: 2, series: 1, histograms: 0, exemplars: 0, version: 2 });
    expect(writtenHeaders(r)).toEqual({
      'X-Prometheus-Remote-Write-Samples-Written': '2',
      'X-Prometheus-Remote-Write-Histograms-Written': '0',
      'X-Prometheus-Remote-Write-Exemplars-Written': '0',
    });
    expect(read('http_requests_total')).toEqual([
      ['{__name__="http_requests_total", job="api"}', T, 1],
      ['{__name__="http_requests_total", job="api"}', T + 15_000, 2.5],
    ]);
  });

  it('accepts unpacked labels_refs, symbols after the series, another symbol order', async () => {
    const syms = ['', 'job', 'batch', '__name__', 'late_symbols'];
    const req = [...series(vint(1, 3), vint(1, 4), vint(1, 1), vint(1, 2), sample(-1, T + 30_000)), ...symbols(syms)];
    expect(await send(req, V2)).toMatchObject({ message: '', status: 204, samples: 1 });
    expect(read('late_symbols')).toEqual([['{__name__="late_symbols", job="batch"}', T + 30_000, -1]]);
    // Same series, new refs: the series cache keys on the strings, not the refs.
    const again = [...symbols(['', '__name__', 'late_symbols', 'job', 'batch']), ...series(packed(1, [1, 2, 3, 4]), sample(7, T + 40_000))];
    expect(await send(again, V2)).toMatchObject({ status: 204, samples: 1 });
    expect(read('late_symbols')).toHaveLength(2);
  });

  // Each bad request starts with a valid series, which must not be appended either.
  const good = (name: string): number[] => [...symbols(['', '__name__', name, 'x']), ...series(packed(1, [1, 2]), sample(1, T))];
  const bad: [string, (name: string) => number[], string | RegExp][] = [
    ['a label ref out of range', (n) => [...good(n), ...series(packed(1, [1, 9]), sample(1, T))], 'timeseries 1: labels_refs[1] = 9 is out of range, expected a symbols index below 4'],
    ['an odd labels_refs length', (n) => [...good(n), ...series(packed(1, [1, 2, 3]), sample(1, T))], 'timeseries 1: labels_refs has odd length 3, expected name/value ref pairs'],
    ['symbols[0] not empty', (n) => [...str(4, 'oops'), ...good(n)], 'symbols[0] is "oops", expected the empty string'],
    ['an empty metric name', (n) => [...good(n), ...series(packed(1, [1, 0]), sample(1, T))], 'timeseries 1: missing metric name (__name__ label)'],
    ['no metric name', (n) => [...good(n), ...series(packed(1, [3, 3]), sample(1, T))], 'timeseries 1: missing metric name (__name__ label)'],
    ['an empty label name', (n) => [...good(n), ...series(packed(1, [1, 2, 0, 3]), sample(1, T))], 'timeseries 1: empty label name'],
    ['a duplicated label name', (n) => [...good(n), ...series(packed(1, [1, 2, 3, 3, 3, 2]), sample(1, T))], 'timeseries 1: invalid labels for series, duplicated label name "x"'],
    ['labels_refs with a fixed64 wire type', (n) => [...good(n), ...series(dbl(1, 1), sample(1, T))], /^protobuf decode error: protobuf parse error at byte \d+: field TimeSeries\.labels_refs has wire type 1, expected 2$/],
    ['a varint Sample.value', (n) => [...good(n), ...series(packed(1, [1, 2]), lenField(2, vint(1, 5)))], /field Sample\.value has wire type 0, expected 1/],
    ['a varint Request.timeseries', (n) => [...good(n), ...vint(5, 1)], /field Request\.timeseries has wire type 0, expected 2/],
    ['a native histogram (no native histogram storage)', (n) => [...good(n), ...series(packed(1, [1, 2]), lenField(3, [...vint(1, 3), ...dbl(3, 4.5), ...tag(4, 0), ...varint(1), ...vint(15, T)]))], 'timeseries 1: has 1 native histogram sample(s), which this receiver cannot store (no native histogram support); nothing from this request was written'],
    ['samples and histograms in one series', (n) => [...good(n), ...series(packed(1, [1, 2]), sample(1, T + 1), lenField(3, vint(15, T)))], 'timeseries 1: has both samples and histograms, expected one kind per TimeSeries'],
    ['a metadata help_ref out of range', (n) => [...good(n), ...series(packed(1, [1, 2]), lenField(5, vint(3, 40)))], 'timeseries 1: metadata.help_ref = 40 is out of range, expected a symbols index below 4'],
    ['an unknown metric type', (n) => [...good(n), ...series(packed(1, [1, 2]), lenField(5, vint(1, 8)))], 'timeseries 1: metadata.type = 8, expected a MetricType from 0 to 7'],
    ['an exemplar label ref out of range', (n) => [...good(n), ...series(packed(1, [1, 2]), lenField(4, packed(1, [1, 99])))], 'timeseries 1: exemplars[0]: labels_refs[1] = 99 is out of range, expected a symbols index below 4'],
    ['invalid UTF-8 in a symbol', (n) => [...good(n), ...lenField(4, [0xc3, 0x28])], /^protobuf decode error: protobuf parse error at byte \d+: invalid UTF-8 in string field$/],
    ['a length past the end', (n) => [...good(n), ...tag(5, 2), ...varint(50), 1, 2], /protobuf parse error at byte \d+: length 50 runs past the end/],
    ['a 1.0 WriteRequest sent as 2.0', () => [...encodeWriteRequest({ timeseries: [{ labels: [{ name: '__name__', value: 'v1_as_v2' }], samples: [{ value: 1, timestamp: T }] }], metadata: [] })], /Request field 1 is reserved in io\.prometheus\.write\.v2\.Request/],
  ];
  it.each(bad)('rejects %s with 400 and appends nothing', async (_what, build, message) => {
    const name = `good_${_what.replace(/[^a-z0-9]+/gi, '_')}`;
    const r = await send(build(name), V2);
    expect(r.status).toBe(400);
    expect(r.message).toMatch(typeof message === 'string' ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : message);
    expect(writtenHeaders(r)['X-Prometheus-Remote-Write-Samples-Written']).toBe('0');
    expect(read(name)).toEqual([]);
  });

  it('rejects bad snappy with 400', async () => {
    const r = await handleRemoteWrite(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]), db, { contentType: V2 });
    expect(r).toMatchObject({ status: 400, version: 2 });
    expect(r.message).toContain('snappy decode error');
  });

  it('answers 415 for an unknown proto message, media type or encoding', async () => {
    const body = good('never_415');
    const other = await send(body, 'application/x-protobuf;proto=io.prometheus.write.v3.Request');
    expect(other).toMatchObject({ status: 415, message: 'unsupported proto message "io.prometheus.write.v3.Request" in Content-Type, expected prometheus.WriteRequest or io.prometheus.write.v2.Request' });
    expect((await send(body, 'application/json')).status).toBe(415);
    expect(await send(body, V2, 'gzip')).toMatchObject({ status: 415, message: 'unsupported Content-Encoding "gzip", expected snappy' });
    expect(read('never_415')).toEqual([]);
    // Quoted parameter values and snappy spelled out are fine.
    expect((await send(body, 'application/x-protobuf; proto="io.prometheus.write.v2.Request"', 'snappy')).status).toBe(204);
  });

  it('still takes 1.0 requests: no Content-Type, no proto parameter, or proto=prometheus.WriteRequest', async () => {
    const v1 = (t: number): number[] => [...encodeWriteRequest({ timeseries: [{ labels: [{ name: '__name__', value: 'still_v1' }], samples: [{ value: t, timestamp: T + t }] }], metadata: [] })];
    for (const [k, ct] of [undefined, 'application/x-protobuf', 'application/x-protobuf;proto=prometheus.WriteRequest'].entries()) {
      const r = await send(v1(k), ct);
      expect(r).toMatchObject({ status: 204, samples: 1, version: 1 });
      expect(writtenHeaders(r)).toEqual({});
    }
    expect(read('still_v1')).toHaveLength(3);
  });
});
