// One remote_write destination: a WAL watcher feeding shards that batch, encode (prompb
// WriteRequest + snappy) and send with retries. Progress is the WAL position below which every
// sample is acknowledged or deliberately dropped; it is persisted so a restart or an outage of
// the receiver loses nothing (the queue just lags behind the WAL and catches up).
import type { RefSeries, SampleBatch } from '@promethium/tsdb-core';
import type { QueueConfig, RemoteWriteConfig } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { compileRelabel } from '../relabel/relabel.js';
import { readProgress, writeProgress } from './progress.js';
import { QueueMetrics } from './queue-metrics.js';
import { SeriesCache } from './series-cache.js';
import { Shard } from './shard.js';
import type { ShardBatch } from './shard.js';
import { snappyEncode } from '@promethium/tsdb-core';
import { WalWatcher } from './wal-watcher.js';
import { WriteRequestEncoder } from './write-encoder.js';
import { WriteRequestV2Encoder } from './write-encoder-v2.js';
import type { WalConsumer, WalPosition } from './wal-watcher.js';
import { PermanentWriteError, RecoverableWriteError, WriteClient } from './write-client.js';

export interface QueueManagerOptions {
  config: RemoteWriteConfig;
  /** remote_name label: the configured name, else a hash of the config, as Prometheus. */
  name: string;
  externalLabels: Record<string, string>;
  walDir: string;
  progressFile: string;
  logger: Logger;
  /** How often the desired shard count is recomputed (Prometheus: 10s). */
  reshardIntervalMs?: number;
  progressSaveMs?: number;
  pollMs?: number;
}

interface RecordEntry {
  end: WalPosition;
  pending: number;
}

export class QueueManager implements WalConsumer {
  readonly name: string;
  readonly config: RemoteWriteConfig;
  readonly metrics: QueueMetrics;
  private readonly q: QueueConfig;
  private readonly opts: QueueManagerOptions;
  private readonly log: Logger;
  private readonly series: SeriesCache;
  private readonly client: WriteClient;
  private readonly watcher: WalWatcher;
  private readonly encoder = new WriteRequestEncoder();
  private readonly encoderV2: WriteRequestV2Encoder | undefined;
  private shards: Shard[] = [];
  private numShards: number;
  /** Records read but not yet fully sent, oldest first: entries[i] has sequence base + i. */
  private entries: RecordEntry[] = [];
  private head = 0;
  private base = 0;
  private committed: WalPosition | undefined;
  private savedKey = '';
  private stopping = false;
  private readonly abort = new AbortController();
  private resharding: Promise<void> | undefined;
  private timers: NodeJS.Timeout[] = [];
  // Rates for resharding (per interval, exponentially weighted).
  private samplesIn = 0;
  private samplesOut = 0;
  private sendSeconds = 0;
  private rateIn = 0;
  private rateOut = 0;
  private rateSend = 0;
  private lastSendOk = 0;
  /** When the progress marker last moved (or the queue started): how long a lagging queue is stuck. */
  lastProgressAt = Date.now();

  constructor(opts: QueueManagerOptions) {
    this.opts = opts;
    this.name = opts.name;
    this.config = opts.config;
    this.q = opts.config.queue_config;
    this.log = opts.logger.with({ component: 'remote', remote_name: opts.name, url: opts.config.url });
    this.metrics = new QueueMetrics(opts.name, opts.config.url);
    const v2 = opts.config.protobuf_message === 'io.prometheus.write.v2.Request';
    if (v2) this.encoderV2 = new WriteRequestV2Encoder();
    this.series = new SeriesCache(opts.externalLabels, opts.config.write_relabel_configs.map(compileRelabel), v2);
    this.client = new WriteClient({
      v2,
      url: opts.config.url,
      timeoutMs: opts.config.remote_timeout,
      headers: opts.config.headers,
      client: opts.config,
      maxSockets: this.q.max_shards,
    });
    let start: WalPosition | undefined;
    try {
      start = readProgress(opts.progressFile);
    } catch (e) {
      this.log.error((e as Error).message);
    }
    this.committed = start;
    if (start) this.log.info('Resuming remote write from its progress marker', { segment: start.segment, offset: start.offset });
    this.watcher = new WalWatcher({ walDir: opts.walDir, start, consumer: this, logger: this.log, pollMs: opts.pollMs });
    this.numShards = this.q.min_shards;
    this.metrics.shardsMin = this.q.min_shards;
    this.metrics.shardsMax = this.q.max_shards;
  }

