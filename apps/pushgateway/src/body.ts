// Reading a push body: a hard size limit (on the wire and after gunzip, so a small gzip bomb
// cannot blow up memory), Content-Encoding, and the choice of parser by Content-Type:
// delimited protobuf when asked for, text 0.0.4 for anything else (as the real one does).
import { gunzipSync } from 'node:zlib';
import { decodeProtobuf, parseMediaType, parseText, type MetricFamily } from '@promethium/exposition';

/** A refused body: `status` is the HTTP answer (400, 413, 415). */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

function tooLarge(limit: number, what: string): BodyError {
  return new BodyError(
    413,
    `request body too large: ${what} exceeds the limit of ${limit} bytes (--push.max-body-bytes)`,
  );
}

/** Reads a body stream (a Node IncomingMessage or a web ReadableStream), enforcing the limit. */
export async function readBody(stream: AsyncIterable<Uint8Array> | null, contentLength: string | null | undefined, limit: number): Promise<Uint8Array> {
  const declared = Number(contentLength ?? NaN);
  if (declared > limit) throw tooLarge(limit, `Content-Length ${declared}`);
  if (!stream) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Leaving the loop early (too large) destroys the stream.
  for await (const value of stream) {
    total += value.byteLength;
    if (total > limit) throw tooLarge(limit, 'the body');
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

export function decodeContent(body: Uint8Array, encoding: string | null, limit: number): Uint8Array {
  const enc = (encoding ?? '').trim().toLowerCase();
  if (enc === '' || enc === 'identity') return body;
  if (enc === 'gzip' || enc === 'x-gzip') {
    try {
      return gunzipSync(body, { maxOutputLength: limit });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limit, 'the gunzipped body');
      throw new BodyError(400, `invalid gzip body: ${(e as Error).message}`);
    }
  }
  throw new BodyError(415, `unsupported Content-Encoding "${enc}": send identity or gzip`);
}

export function isProtobuf(contentType: string | null): boolean {
  if (!contentType) return false;
  const mt = parseMediaType(contentType);
  return (
    mt.type === 'application/vnd.google.protobuf' &&
    mt.params.get('proto') === 'io.prometheus.client.MetricFamily' &&
    mt.params.get('encoding') === 'delimited'
  );
}

/** Parses a push body; throws ExpositionError (with line:column or byte offset) on bad input. */
export function parseBody(body: Uint8Array, contentType: string | null): MetricFamily[] {
  if (isProtobuf(contentType)) {
    // Repeated family names in one protobuf push overwrite each other, as upstream.
    const byName = new Map<string, MetricFamily>();
    for (const f of decodeProtobuf(body)) byName.set(f.name, f);
    return [...byName.values()];
  }
  if (body.byteLength === 0) return [];
  return parseText(body);
}
