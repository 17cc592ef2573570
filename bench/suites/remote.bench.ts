// Remote write throughput on loopback, with real peers:
// - send: our queue (WAL watcher + shards + protobuf/snappy + HTTP) drains a WAL of 1M samples
//   into Debian's VictoriaMetrics; samples/s from the first request to the last acknowledgement.
// - receive (direct): pre-encoded WriteRequests of 2000 samples POSTed with 4 in flight to our
//   real server binary (--web.enable-remote-write-receiver); steady-state samples/s. Also as
//   remote write 2.0 (io.prometheus.write.v2.Request) against the same binary (Prometheus 2.42
//   cannot receive 2.0).
//   BENCH_REMOTE=receive runs only the direct receive cases.
// - receive (end to end): a real Prometheus 2.42 scrapes a 50k-series target while our server
//   is down, then we start and Prometheus catches up from its WAL; samples/s while catching up.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NOP_LOGGER, QueueManager, WriteRequestV2Encoder, encodeWriteRequest, handleRemoteWrite, parseConfig, snappyEncode, writeProgress } from '@promethium/server';
import { Labels, listSegments, nopLogger, openDB, segmentName } from '@promethium/tsdb-core';
import { defineSuite } from '../src/harness.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const VM = '/usr/bin/victoria-metrics';
const PROMETHEUS = '/usr/bin/prometheus';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function waitHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function kill(p: ChildProcess | undefined): Promise<void> {
  if (!p || p.exitCode !== null) return Promise.resolve();
  const done = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill('SIGKILL');
  return done;
}

function ourServer(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', '--conditions=@promethium/source', join(ROOT, 'apps/server/src/main.ts'), '--log.level=warn', ...args], {
    cwd: ROOT,
    stdio: 'ignore',
  });
}

/** User + system CPU seconds of a process so far (Linux /proc). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function metricValue(url: string, name: string): Promise<number> {
  const text = await (await fetch(url)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

export default defineSuite({
  name: 'remote',
  description: 'remote write: samples/s sent to VictoriaMetrics, received directly and from Prometheus 2.42',
  async run(ctx) {
    const dir = mkdtempSync(join(tmpdir(), 'pm-bench-remote-'));
    try {
      const all = process.env.BENCH_REMOTE !== 'receive';
      if (all && existsSync(VM)) await benchSend(ctx, dir);
      await benchDecodeAppend(ctx, dir, 1);
      await benchDecodeAppend(ctx, dir, 2);
      await benchReceiveDirect(ctx, dir, 'promethium');
      await benchReceiveDirect(ctx, dir, 'promethium (rw 2.0)');
      // The peer in the same run: Prometheus' own receiver, same requests.
      if (existsSync(PROMETHEUS)) await benchReceiveDirect(ctx, dir, 'prometheus 2.42');
      if (!all) return;
      if (existsSync(PROMETHEUS)) await benchReceiveFromPrometheus(ctx, dir, 'promethium');
      // The sending peer: the same Prometheus catch-up into VictoriaMetrics.
      if (existsSync(PROMETHEUS) && existsSync(VM)) await benchReceiveFromPrometheus(ctx, dir, 'victoriametrics');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

type Ctx = Parameters<Parameters<typeof defineSuite>[0]['run']>[0];

async function benchSend(ctx: Ctx, dir: string): Promise<void> {
  const series = ctx.quick ? 2000 : 20_000;
  const rounds = ctx.quick ? 5 : 50;
  const total = series * rounds;
  const dataDir = join(dir, 'send-db');
  const db = await openDB(dataDir, { logger: nopLogger, walSync: 'none', compactionInterval: 0, headSnapshot: false });
  const labels = Array.from({ length: series }, (_, i) => Labels.from({ __name__: `bench_metric_${i % 100}`, instance: `host-${Math.floor(i / 100)}`, job: 'bench', idx: String(i) }));
  const t0 = Date.now() - rounds * 15_000;
  for (let r = 0; r < rounds; r++) {
    const app = db.appender();
    for (let i = 0; i < series; i++) app.append(0, labels[i]!, t0 + r * 15_000, (r * 7 + i) % 1000);
    await app.commit();
  }
  await db.close();
  const walDir = join(dataDir, 'wal');
  const segs = listSegments(walDir);
  const last = segs[segs.length - 1]!;
  const endOffset = statSync(segmentName(walDir, last)).size;
  const rates: number[] = [];
  const vmPort = await freePort();
  const vm = spawn(VM, [`-storageDataPath=${join(dir, 'vm')}`, `-httpListenAddr=127.0.0.1:${vmPort}`, '-retentionPeriod=100y', '-loggerLevel=ERROR'], { stdio: 'ignore' });
  try {
    await waitHttp(`http://127.0.0.1:${vmPort}/health`);
    const yaml = `remote_write:\n  - url: http://127.0.0.1:${vmPort}/api/v1/write\n    queue_config:\n      capacity: 20000\n      max_samples_per_send: 5000\n      min_shards: 4\n      max_shards: 8\n      batch_send_deadline: 1s\n`;
    const cfg = parseConfig(yaml, 'bench.yml').config.remote_write[0]!;
    for (let run = 0; run < (ctx.quick ? 1 : 3); run++) {
      const marker = join(dir, `marker-${run}.json`);
      writeProgress(marker, { segment: segs[0]!, offset: 0, url: cfg.url });
      const q = new QueueManager({ config: cfg, name: 'vm', externalLabels: {}, walDir, progressFile: marker, logger: NOP_LOGGER, pollMs: 10 });
      const started = performance.now();
      q.start();
      for (;;) {
        const p = q.progress();
        if (p && p.segment === last && p.offset >= endOffset) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      const secs = (performance.now() - started) / 1000;
      await q.stop();
      if (q.metrics.samplesFailed > 0) throw new Error(`${q.metrics.samplesFailed} samples failed`);
      rates.push(total / secs);
    }
  } finally {
    await kill(vm);
  }
  ctx.record({
    name: `send ${total} samples from the WAL to VictoriaMetrics 1.79`,
    impl: 'promethium',
    value: Math.round(median(rates)),
    unit: 'samples/s',
    note: `median of ${rates.length}: ${rates.map((r) => Math.round(r)).join(', ')}; ${series} series x ${rounds} rounds, 4-8 shards, 5000/send; target >= 200k`,
  });
}

/** One WriteRequest: series [from, from+n) with one sample each at t. */
const V2_HEADERS = { 'Content-Type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request', 'X-Prometheus-Remote-Write-Version': '2.0.0' };