  start(): void {
    this.shards = this.makeShards(this.numShards);
    this.watcher.start();
    const reshardMs = this.opts.reshardIntervalMs ?? 10_000;
    this.timers.push(setInterval(() => this.updateShards(reshardMs), reshardMs));
    this.timers.push(setInterval(() => this.saveProgress(), this.opts.progressSaveMs ?? 1000));
    for (const t of this.timers) t.unref();
  }

  /**
   * Stops reading the WAL, tries for up to flushDeadlineMs to send what is buffered, then
   * stops sending; what is not acknowledged stays after the marker for the next start.
   */
  async stop(flushDeadlineMs = 0): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    const flushed = this.watcher.stop().then(() => Promise.all(this.shards.map((s) => s.drain())));
    if (flushDeadlineMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([flushed, new Promise((r) => (timer = setTimeout(r, flushDeadlineMs)))]);
      clearTimeout(timer);
    }
    this.stopping = true;
    this.abort.abort();
    await flushed;
    this.saveProgress();
    this.client.close();
  }

  /** The position up to which everything has been sent (for tests and the marker). */
  progress(): WalPosition | undefined {
    return this.committed;
  }

  poke(): void {
    this.watcher.poke();
  }

  // ---- WAL consumer

  storeSeries(series: RefSeries[], segment: number): void {
    this.series.store(series, segment);
  }

  seriesReset(checkpointSegment: number): void {
    this.series.reset(checkpointSegment);
  }

  skipped(end: WalPosition): void {
    if (this.head === this.entries.length) this.commit(end);
    else this.entries.push({ end, pending: 0 });
  }

  async appendSamples(batch: SampleBatch, end: WalPosition): Promise<void> {
    if (this.resharding) await this.resharding;
    const entry: RecordEntry = { end, pending: 0 };
    const seq = this.base + this.entries.length;
    this.entries.push(entry);
    const { refs, ts, vs, n } = batch;
    let kept = 0;
    let highest = 0;
    for (let i = 0; i < n; i++) {
      const s = this.series.get(refs[i]!);
      const t = ts[i]!;
      if (t > highest) highest = t;
      if (!s) {
        // Relabelled away (null) or a ref the WAL never defined (undefined): counted, never sent.
        this.metrics.samplesDropped++;
        continue;
      }
      let shard = this.shards[refs[i]! % this.shards.length]!;
      while (!shard.push(s, t, vs[i]!, seq)) {
        await shard.space();
        if (this.stopping) return;
        // Shards may have been replaced meanwhile.
        if (this.resharding) await this.resharding;
        shard = this.shards[refs[i]! % this.shards.length]!;
      }
      entry.pending++;
      kept++;
    }
    this.samplesIn += n;
    if (highest / 1000 > this.metrics.highestReceivedTs) this.metrics.highestReceivedTs = highest / 1000;
    if (kept === 0) this.advance();
  }

  // ---- progress

  private commit(end: WalPosition): void {
    this.committed = end;
    this.lastProgressAt = Date.now();
  }

  private advance(): void {
    const entries = this.entries;
    while (this.head < entries.length && entries[this.head]!.pending === 0) {
      this.commit(entries[this.head]!.end);
      this.head++;
    }
    // Compact now and then so the array does not grow without bound.
    if (this.head > 4096 && this.head * 2 > entries.length) {
      this.entries = entries.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
  }

  private done(seqs: number[]): void {
    let i = 0;
    while (i < seqs.length) {
      const seq = seqs[i]!;
      let j = i + 1;
      while (j < seqs.length && seqs[j] === seq) j++;
      const e = this.entries[seq - this.base];
      if (e) e.pending -= j - i;
      i = j;
    }
    this.advance();
  }

  private saveProgress(): void {
    const c = this.committed;
    if (!c) return;
    const key = `${c.segment}:${c.offset}`;
    if (key === this.savedKey) return;
    try {
      writeProgress(this.opts.progressFile, { ...c, url: this.config.url });
      this.savedKey = key;
    } catch (e) {
      this.log.error('Cannot save the remote write progress marker', { file: this.opts.progressFile, err: (e as Error).message });
    }
  }

  // ---- sending

  private makeShards(n: number): Shard[] {
    const shards: Shard[] = [];
    for (let i = 0; i < n; i++) {
      const s = new Shard(this.q.capacity, this.q.max_samples_per_send, this.q.batch_send_deadline, (b) => this.sendBatch(b));
      s.start();
      shards.push(s);
    }
    this.metrics.shards = n;
    return shards;
  }

  pendingSamples(): number {
    let n = 0;
    for (const s of this.shards) n += s.length + s.inFlight;
    return n;
  }

  private encode(b: ShardBatch): Uint8Array {
    if (this.encoderV2) return snappyEncode(this.encoderV2.encode(b.series.map((s) => s.labelStrings), b.ts, b.vs));
    const labels = b.series.map((s) => s.labelBytes);
    return snappyEncode(this.encoder.encode(labels, b.ts, b.vs));
  }

  private async sendBatch(b: ShardBatch): Promise<void> {
    const n = b.ts.length;
    const body = this.encode(b);
    let highest = 0;
    for (const t of b.ts) if (t > highest) highest = t;
    let backoff = this.q.min_backoff;
    for (let attempt = 0; ; attempt++) {
      if (this.stopping) return;
      const started = performance.now();
      this.metrics.samplesTotal += n;
      this.metrics.bytesTotal += body.length;
      try {
        await this.client.store(body, this.abort.signal, n);
        const secs = (performance.now() - started) / 1000;
        this.metrics.observeBatch(secs);
        this.sendSeconds += secs;
        this.samplesOut += n;
        this.lastSendOk = Date.now();
        if (highest / 1000 > this.metrics.highestSentTs) this.metrics.highestSentTs = highest / 1000;
        this.done(b.seqs);
        return;
      } catch (e) {
        if (this.stopping) return;
        this.metrics.observeBatch((performance.now() - started) / 1000);
        const recoverable = e instanceof RecoverableWriteError && (e.status !== 429 || this.q.retry_on_http_429);
        if (!recoverable) {
          this.metrics.samplesFailed += n;
          this.log.error('non-recoverable error, dropping the batch', {
            count: n,
            err: (e as Error).message,
            status: e instanceof PermanentWriteError || e instanceof RecoverableWriteError ? e.status : undefined,
          });
          this.done(b.seqs);
          return;
        }
        this.metrics.samplesRetried += n;
        const wait = e.retryAfterMs ?? backoff;
        if (attempt === 0 || attempt % 20 === 0) {
          this.log.warn('Failed to send batch, retrying', { count: n, err: e.message, retry_in: `${wait}ms` });
        }
        await this.sleep(wait);
        backoff = Math.min(backoff * 2, this.q.max_backoff);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const signal = this.abort.signal;
      function done(): void {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }

  // ---- resharding

  /** Prometheus' idea: shards = time per sample x (incoming rate + a share of the backlog). */
  desiredShards(intervalMs: number): number {
    const secs = intervalMs / 1000;
    const alpha = 0.2;
    const ewma = (prev: number, x: number): number => (prev === 0 ? x : prev + alpha * (x - prev));
    this.rateIn = ewma(this.rateIn, this.samplesIn / secs);
    this.rateOut = ewma(this.rateOut, this.samplesOut / secs);
    this.rateSend = ewma(this.rateSend, this.sendSeconds / secs);
    this.samplesIn = this.samplesOut = this.sendSeconds = 0;
    if (this.rateOut <= 0) return this.numShards;
    const timePerSample = this.rateSend / this.rateOut;
    const backlog = this.pendingSamples();
    const desired = timePerSample * (this.rateIn + (0.1 / secs) * backlog) * 1.1;
    return Math.min(this.q.max_shards, Math.max(this.q.min_shards, Math.ceil(desired)));
  }

  private updateShards(intervalMs: number): void {
    const desired = this.desiredShards(intervalMs);
    this.metrics.shardsDesired = desired;
    if (this.stopping || this.resharding) return;
    const cur = this.numShards;
    if (desired >= cur * 0.7 && desired <= cur * 1.3 && desired !== this.q.min_shards) return;
    if (desired === cur) return;
    // No upscaling while the receiver is failing: more shards would only retry more.
    if (desired > cur && Date.now() - this.lastSendOk > 2 * intervalMs) return;
    this.log.info('Remote storage resharding', { from: cur, to: desired });
    this.resharding = (async () => {
      await Promise.all(this.shards.map((s) => s.drain()));
      if (!this.stopping) {
        this.numShards = desired;
        this.shards = this.makeShards(desired);
      }
      this.resharding = undefined;
    })();
  }
}
