// The remote-write receiver (POST /api/v1/write): snappy-compressed WriteRequest in, samples
// appended in one transaction. Every series is validated before anything is appended, and any
// append error rolls the whole request back, so a bad request never half-applies.
import { Labels, type Appendable } from '@promethium/tsdb-core';
import { decodeWriteRequest, type PbWriteRequest } from './prompb.js';
import { SnappyError, snappyDecode } from '@promethium/tsdb-core';

export interface WriteResult {
  status: 204 | 400 | 413 | 500;
  message: string;
  samples: number;
  series: number;
}

export interface WriteHandlerOptions {
  /** Largest decompressed request accepted (bytes). */
  maxDecodedBytes?: number;
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function validateSeries(req: PbWriteRequest): { labels: Labels[]; error?: string } {
  const out: Labels[] = [];
  for (let i = 0; i < req.timeseries.length; i++) {
    const ts = req.timeseries[i]!;
    const seen = new Set<string>();
    let name = '';
    for (const l of ts.labels) {
      if (l.name === '') return { labels: out, error: `timeseries ${i}: empty label name` };
      if (seen.has(l.name)) return { labels: out, error: `timeseries ${i}: invalid labels for series, duplicated label name "${l.name}"` };
      seen.add(l.name);
      if (l.name === '__name__') name = l.value;
    }
    if (name === '') return { labels: out, error: `timeseries ${i}: missing metric name (__name__ label)` };
    if (!NAME_RE.test(name) && !isWellFormedUtf8(name)) return { labels: out, error: `timeseries ${i}: invalid metric name "${name}"` };
    out.push(Labels.from(ts.labels.filter((l) => l.value !== '').map((l) => [l.name, l.value] as const)));
  }
  return { labels: out };
}

function isWellFormedUtf8(s: string): boolean {
  return s.length > 0 && !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
}

export async function handleRemoteWrite(body: Uint8Array, storage: Appendable, opts: WriteHandlerOptions = {}): Promise<WriteResult> {
  let req: PbWriteRequest;
  try {
    req = decodeWriteRequest(snappyDecode(body, opts.maxDecodedBytes ?? 256 * 1024 * 1024));
  } catch (e) {
    const what = e instanceof SnappyError ? 'snappy decode error' : 'protobuf decode error';
    return { status: 400, message: `${what}: ${(e as Error).message}`, samples: 0, series: 0 };
  }
  const { labels, error } = validateSeries(req);
  if (error) return { status: 400, message: error, samples: 0, series: 0 };
  const app = storage.appender();
  let samples = 0;
  for (let i = 0; i < req.timeseries.length; i++) {
    const l = labels[i]!;
    let ref = 0;
    for (const s of req.timeseries[i]!.samples) {
      try {
        ref = app.append(ref, l, s.timestamp, s.value);
      } catch (e) {
        app.rollback();
        // Out-of-order and duplicate samples are the sender's problem: 400 so it does not retry.
        return { status: 400, message: `${(e as Error).message} for series ${l.toString()} at timestamp ${s.timestamp}`, samples: 0, series: 0 };
      }
      samples++;
    }
  }
  try {
    await app.commit();
  } catch (e) {
    return { status: 500, message: `committing samples: ${(e as Error).message}`, samples: 0, series: 0 };
  }
  return { status: 204, message: '', samples, series: req.timeseries.length };
}
