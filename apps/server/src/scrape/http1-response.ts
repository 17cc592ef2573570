// An incremental HTTP/1.x response parser for the scrape client: status line and headers, then
// the body framed by Content-Length, chunked transfer coding, or the connection's end. Bytes are
// fed as they arrive (possibly into a reused read buffer, so whatever is kept is copied), and the
// body is capped while it arrives, so a huge target cannot exhaust memory.

export class HttpResponseError extends Error {}

/** Thrown when the body would exceed the cap; the caller words it with the configured limit. */
export class BodyTooLargeError extends Error {
  readonly head: ResponseHead;
  constructor(head: ResponseHead) {
    super(`response body over the limit (HTTP status ${head.status})`);
    this.head = head;
  }
}

export interface ResponseHead {
  /** HTTP minor version: 0 or 1. */
  minor: number;
  status: number;
  /** The reason phrase as the server sent it. */
  reason: string;
  /** -1 when not announced. */
  contentLength: number;
  chunked: boolean;
  /** Lower-cased, '' when absent. */
  contentEncoding: string;
  contentType: string | undefined;
  location: string | undefined;
  /** The server keeps the connection open for another request. */
  keepAlive: boolean;
}

export interface ResponseLimits {
  /** Status line plus headers, as Go's MaxResponseHeaderBytes. */
  maxHeaderBytes: number;
  /** Cap on buffered body bytes for a head (Infinity for none). */
  maxBody(head: ResponseHead): number;
}

const LF = 10;
const CR = 13;
const MAX_CHUNK_LINE = 4096;
const PREALLOCATE_MAX = 64 << 20;

const enum Body {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailer,
  UntilClose,
  Done,
}

export class ResponseParser {
  head: ResponseHead | undefined;
  /** Body bytes received so far (before any content decoding). */
  received = 0;
  /** Any byte of a response arrived. */
  started = false;
  /** Bytes came after the end of the response: the connection cannot be reused. */
  trailing = false;
  private state = Body.Head;
  private pending: Buffer | undefined;
  private cap = Infinity;
  private remaining = 0;
  private single: Buffer | undefined;
  private parts: Buffer[] = [];
  private line = '';
  private readonly limits: ResponseLimits;

  constructor(limits: ResponseLimits) {
    this.limits = limits;
  }

  get done(): boolean {
    return this.state === Body.Done;
  }

  /** Feeds received bytes; throws HttpResponseError or BodyTooLargeError. */
  push(data: Uint8Array): void {
    if (data.length > 0) this.started = true;
    let buf = data;
    let at = 0;
    while (at < buf.length) {
      switch (this.state) {
        case Body.Head: {
          const joined = this.pending ? Buffer.concat([this.pending, buf.subarray(at)]) : buf.subarray(at);
          const end = headEnd(joined);
          if (end < 0) {
            if (joined.length > this.limits.maxHeaderBytes) throw new HttpResponseError(`server response headers exceeded ${this.limits.maxHeaderBytes} bytes; aborted`);
            this.pending = Buffer.from(joined);
            return;
          }
          if (end > this.limits.maxHeaderBytes) throw new HttpResponseError(`server response headers exceeded ${this.limits.maxHeaderBytes} bytes; aborted`);
          this.pending = undefined;
          const head = parseHead(latin1(joined, 0, end));
          buf = joined;
          at = end;
          if (head.status >= 100 && head.status < 200) continue; // 100 Continue and the like: a final head follows
          this.begin(head);
          break;
        }
        case Body.Length:
          at = this.counted(buf, at, Body.Done);
          break;
        case Body.UntilClose: {
          this.keep(buf, at, buf.length - at);
          at = buf.length;
          break;
        }
        case Body.ChunkSize:
        case Body.Trailer:
        case Body.ChunkDataEnd: {
          const lf = buf.indexOf(LF, at);
          const stop = lf < 0 ? buf.length : lf;
          this.line += latin1(buf, at, stop);
          if (this.line.length > MAX_CHUNK_LINE) throw new HttpResponseError('malformed chunked encoding: line too long');
          at = stop;
          if (lf < 0) break;
          at++;
          const text = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
          this.line = '';
          this.chunkLine(text);
          break;
        }
        case Body.ChunkData:
          at = this.counted(buf, at, Body.ChunkDataEnd);
          break;
        case Body.Done:
          this.trailing = true;
          return;
      }
    }
  }

  /** The connection ended: completes a body read until close, else fails if incomplete. */
  end(): void {
    if (this.state === Body.UntilClose) {
      this.state = Body.Done;
      return;
    }
    if (this.state !== Body.Done) throw new HttpResponseError(this.started ? 'unexpected EOF' : 'EOF');
  }

