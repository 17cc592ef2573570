// The CONNECT tunnel against real sockets: the request it sends, a refused CONNECT, bytes the
// proxy sends right after its 200, an unreachable proxy.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../testing/http-target.js';
import { ProxyConnectError, connectTunnel } from './connect-tunnel.js';
import { parseProxyUrl } from './proxy-resolver.js';

const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A raw TCP "proxy" answering the first request head with `answer`; records what it got. */
async function rawProxy(answer: string): Promise<{ port: number; got: string[] }> {
  const got: string[] = [];
  const server = net.createServer((s) => {
    let buf = '';
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      if (buf.includes('\r\n\r\n')) {
        got.push(buf);
        s.write(answer);
      }
    });
    s.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, got };
}

function open(port: number, headers?: Record<string, string[]>, proxyUrl = `http://127.0.0.1:${port}`): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    connectTunnel(parseProxyUrl(proxyUrl), 'target.test', 8443, headers, (err, socket) => (err ? reject(err) : resolve(socket!)));
  });
}

describe('connectTunnel', () => {
  it('sends CONNECT with credentials and headers, and keeps bytes sent after the 200', async () => {
    const p = await rawProxy('HTTP/1.1 200 Connection Established\r\nX-Via: t\r\n\r\nhello');
    const socket = await open(p.port, { 'X-Team': ['a', 'b'] }, `http://u:p@127.0.0.1:${p.port}`);
    // The tunnel comes paused (TLS takes it over); a raw reader resumes it.
    const first = await new Promise<string>((r) => socket.once('data', (d: Buffer) => r(d.toString())).resume());
    socket.destroy();
    expect(first).toBe('hello');
    expect(p.got[0]).toBe(`CONNECT target.test:8443 HTTP/1.1\r\nHost: target.test:8443\r\nProxy-Authorization: Basic ${Buffer.from('u:p').toString('base64')}\r\nX-Team: a\r\nX-Team: b\r\n\r\n`);
  });

  it("fails with the proxy's status text, as Go does", async () => {
    const p = await rawProxy('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    await expect(open(p.port)).rejects.toThrow(new ProxyConnectError('Forbidden'));
    const bad = await rawProxy('SSH-2.0-OpenSSH\r\n\r\n');
    await expect(open(bad.port)).rejects.toThrow('proxyconnect tcp: malformed HTTP response "SSH-2.0-OpenSSH"');
  });

  it('gives up on a proxy that never answers the CONNECT', async () => {
    const silent = net.createServer((s) => s.on('error', () => undefined));
    servers.push(silent);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const err = await new Promise<Error | undefined>((r) => connectTunnel(parseProxyUrl(`127.0.0.1:${port}`), 'x.test', 443, undefined, (e) => r(e), 100));
    expect(err?.message).toBe(`proxyconnect tcp: no answer to CONNECT from 127.0.0.1:${port} within 100ms (i/o timeout)`);
  });

  it('says proxyconnect when the proxy is unreachable', async () => {
    const port = await freePort();
    await expect(open(port)).rejects.toThrow(`proxyconnect tcp: dial tcp 127.0.0.1:${port}: connect: connection refused`);
  });
});
