// A real remote-write receiver for tests: a node HTTP server on 127.0.0.1:0 that checks the
// protocol headers, decodes snappy + prompb and records every sample, or answers with the
// status a test scripts (500, 429 with Retry-After, 400) to exercise retries and drops.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeWriteRequest } from '../remote/prompb.js';
import { snappyDecode } from '@promethium/tsdb-core';

export interface ReceivedSample {
  /** Labels as `a="1",b="2"` (sorted by name, as sent). */
  series: string;
  t: number;
  v: number;
}

export interface Scripted {
  status: number;
  headers?: Record<string, string>;
}

export interface TestReceiver {
  url: string;
  samples: ReceivedSample[];
  requests: number;
  /** Header problems seen (wrong Content-Encoding etc.): a test expects none. */
  protocolErrors: string[];
  lastHeaders: http.IncomingHttpHeaders | undefined;
  /** Answer the next requests with these instead of 204 (consumed one per request). */
  script: Scripted[];
  /** When set, every request is answered with this status (an outage). */
  failWith: number | undefined;
  /** Answer every request this much later (a slow receiver). */
  delayMs: number;
  close(): Promise<void>;
}

export async function startTestReceiver(): Promise<TestReceiver> {
  const r: TestReceiver = {
    url: '',
    samples: [],
    requests: 0,
    protocolErrors: [],
    lastHeaders: undefined,
    script: [],
    failWith: undefined,
    delayMs: 0,
    close: () => Promise.resolve(),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void new Promise((resolve) => setTimeout(resolve, r.delayMs)).then(() => {
      r.requests++;
      r.lastHeaders = req.headers;
      const h = req.headers;
      if (h['content-encoding'] !== 'snappy') r.protocolErrors.push(`Content-Encoding ${h['content-encoding']}`);
      if (h['content-type'] !== 'application/x-protobuf') r.protocolErrors.push(`Content-Type ${h['content-type']}`);
      if (h['x-prometheus-remote-write-version'] !== '0.1.0') r.protocolErrors.push(`version ${String(h['x-prometheus-remote-write-version'])}`);
      const scripted = r.script.shift() ?? (r.failWith !== undefined ? { status: r.failWith } : undefined);
      if (scripted) {
        res.writeHead(scripted.status, scripted.headers ?? {});
        res.end(`scripted ${scripted.status}\n`);
        return;
      }
      try {
        const wr = decodeWriteRequest(snappyDecode(Buffer.concat(chunks)));
        for (const ts of wr.timeseries) {
          const series = ts.labels.map((l) => `${l.name}="${l.value}"`).join(',');
          for (const s of ts.samples) r.samples.push({ series, t: s.timestamp, v: s.value });
        }
        res.writeHead(204);
        res.end();
      } catch (e) {
        r.protocolErrors.push((e as Error).message);
        res.writeHead(400);
        res.end((e as Error).message);
      }
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`;
  r.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return r;
}