  /** The whole body, once done. */
  body(): Buffer {
    if (this.single) return this.received === this.single.length ? this.single : this.single.subarray(0, this.received);
    return this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.received);
  }

  private begin(head: ResponseHead): void {
    this.head = head;
    const noBody = head.status === 204 || head.status === 304;
    this.cap = this.limits.maxBody(head);
    if (noBody) this.state = Body.Done;
    else if (head.chunked) this.state = Body.ChunkSize;
    else if (head.contentLength >= 0) {
      if (head.contentLength > this.cap) throw new BodyTooLargeError(head);
      this.remaining = head.contentLength;
      // An announced length is read straight into one buffer, unless it is too large to trust
      // before the bytes arrive.
      if (head.contentLength <= PREALLOCATE_MAX) this.single = Buffer.allocUnsafe(head.contentLength);
      this.state = head.contentLength === 0 ? Body.Done : Body.Length;
    } else {
      head.keepAlive = false;
      this.state = Body.UntilClose;
    }
  }

  /** Keeps up to `remaining` bytes from `at`, moving on to `then` once they are all here; returns the new offset. */
  private counted(buf: Uint8Array, at: number, then: Body): number {
    const n = Math.min(this.remaining, buf.length - at);
    this.keep(buf, at, n);
    this.remaining -= n;
    if (this.remaining === 0) this.state = then;
    return at + n;
  }

  private keep(buf: Uint8Array, at: number, n: number): void {
    if (n === 0) return;
    if (this.received + n > this.cap) throw new BodyTooLargeError(this.head!);
    if (this.single) {
      this.single.set(buf.subarray(at, at + n), this.received);
    } else {
      // Copied: the caller's read buffer is reused for the next read.
      this.parts.push(Buffer.from(buf.subarray(at, at + n)));
    }
    this.received += n;
  }

  private chunkLine(text: string): void {
    if (this.state === Body.ChunkDataEnd) {
      if (text !== '') throw new HttpResponseError('malformed chunked encoding: missing CRLF after chunk data');
      this.state = Body.ChunkSize;
      return;
    }
    if (this.state === Body.Trailer) {
      if (text === '') this.state = Body.Done;
      return;
    }
    const semi = text.indexOf(';');
    const hex = (semi < 0 ? text : text.slice(0, semi)).trim();
    if (!/^[0-9a-fA-F]{1,15}$/.test(hex)) throw new HttpResponseError(`malformed chunked encoding: invalid chunk length ${JSON.stringify(hex)}`);
    const size = parseInt(hex, 16);
    if (size === 0) {
      this.state = Body.Trailer;
      return;
    }
    this.remaining = size;
    this.state = Body.ChunkData;
  }
}

/** Offset just past the blank line ending the head (CRLF or bare LF lines), or -1. */
function headEnd(b: Uint8Array): number {
  let lf = b.indexOf(LF);
  while (lf >= 0) {
    const next = lf + 1;
    if (next < b.length && b[next] === LF) return next + 1;
    if (next + 1 < b.length && b[next] === CR && b[next + 1] === LF) return next + 2;
    if (next >= b.length || (next + 1 >= b.length && b[next] === CR)) return -1;
    lf = b.indexOf(LF, next);
  }
  return -1;
}

function latin1(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1', from, to);
}

const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/;

/** Parses the status line and the headers the scrape client needs. */
export function parseHead(text: string): ResponseHead {
  const lines = text.split('\n');
  const first = trimCR(lines[0]!);
  const m = STATUS_LINE.exec(first);
  if (!m) throw new HttpResponseError(`malformed HTTP response ${JSON.stringify(first.slice(0, 100))}`);
  const minor = Number(m[1]);
  const head: ResponseHead = {
    minor,
    status: Number(m[2]),
    reason: m[3] ?? '',
    contentLength: -1,
    chunked: false,
    contentEncoding: '',
    contentType: undefined,
    location: undefined,
    keepAlive: minor === 1,
  };
  for (let i = 1; i < lines.length; i++) {
    const line = trimCR(lines[i]!);
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0 || line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) throw new HttpResponseError(`malformed MIME header line: ${line.slice(0, 100)}`);
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    switch (name) {
      case 'content-length': {
        if (!/^\d{1,15}$/.test(value)) throw new HttpResponseError(`bad Content-Length ${JSON.stringify(value)}`);
        const n = Number(value);
        if (head.contentLength >= 0 && head.contentLength !== n) throw new HttpResponseError('message cannot contain multiple Content-Length headers');
        head.contentLength = n;
        break;
      }
      case 'transfer-encoding': {
        const v = value.toLowerCase();
        if (v === 'chunked') head.chunked = true;
        else if (v !== 'identity') throw new HttpResponseError(`unsupported transfer encoding: ${JSON.stringify(value)}`);
        break;
      }
      case 'content-encoding':
        head.contentEncoding = value.toLowerCase();
        break;
      case 'content-type':
        head.contentType = value;
        break;
      case 'location':
        head.location = value;
        break;
      case 'connection': {
        const v = value.toLowerCase();
        if (v.includes('close')) head.keepAlive = false;
        else if (v.includes('keep-alive')) head.keepAlive = true;
        break;
      }
    }
  }
  // With chunked coding a Content-Length is ignored (RFC 9112 6.3).
  if (head.chunked) head.contentLength = -1;
  return head;
}

function trimCR(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}
