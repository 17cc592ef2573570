// The remote-read endpoint (POST /api/v1/read): a snappy ReadRequest in; out either a snappy
// ReadResponse of raw samples (SAMPLES) or, when the client accepts only that, a stream of
// ChunkedReadResponse frames carrying XOR chunks (STREAMED_XOR_CHUNKS), as Prometheus serves them.
import { Matcher, XORChunk, crc32c, type Queryable } from '@promethium/tsdb-core';
import type { MatchType } from '@promethium/tsdb-core';
import {
  decodeReadRequest,
  encodeChunkedReadResponse,
  encodeReadResponse,
  type PbChunk,
  type PbLabel,
  type PbQuery,
  type PbReadRequest,
  type PbTimeSeries,
} from './prompb.js';
import { SnappyError, snappyDecode, snappyEncode } from '@promethium/tsdb-core';

export const CT_READ_SAMPLES = 'application/x-protobuf';
export const CT_READ_STREAMED = 'application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse';

export interface ReadResult {
  status: 200 | 400 | 500;
  contentType: string;
  contentEncoding?: 'snappy';
  body: Uint8Array | string;
}

export interface ReadHandlerOptions {
  /** External labels: added to results, and matchers on them are satisfied (Prometheus' semantics). */
  externalLabels?: Record<string, string>;
  /** Upper bound on samples returned by one request (0 = no limit). */
  maxSamples?: number;
}

const MATCH: Record<number, MatchType> = { 0: '=', 1: '!=', 2: '=~', 3: '!~' };

function matchersFor(q: PbQuery, ext: Record<string, string>): Matcher[] {
  const out: Matcher[] = [];
  for (const m of q.matchers) {
    const matcher = new Matcher(MATCH[m.type]!, m.name, m.value);
    // A matcher on an external label is checked against that label and dropped from the selection.
    if (m.name in ext) {
      if (!matcher.matches(ext[m.name]!)) return [];
      continue;
    }
    out.push(matcher);
  }
  return out;
}

function* selectSeries(storage: Queryable, q: PbQuery, ext: Record<string, string>): Generator<{ labels: PbLabel[]; ts: number[]; vs: number[] }> {
  const matchers = matchersFor(q, ext);
  if (matchers.length === 0 && q.matchers.length > 0) return;
  const querier = storage.querier(q.startTimestampMs, q.endTimestampMs);
  try {
    for (const s of querier.select(matchers, { start: q.startTimestampMs, end: q.endTimestampMs })) {
      const labels = s.labels.with(Object.fromEntries(Object.entries(ext).filter(([k]) => !s.labels.has(k)))).toArray().map(([name, value]) => ({ name, value }));
      const ts: number[] = [];
      const vs: number[] = [];
      const it = s.iterator();
      if (it.seek(q.startTimestampMs)) {
        do {
          if (it.at() > q.endTimestampMs) break;
          ts.push(it.at());
          vs.push(it.value());
        } while (it.next());
      }
      if (ts.length > 0) yield { labels, ts, vs };
    }
  } finally {
    querier.close();
  }
}

export function handleRemoteRead(body: Uint8Array, storage: Queryable, opts: ReadHandlerOptions = {}): ReadResult {
  let req: PbReadRequest;
  try {
    req = decodeReadRequest(snappyDecode(body, 64 * 1024 * 1024));
  } catch (e) {
    const what = e instanceof SnappyError ? 'snappy decode error' : 'protobuf decode error';
    return { status: 400, contentType: 'text/plain; charset=utf-8', body: `${what}: ${(e as Error).message}` };
  }
  const ext = opts.externalLabels ?? {};
  const limit = opts.maxSamples ?? 0;
  let total = 0;
  const count = (n: number): void => {
    total += n;
    if (limit > 0 && total > limit) throw new Error(`exceeded sample limit (${limit})`);
  };
  try {
    for (const q of req.queries) for (const m of q.matchers) new Matcher(MATCH[m.type]!, m.name, m.value);
  } catch (e) {
    return { status: 400, contentType: 'text/plain; charset=utf-8', body: (e as Error).message };
  }
  try {
    const wantsSamples = req.acceptedResponseTypes.length === 0 || req.acceptedResponseTypes.includes(0);
    if (wantsSamples) {
      const results: PbTimeSeries[][] = req.queries.map((q) =>
        [...selectSeries(storage, q, ext)].map((s) => {
          count(s.ts.length);
          return { labels: s.labels, samples: s.ts.map((t, i) => ({ timestamp: t, value: s.vs[i]! })) };
        }),
      );
      return { status: 200, contentType: CT_READ_SAMPLES, contentEncoding: 'snappy', body: snappyEncode(encodeReadResponse(results)) };
    }
    const frames: Uint8Array[] = [];
    req.queries.forEach((q, qi) => {
      for (const s of selectSeries(storage, q, ext)) {
        count(s.ts.length);
        frames.push(frame(encodeChunkedReadResponse([{ labels: s.labels, chunks: toChunks(s.ts, s.vs) }], qi)));
      }
    });
    const out = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
    let o = 0;
    for (const f of frames) {
      out.set(f, o);
      o += f.length;
    }
    return { status: 200, contentType: CT_READ_STREAMED, body: out };
  } catch (e) {
    return { status: 500, contentType: 'text/plain; charset=utf-8', body: (e as Error).message };
  }
}

/** XOR chunks of at most 120 samples, as Prometheus cuts them. */
function toChunks(ts: number[], vs: number[]): PbChunk[] {
  const out: PbChunk[] = [];
  for (let i = 0; i < ts.length; i += 120) {
    const c = new XORChunk();
    const app = c.appender();
    const end = Math.min(i + 120, ts.length);
    for (let k = i; k < end; k++) app.append(ts[k]!, vs[k]!);
    out.push({ minTimeMs: ts[i]!, maxTimeMs: ts[end - 1]!, type: 1, data: c.bytes() });
  }
  return out;
}

/** One stream frame: uvarint length, big-endian CRC32-Castagnoli of the message, the message. */
function frame(msg: Uint8Array): Uint8Array {
  const len: number[] = [];
  let n = msg.length;
  while (n >= 0x80) {
    len.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  len.push(n);
  const out = new Uint8Array(len.length + 4 + msg.length);
  out.set(len, 0);
  new DataView(out.buffer).setUint32(len.length, crc32c(msg) >>> 0);
  out.set(msg, len.length + 4);
  return out;
}
