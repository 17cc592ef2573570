import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeIdleConnections, http1Get } from './http1-pool.js';
import type { Http1Response } from './http1-pool.js';

/** A raw TCP server: `onRequest` gets each complete request head and its socket. */
async function rawServer(onRequest: (socket: net.Socket, head: string, n: number) => void) {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  let requests = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buf = '';
    socket.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (let end = buf.indexOf('\r\n\r\n'); end >= 0; end = buf.indexOf('\r\n\r\n')) {
        const head = buf.slice(0, end);
        buf = buf.slice(end + 4);
        onRequest(socket, head, ++requests);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const s = {
    port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const c of sockets) c.destroy();
        server.close(() => r());
      }),
  };
  cleanups.push(s.close);
  return s;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  closeIdleConnections();
  for (const c of cleanups.splice(0)) await c();
});

const limits = { maxHeaderBytes: 1 << 20, maxBody: () => Infinity };

function get(port: number, path = '/metrics'): Promise<Http1Response> {
  return new Promise((resolve, reject) => {
    const bytes = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    http1Get({ host: '127.0.0.1', port, bytes, limits }, (err, res) => (err ? reject(err) : resolve(res!)));
  });
}

const ok = (body: string, extra = '') => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;

describe('http1Get', () => {
  it('sends the request bytes and keeps one connection for successive requests', async () => {
    const heads: string[] = [];
    const s = await rawServer((socket, head, n) => {
      heads.push(head);
      socket.write(ok(`body ${n}`));
    });
    for (let i = 1; i <= 3; i++) expect((await get(s.port)).body.toString()).toBe(`body ${i}`);
    expect(s.connections).toBe(1);
    expect(heads[0]).toBe(`GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:${s.port}`);
  });

  it('runs concurrent requests to one host on separate connections, then keeps them', async () => {
    const s = await rawServer((socket, _head, n) => setTimeout(() => socket.write(ok(`r${n}`)), 20));
    const bodies = (await Promise.all([get(s.port), get(s.port), get(s.port)])).map((r) => r.body.toString()).sort();
    expect(bodies).toEqual(['r1', 'r2', 'r3']);
    expect(s.connections).toBe(3);
    await Promise.all([get(s.port), get(s.port)]);
    expect(s.connections).toBe(3);
  });

  it('sends again on a new connection when the server had closed the idle one', async () => {
    const s = await rawServer((socket, _head, n) => {
      // Answers as if keeping the connection, then drops it: the next request meets a dead socket.
      socket.write(ok(`r${n}`), () => socket.destroy());
    });
    expect((await get(s.port)).body.toString()).toBe('r1');
    await new Promise((r) => setTimeout(r, 50));
    expect((await get(s.port)).body.toString()).toBe('r2');
    expect(s.connections).toBe(2);
  });

  it('sends again when a reused connection is dropped before any answer, once', async () => {
    const served = new WeakMap<net.Socket, number>();
    const s = await rawServer((socket, _head, n) => {
      const k = (served.get(socket) ?? 0) + 1;
      served.set(socket, k);
      // The second request on a connection meets a server that has just given up on it.
      if (k === 2) socket.destroy();
      else socket.write(ok(`r${n}`));
    });
    expect((await get(s.port)).body.toString()).toBe('r1');
    expect((await get(s.port)).body.toString()).toBe('r3');
    expect(s.connections).toBe(2);
  });

  it('reports EOF, and does not retry, when a new connection is closed without an answer', async () => {
    const s = await rawServer((socket) => socket.destroy());
    await expect(get(s.port)).rejects.toThrow(/^EOF$|ECONNRESET/);
    expect(s.connections).toBe(1);
  });

  it('does not reuse a connection after Connection: close, HTTP/1.0 or stray bytes', async () => {
    const answers = [ok('a', 'Connection: close\r\n'), 'HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nb', ok('c') + 'junk', ok('d'), ok('e')];
    const s = await rawServer((socket, _head, n) => {
      socket.write(answers[n - 1]!);
      if (n === 1 || n === 2) socket.end();
    });
    const got: string[] = [];
    for (let i = 0; i < 5; i++) got.push((await get(s.port)).body.toString());
    expect(got).toEqual(['a', 'b', 'c', 'd', 'e']);
    // a, b and c each closed their connection; d and e share the last one.
    expect(s.connections).toBe(4);
  });

  it('fails on a malformed response and closes that connection', async () => {
    const s = await rawServer((socket, _head, n) => socket.write(n === 1 ? 'garbage\r\n\r\n' : ok('fine')));
    await expect(get(s.port)).rejects.toThrow('malformed HTTP response "garbage"');
    expect((await get(s.port)).body.toString()).toBe('fine');
    expect(s.connections).toBe(2);
  });

  it('reports refused connections with the socket error', async () => {
    const s = await rawServer(() => {});
    const port = s.port;
    await s.close();
    const err = (await get(port).catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(err.code).toBe('ECONNREFUSED');
  });

  it('cancels without calling back, closing the connection', async () => {
    let closed = false;
    const s = await rawServer((socket) => socket.on('close', () => (closed = true)));
    let called = false;
    const h = http1Get({ host: '127.0.0.1', port: s.port, bytes: Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), limits }, () => (called = true));
    await new Promise((r) => setTimeout(r, 50));
    h.cancel();
    await new Promise((r) => setTimeout(r, 50));
    expect(called).toBe(false);
    expect(closed).toBe(true);
  });
});
