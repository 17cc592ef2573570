import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, HttpResponseError, ResponseParser, parseHead } from './http1-response.js';
import type { ResponseLimits } from './http1-response.js';

const open: ResponseLimits = { maxHeaderBytes: 1 << 20, maxBody: () => Infinity };

/** Feeds `raw` in pieces of `step` bytes (each piece in a buffer that is then overwritten, as a reused read buffer is). */
function feed(raw: string, step: number, limits = open, eof = false): ResponseParser {
  const p = new ResponseParser(limits);
  const bytes = Buffer.from(raw, 'latin1');
  const scratch = Buffer.alloc(Math.max(step, 1));
  for (let i = 0; i < bytes.length; i += step) {
    const n = bytes.copy(scratch, 0, i, Math.min(i + step, bytes.length));
    p.push(scratch.subarray(0, n));
    scratch.fill(0x21);
  }
  if (eof) p.end();
  return p;
}

const BODY = 'metric_a 1\nmetric_b{x="y"} 2\n'.repeat(50);

const CASES: [string, string, boolean][] = [
  ['Content-Length', `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`, false],
  ['chunked, with an extension and a trailer', `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10;ext=1\r\n${BODY.slice(0, 16)}\r\n${(BODY.length - 16).toString(16)}\r\n${BODY.slice(16)}\r\n0\r\nX-Trailer: 1\r\n\r\n`, false],
  ['read until the connection ends', `HTTP/1.0 200 OK\r\n\r\n${BODY}`, true],
  ['bare LF line endings', `HTTP/1.1 200 OK\nContent-Length: ${BODY.length}\n\n${BODY}`, false],
  ['100 Continue first', `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`, false],
];

describe('ResponseParser', () => {
  it.each(CASES)('reads a body framed by %s, however the bytes are split', (_name, raw, eof) => {
    for (const step of [1, 2, 3, 7, 64, 1000, raw.length]) {
      const p = feed(raw, step, open, eof);
      expect(p.done).toBe(true);
      expect(p.head!.status).toBe(200);
      expect(p.body().toString('latin1')).toBe(BODY);
      expect(p.trailing).toBe(false);
    }
  });

  it('does not trust a huge announced length with memory before the bytes come', () => {
    const p = feed('HTTP/1.1 200 OK\r\nContent-Length: 999999999999999\r\n\r\nabc', 5);
    expect(p.done).toBe(false);
    expect(p.received).toBe(3);
    expect(() => p.end()).toThrow('unexpected EOF');
  });

  it('knows when a connection may be reused', () => {
    const keep = (raw: string) => feed(raw, raw.length).head!.keepAlive;
    expect(keep('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')).toBe(true);
    expect(keep('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')).toBe(false);
    expect(keep('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n')).toBe(false);
    expect(keep('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n')).toBe(true);
    // A body that ends with the connection leaves nothing to reuse.
    expect(keep('HTTP/1.1 200 OK\r\n\r\nabc')).toBe(false);
    const extra = feed('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n', 100);
    expect(extra.done && extra.trailing).toBe(true);
  });

  it('has no body for 204 and 304, and takes chunked over Content-Length', () => {
    expect(feed('HTTP/1.1 204 No Content\r\n\r\n', 5).done).toBe(true);
    expect(feed('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n', 5).done).toBe(true);
    const p = feed('HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n', 3);
    expect(p.body().toString()).toBe('ok');
  });

  it('reads the headers the scrape needs, case-insensitively', () => {
    const h = parseHead('HTTP/1.1 302 Found\r\ncontent-TYPE: text/plain; version=0.0.4\r\nContent-Encoding: GZIP\r\nLocation: /next\r\nX-Other:  v ');
    expect(h).toMatchObject({ status: 302, reason: 'Found', contentType: 'text/plain; version=0.0.4', contentEncoding: 'gzip', location: '/next', contentLength: -1 });
    expect(parseHead('HTTP/1.1 503').reason).toBe('');
  });

  it('rejects malformed responses with what was wrong', () => {
    const bad = (raw: string, msg: string | RegExp, eof = false) => expect(() => feed(raw, 4, open, eof)).toThrow(msg);
    bad('SSH-2.0-OpenSSH_9.2\r\n\r\n', 'malformed HTTP response "SSH-2.0-OpenSSH_9.2"');
    bad('HTTP/2 200\r\n\r\n', 'malformed HTTP response "HTTP/2 200"');
    bad('HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n', 'malformed MIME header line: No colon here');
    bad('HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n', 'bad Content-Length "-5"');
    bad('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n', 'multiple Content-Length');
    bad('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', 'unsupported transfer encoding: "gzip, chunked"');
    bad('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'invalid chunk length "zz"');
    bad('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n', 'missing CRLF after chunk data');
    bad(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'1'.repeat(5000)}`, 'line too long');
    bad(`HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort`, 'unexpected EOF', true);
    bad('', /^EOF$/, true);
    expect(() => feed('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort', 3).end()).toThrow(HttpResponseError);
  });

  it('stops at the header size limit', () => {
    const limits = { maxHeaderBytes: 100, maxBody: () => Infinity };
    expect(() => feed(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(200)}\r\n\r\n`, 10, limits)).toThrow('server response headers exceeded 100 bytes; aborted');
    expect(() => feed(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(200)}\r\n\r\n`, 1000, limits)).toThrow('exceeded 100 bytes');
  });

  it('caps the body while it arrives, announced or not', () => {
    const limits = { maxHeaderBytes: 1000, maxBody: () => 10 };
    const tooBig = (raw: string, step: number) => {
      const err = (() => {
        try {
          feed(raw, step, limits, true);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(BodyTooLargeError);
      expect((err as BodyTooLargeError).head.status).toBe(200);
    };
    // An announced length over the cap fails before any body byte is read.
    tooBig('HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n', 100);
    tooBig('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n', 5);
    tooBig(`HTTP/1.1 200 OK\r\n\r\n${'x'.repeat(11)}`, 3);
    expect(feed('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789', 4, limits).body().toString()).toBe('0123456789');
  });
});