function requestV2(from: number, n: number, t: number): Uint8Array {
  const pairs: string[][] = [];
  const ts: number[] = [];
  const vs: number[] = [];
  for (let i = from; i < from + n; i++) {
    pairs.push(['__name__', `bench_metric_${i % 100}`, 'idx', String(i), 'instance', `host-${Math.floor(i / 100)}`, 'job', 'bench']);
    ts.push(t);
    vs.push((i * 3 + t) % 1000);
  }
  return snappyEncode(new WriteRequestV2Encoder().encode(pairs, ts, vs));
}

function request(from: number, n: number, t: number): Uint8Array {
  const timeseries = [];
  for (let i = from; i < from + n; i++) {
    timeseries.push({
      labels: [
        { name: '__name__', value: `bench_metric_${i % 100}` },
        { name: 'idx', value: String(i) },
        { name: 'instance', value: `host-${Math.floor(i / 100)}` },
        { name: 'job', value: 'bench' },
      ],
      samples: [{ value: (i * 3 + t) % 1000, timestamp: t }],
    });
  }
  return snappyEncode(encodeWriteRequest({ timeseries, metadata: [] }));
}

function post(agent: http.Agent, port: number, body: Uint8Array, v2 = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/api/v1/write', method: 'POST', agent, headers: { 'Content-Encoding': 'snappy', 'Content-Type': 'application/x-protobuf', 'X-Prometheus-Remote-Write-Version': '0.1.0', ...(v2 ? V2_HEADERS : {}), 'Content-Length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The receiver without HTTP and fsync: handleRemoteWrite (decode, validate, append, commit) in process. */
async function benchDecodeAppend(ctx: Ctx, dir: string, version: 1 | 2): Promise<void> {
  const series = ctx.quick ? 10_000 : 100_000;
  const perReq = 2000;
  const rounds = ctx.quick ? 2 : 4;
  const db = await openDB(join(dir, `inproc-${version}`), { logger: nopLogger, walSync: 'none', compactionInterval: 0, headSnapshot: false });
  const opts = version === 2 ? { contentType: V2_HEADERS['Content-Type'] } : {};
  try {
    const t0 = Date.now() - 3600_000;
    const rates: number[] = [];
    for (let r = 0; r <= rounds; r++) {
      const bodies: Uint8Array[] = [];
      for (let from = 0; from < series; from += perReq) bodies.push((version === 2 ? requestV2 : request)(from, perReq, t0 + r * 15_000));
      const started = performance.now();
      for (const b of bodies) {
        const res = await handleRemoteWrite(b, db, opts);
        if (res.status !== 204) throw new Error(res.message);
      }
      if (r > 0) rates.push(series / ((performance.now() - started) / 1000));
    }
    ctx.record({
      name: `decode + append in process, ${perReq}/request (no HTTP, no fsync)`,
      impl: version === 2 ? 'promethium (rw 2.0)' : 'promethium',
      value: Math.round(median(rates)),
      unit: 'samples/s',
      note: `median of ${rates.length} steady-state rounds of ${series} samples: ${rates.map((r) => Math.round(r)).join(', ')}`,
    });
  } finally {
    await db.close();
  }
}

async function benchReceiveDirect(ctx: Ctx, dir: string, impl: 'promethium' | 'promethium (rw 2.0)' | 'prometheus 2.42'): Promise<void> {
  const v2 = impl === 'promethium (rw 2.0)';
  const series = ctx.quick ? 10_000 : 100_000;
  const perReq = 2000;
  const rounds = ctx.quick ? 2 : 4;
  const port = await freePort();
  writeFileSync(join(dir, 'rx.yml'), 'global:\n  scrape_interval: 1m\n');
  const args = [`--config.file=${join(dir, 'rx.yml')}`, `--storage.tsdb.path=${join(dir, `rx-data-${impl.replace(/\W/g, '')}`)}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-remote-write-receiver'];
  const proc = impl === 'prometheus 2.42' ? spawn(PROMETHEUS, args, { stdio: 'ignore' }) : ourServer(args);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  try {
    await waitHttp(`http://127.0.0.1:${port}/-/ready`);
    const t0 = Date.now() - 3600_000;
    const rates: number[] = [];
    const sizeNote = v2 ? `; a 2.0 request is ${requestV2(0, perReq, t0).length} bytes vs ${request(0, perReq, t0).length} for 1.0 (snappy)` : '';
    // Round 0 creates the series; the steady state (appends to known series) is what is measured.
    for (let r = 0; r <= rounds; r++) {
      const bodies: Uint8Array[] = [];
      for (let from = 0; from < series; from += perReq) bodies.push((v2 ? requestV2 : request)(from, perReq, t0 + r * 15_000));
      const started = performance.now();
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < bodies.length) {
          const status = await post(agent, port, bodies[next++]!, v2);
          if (status !== 204) throw new Error(`receiver answered ${status}`);
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      const rate = series / ((performance.now() - started) / 1000);
      if (r > 0) rates.push(rate);
      else ctx.record({ name: `receive: first round (creates ${series} series)`, impl, value: Math.round(rate), unit: 'samples/s', note: `${perReq} samples per request, 4 in flight` });
    }
    ctx.record({
      name: `receive ${series} samples per round, ${perReq}/request, 4 in flight`,
      impl,
      value: Math.round(median(rates)),
      unit: 'samples/s',
      note: `median of ${rates.length} rounds: ${rates.map((r) => Math.round(r)).join(', ')}; real server binary${impl === 'prometheus 2.42' ? '' : ', WAL fsync per request; target >= 300k'}${sizeNote}`,
    });
  } finally {
    agent.destroy();
    await kill(proc);
  }
}

async function benchReceiveFromPrometheus(ctx: Ctx, dir: string, receiver: 'promethium' | 'victoriametrics'): Promise<void> {
  const series = ctx.quick ? 5000 : 50_000;
  const backlogSecs = ctx.quick ? 5 : 20;
  let scrape = 0;
  const target = createServer((_req, res) => {
    scrape++;
    const lines: string[] = ['# TYPE big_gauge gauge'];
    for (let i = 0; i < series; i++) lines.push(`big_gauge{idx="${i}",group="g${i % 50}"} ${(i + scrape) % 1000}`);
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(lines.join('\n') + '\n');
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const targetAddr = `127.0.0.1:${(target.address() as AddressInfo).port}`;
  const ourPort = await freePort();
  const promPort = await freePort();
  writeFileSync(
    join(dir, 'prom.yml'),
    `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: big\n    static_configs:\n      - targets: ['${targetAddr}']\nremote_write:\n  - url: http://127.0.0.1:${ourPort}/api/v1/write\n    queue_config:\n      min_shards: 16\n      max_shards: 32\n      capacity: 10000\n      max_samples_per_send: 2000\n      max_backoff: 200ms\n`,
  );
  writeFileSync(join(dir, 'ours.yml'), 'global:\n  scrape_interval: 1m\n');
  const prom = spawn(PROMETHEUS, [`--config.file=${join(dir, 'prom.yml')}`, `--storage.tsdb.path=${join(dir, `prom-${receiver}`)}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' });
  let ours: ChildProcess | undefined;
  const promMetrics = `http://127.0.0.1:${promPort}/metrics`;
  try {
    await waitHttp(`http://127.0.0.1:${promPort}/-/ready`);
    // Our receiver is down: Prometheus' queue falls behind its WAL.
    await new Promise((r) => setTimeout(r, backlogSecs * 1000));
    ours =
      receiver === 'promethium'
        ? ourServer([`--config.file=${join(dir, 'ours.yml')}`, `--storage.tsdb.path=${join(dir, 'ours')}`, `--web.listen-address=127.0.0.1:${ourPort}`, '--web.enable-remote-write-receiver'])
        : spawn(VM, [`-storageDataPath=${join(dir, 'vm-peer')}`, `-httpListenAddr=127.0.0.1:${ourPort}`, '-retentionPeriod=100y', '-loggerLevel=ERROR'], { stdio: 'ignore' });
    await waitHttp(`http://127.0.0.1:${ourPort}/${receiver === 'promethium' ? '-/ready' : 'health'}`);
    const upAt = Date.now() / 1000;
    const before = await metricValue(promMetrics, 'prometheus_remote_storage_samples_total');
    const cpu0 = [cpuSeconds(ours.pid), cpuSeconds(prom.pid)];
    const started = performance.now();
    // Caught up: the queue has sent a sample scraped after we came up.
    for (;;) {
      const sent = await metricValue(promMetrics, 'prometheus_remote_storage_queue_highest_sent_timestamp_seconds');
      if (sent >= upAt) break;
      if (performance.now() - started > 300_000) throw new Error('Prometheus did not catch up in 5 minutes');
      await new Promise((r) => setTimeout(r, 200));
    }
    const secs = (performance.now() - started) / 1000;
    const cpuOurs = (cpuSeconds(ours.pid) - cpu0[0]!) / secs;
    const cpuProm = (cpuSeconds(prom.pid) - cpu0[1]!) / secs;
    const after = await metricValue(promMetrics, 'prometheus_remote_storage_samples_total');
    const failed = await metricValue(promMetrics, 'prometheus_remote_storage_samples_failed_total');
    ctx.record({
      name:
        receiver === 'promethium'
          ? `receive from Prometheus 2.42 catching up a ${backlogSecs}s backlog of ${series} series/s`
          : `send to VictoriaMetrics: Prometheus catching up a ${backlogSecs}s backlog of ${series} series/s`,
      impl: receiver === 'promethium' ? 'promethium' : 'prometheus 2.42',
      value: Math.round((after - before) / secs),
      unit: 'samples/s',
      note: `${Math.round(after - before)} samples in ${secs.toFixed(1)} s (Prometheus' samples_total delta), failed ${failed}; CPU cores busy: receiver ${cpuOurs.toFixed(2)}, Prometheus ${cpuProm.toFixed(2)}; Prometheus 16-32 shards, 2000/send`,
    });
  } finally {
    await kill(ours);
    await kill(prom);
    await new Promise<void>((r) => target.close(() => r()));
  }
}
