// The remote-write receiver (POST /api/v1/write): a snappy-compressed prometheus.WriteRequest
// (1.0) or io.prometheus.write.v2.Request (2.0) in, chosen by Content-Type; samples appended in
// one transaction. Every series is validated before anything is appended, and any append error
// rolls the whole request back, so a bad request never half-applies (stricter than Prometheus,
// which appends the good series of a 2.0 request and answers 400 for the rest).
import type { Appendable } from '@promethium/tsdb-core';
import { snappyDecode } from '@promethium/tsdb-core';
import { appendDecoded, failed, seriesCache, WriteInputError, type Decoded, type WriteResult } from './write-append.js';
import { checkContentEncoding, parseWriteContentType, PROTO_V2 } from './write-content-type.js';
import { decodeV1 } from './write-decode-v1.js';
import { decodeV2 } from './write-decode-v2.js';

export type { WriteResult } from './write-append.js';

export interface WriteHandlerOptions {
  /** Largest decompressed request accepted (bytes). */
  maxDecodedBytes?: number;
  /** The request's Content-Type header (absent: remote write 1.0). */
  contentType?: string | undefined;
  /** The request's Content-Encoding header (absent: snappy). */
  contentEncoding?: string | undefined;
}

export async function handleRemoteWrite(body: Uint8Array, storage: Appendable, opts: WriteHandlerOptions = {}): Promise<WriteResult> {
  const ct = parseWriteContentType(opts.contentType);
  if ('error' in ct) return failed(415, ct.error);
  const version = ct.proto === PROTO_V2 ? 2 : 1;
  const badEncoding = checkContentEncoding(opts.contentEncoding);
  if (badEncoding !== undefined) return { ...failed(415, badEncoding), version };
  let buf: Uint8Array;
  try {
    buf = snappyDecode(body, opts.maxDecodedBytes ?? 256 * 1024 * 1024);
  } catch (e) {
    return { ...failed(400, `snappy decode error: ${(e as Error).message}`), version };
  }
  const cache = seriesCache(storage);
  let d: Decoded;
  try {
    d = version === 2 ? decodeV2(buf, cache) : decodeV1(buf, cache);
  } catch (e) {
    if (e instanceof WriteInputError) return { ...failed(400, e.message), version };
    return { ...failed(400, `protobuf decode error: ${(e as Error).message}`), version };
  }
  const res = await appendDecoded(storage, d);
  // Exemplars are checked but not stored (histograms were rejected above): the written counts
  // (0 exemplars) tell a 2.0 sender so.
  res.version = version;
  return res;
}

/** The X-Prometheus-Remote-Write-*-Written headers a 2.0 sender expects (none for 1.0). */
export function writtenHeaders(r: WriteResult): Record<string, string> {
  if (r.version !== 2) return {};
  return {
    'X-Prometheus-Remote-Write-Samples-Written': String(r.samples),
    'X-Prometheus-Remote-Write-Histograms-Written': String(r.histograms),
    'X-Prometheus-Remote-Write-Exemplars-Written': String(r.exemplars),
  };
}
