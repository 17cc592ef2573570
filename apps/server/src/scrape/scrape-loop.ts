// One target's scrape loop: scrapes on a fixed per-target grid (a jittered offset, then exactly
// every interval, and that grid time is the samples' timestamp: no timing noise reaches the
// TSDB), appends through the Appendable with a per-target ref cache, writes the synthetic
// series, and writes staleness markers for series and targets that disappear.
import type { ExpositionFormat, MetricType } from '@promethium/exposition';
import { AppendError, Labels, STALE_NAN } from '@promethium/tsdb-core';
import type { Appendable, Appender } from '@promethium/tsdb-core';
import type { ScrapeConfig } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import type { CompiledRelabel } from '../relabel/relabel.js';
import { acceptHeader, formatForResponse } from './accept.js';
import { ScrapeHttpError, fetchScrape } from './http-client.js';
import { LabelLimitError, checkLabelLimits, mutateSampleLabels, normalizeBucketLabel } from './sample-labels.js';
import { openSource } from './sample-source.js';
import type { EntrySource } from './sample-source.js';
import { EntryList, ScrapeCache } from './scrape-cache.js';
import type { CacheEntry } from './scrape-cache.js';
import type { ScrapeMetrics } from './scrape-metrics.js';
import type { Target } from './target.js';

export class SampleLimitError extends Error {}

const NO_HINTS = new EntryList();

export interface ScrapeLoopOptions {
  target: Target;
  config: ScrapeConfig;
  metricRelabel: readonly CompiledRelabel[];
  appendable: Appendable;
  logger: Logger;
  metrics: ScrapeMetrics;
  /** Mixed into the start offset so several servers spread out differently. */
  offsetSeed: number;
  /** The series cache of this target's loop before a reload, when its labels mean the same. */
  cache?: ScrapeCache;
}

interface AppendStats {
  scraped: number;
  postRelabel: number;
  added: number;
}

const REPORT_NAMES = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
] as const;

export class ScrapeLoop {
  readonly target: Target;
  private readonly opts: ScrapeLoopOptions;
  /** Kept across config reloads that do not change how labels are built (see ScrapePool). */
  readonly cache: ScrapeCache;
  private readonly accept: string;
  private readonly reportLabels: Labels[];
  private readonly reportRefs = [0, 0, 0, 0, 0];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private stopped = false;
  /** Timestamp (ms) of the next scheduled scrape. */
  private next = 0;
  private lastT = 0;

  constructor(opts: ScrapeLoopOptions) {
    this.opts = opts;
    this.target = opts.target;
    this.cache = opts.cache ?? new ScrapeCache();
    this.accept = acceptHeader(opts.config.scrape_protocols);
    this.reportLabels = REPORT_NAMES.map((n) => {
      const lb = new Map<string, string>([['__name__', n]]);
      // Report series get the target labels with exported_ conflict handling, never honor_labels.
      return mutateSampleLabels(lb, this.target.publicLabels, false, []) ?? Labels.EMPTY;
    });
  }

  /** Start offset within the interval, stable per target. */
  offset(): number {
    let h = 2166136261 ^ this.opts.offsetSeed;
    const key = this.target.key;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
    return (h >>> 0) % this.target.interval;
  }

  start(now = Date.now()): void {
    const iv = this.target.interval;
    this.next = Math.floor(now / iv) * iv + this.offset();
    if (this.next < now) this.next += iv;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const t = this.next;
      this.running = this.scrapeOnce(t).finally(() => {
        this.running = undefined;
        const now = Date.now();
        this.next += this.target.interval;
        // A scrape that overran skips the missed grid points rather than bunching up.
        while (this.next <= now) this.next += this.target.interval;
        this.schedule();
      });
    }, Math.max(0, this.next - Date.now()));
  }

  /** Stops scraping. With `stale`, marks every series of the target stale (target gone). */
  async stop(stale: boolean): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.running;
    if (!stale || this.lastT === 0) return;
    const app = this.opts.appendable.appender();
    const t = Math.max(Date.now(), this.lastT + 1);
    this.cache.current(this.opts.config.track_timestamps_staleness, (e) => this.appendStale(app, e, t));
    for (let i = 0; i < this.reportLabels.length; i++) app.append(this.reportRefs[i]!, this.reportLabels[i]!, t, STALE_NAN);
    await app.commit().catch((e: unknown) => this.opts.logger.warn('Writing end-of-run staleness markers failed', { err: e }));
  }

  /** Scrapes once with timestamp `t` (ms) and appends everything. Never throws. */
  async scrapeOnce(t: number): Promise<void> {
    const { config, logger } = this.opts;
    const target = this.target;
    const started = performance.now();
    target.lastScrape = Date.now();
    this.lastT = t;
    let stats: AppendStats = { scraped: 0, postRelabel: 0, added: 0 };
    let err: Error | undefined;
    let app: Appender | undefined;
    let duration = 0;
    this.cache.beginIteration();
    try {
      const res = await fetchScrape({
        url: target.scrapeUrl,
        accept: this.accept,
        timeoutMs: target.timeout,
        bodySizeLimit: config.body_size_limit,
        compression: config.enable_compression,
        client: config,
        signal: this.abort.signal,
      });
      duration = (performance.now() - started) / 1000;
      const format = formatForResponse(res.contentType, config.fallback_scrape_protocol);
      app = this.opts.appendable.appender();
      stats = this.appendBody(app, res.body, format, t, stats);
    } catch (e) {
      err = e instanceof Error ? e : new Error(String(e));
      if (duration === 0) duration = (performance.now() - started) / 1000;
    }
    if (this.abort.signal.aborted) {
      app?.rollback();
      this.cache.abandonIteration();
      return;
    }
    const track = config.track_timestamps_staleness;
    if (err) {
      app?.rollback();
      app = this.opts.appendable.appender();
      const stale = app;
      this.cache.failIteration(track, (e) => this.appendStale(stale, e, t));
      if (err instanceof SampleLimitError) this.opts.metrics.scrapesExceededSampleLimit++;
      if (err instanceof LabelLimitError) this.opts.metrics.scrapesExceededLabelLimits++;
      if (err instanceof ScrapeHttpError && err.message.startsWith('body size limit')) this.opts.metrics.scrapesExceededBodySizeLimit++;
    } else {
      const live = app!;
      this.cache.disappeared(track, (e) => this.appendStale(live, e, t));
    }
    this.report(app!, t, err === undefined, duration, stats);
    // The samples are queryable once appended; the commit's acknowledgement waits for the WAL's
    // group fsync, so the target's state is shown now and corrected if the commit fails.
    const setState = (): void => {
      target.health = err ? 'down' : 'up';
      target.lastError = err ? err.message : '';
    };
    target.lastScrapeDuration = duration;
    target.lastSamples = stats.scraped;
    setState();
    try {
      await app!.commit();
    } catch (e) {
      this.opts.metrics.scrapesFailedCommit++;
      err ??= new Error(`appending scrape results: ${(e as Error).message}`);
      setState();
    }
    this.cache.evict();
    if (err) logger.debug('Scrape failed', { target: target.scrapeUrl, err: err.message });
  }

  private appendStale(app: Appender, e: CacheEntry, t: number): void {
    try {
      e.ref = app.append(e.ref, e.labels!, t, STALE_NAN);
    } catch {
      // A newer explicit-timestamp sample may already be there; nothing to mark then.
    }
  }

  private report(app: Appender, t: number, up: boolean, duration: number, s: AppendStats): void {
    const values = [up ? 1 : 0, duration, s.scraped, s.postRelabel, s.added];
    for (let i = 0; i < values.length; i++) {
      this.reportRefs[i] = app.append(this.reportRefs[i]!, this.reportLabels[i]!, t, values[i]!);
    }
  }

  /** Parses the body and appends its samples; throws (after counting) on parse and limit errors. */
  appendBody(app: Appender, body: Uint8Array, format: ExpositionFormat, t: number, stats: AppendStats): AppendStats {
    const { config, metrics } = this.opts;
    const target = this.target;
    const cache = this.cache;
    const honorTs = config.honor_timestamps;
    const sampleLimit = config.sample_limit;
    const skipCreated = format === 'openmetrics';
    const meta = target.metadata;
    meta.begin();
    const types = new Map<string, MetricType>();
    let lastName = '';
    let family = '';
    let familyType: MetricType = 'unknown';
    let limitExceeded = false;
    let outOfOrder = 0;
    let outOfBounds = 0;
    let duplicates = 0;
    const src = openSource(body, format);
    // Hints: the series the last text scrape had on each sample line, in order.
    const prevOrder = format === 'text' ? cache.order : NO_HINTS;
    const order = cache.newOrder();
    let hint = 0;
    for (let kind = src.next(prevOrder.at(hint)?.key); kind !== undefined; kind = src.next(prevOrder.at(hint)?.key)) {
      if (kind !== 'sample') {
        if (kind === 'type') {
          types.set(src.name, src.metricType);
          meta.setType(src.name, src.metricType);
        } else if (kind === 'help') meta.setHelp(src.name, src.text);
        else if (kind === 'unit') meta.setUnit(src.name, src.text);
        continue;
      }
      stats.scraped++;
      let e: CacheEntry | undefined;
      let name: string;
      if (src.hit) {
        e = prevOrder.at(hint++)!;
        name = e.name;
      } else name = src.name;
      if (name !== lastName) {
        lastName = name;
        family = familyOf(name, types);
        familyType = types.get(family) ?? 'unknown';
      } else name = lastName; // new entries of one family share one name string
      if (skipCreated && name.endsWith('_created') && name === `${family}_created` && familyType !== 'gauge' && familyType !== 'unknown') {
        stats.scraped--;
        continue;
      }
      let isNew = false;
      if (!e) {
        const key = src.series();
        e = cache.series.get(key);
        if (e) {
          // A known series off its expected line (series added or removed above): resync the hints.
          if (prevOrder.at(e.pos) === e) hint = e.pos + 1;
        } else {
          e = this.newEntry(key, name, src, familyType);
          cache.series.set(key, e);
          isNew = true;
        }
      }
      e.pos = order.length;
      order.push(e);
      if (!e.labels) {
        // Dropped by relabeling: still exposed, so kept (not evicted and relabeled again).
        e.lastIter = cache.iter;
        continue;
      }
      const explicit = honorTs && src.timestampMs !== undefined;
      if (!cache.see(e, explicit)) {
        duplicates++;
        continue;
      }
      stats.postRelabel++;
      if (sampleLimit > 0 && stats.postRelabel > sampleLimit) limitExceeded = true;
      if (limitExceeded) continue;
      try {
        e.ref = app.append(e.ref, e.labels, explicit ? src.timestampMs! : t, src.value);
        if (isNew) {
          stats.added++;
          // Keep the storage's interned copy rather than a second one per series.
          e.labels = app.seriesLabels?.(e.ref) ?? e.labels;
        }
      } catch (err) {
        if (!(err instanceof AppendError)) throw err;
        if (err.kind === 'duplicate') duplicates++;
        else if (err.kind === 'out_of_bounds') outOfBounds++;
        else outOfOrder++;
      }
    }
    if (limitExceeded) throw new SampleLimitError('sample limit exceeded');
    // Only text scrapes give hints: another format's series texts were never checked by the text parser.
    if (format === 'text') cache.setOrder(order);
    else cache.clearOrder();
    meta.commit();
    metrics.scrapesSampleDuplicateTimestamp += duplicates;
    metrics.scrapesSampleOutOfOrder += outOfOrder;
    metrics.scrapesSampleOutOfBounds += outOfBounds;
    if (duplicates > 0) this.opts.logger.debug('Duplicate samples in scrape', { target: target.scrapeUrl, count: duplicates });
    return stats;
  }

  /** A cache entry for a series text not seen before: its final labels (undefined if dropped), limits checked. */
  private newEntry(key: string, name: string, src: EntrySource, familyType: MetricType): CacheEntry {
    const { config, metricRelabel } = this.opts;
    const exposed = new Map<string, string>([['__name__', name]]);
    for (let i = 0; i < src.labelCount; i++) {
      const ln = src.labelNames[i]!;
      exposed.set(ln, normalizeBucketLabel(ln, src.labelValues[i]!, familyType));
    }
    const labels = mutateSampleLabels(exposed, this.target.publicLabels, config.honor_labels, metricRelabel);
    if (labels) checkLabelLimits(labels, config);
    return { key, name, pos: -1, ref: 0, labels, lastIter: -1, prevIter: -1, explicitTs: false };
  }
}

const SUFFIXES = ['_bucket', '_count', '_sum', '_total', '_created', '_gcount', '_gsum', '_info'];

/** The family a sample name belongs to, given the TYPE lines seen so far. */
function familyOf(name: string, types: Map<string, MetricType>): string {
  if (types.has(name)) return name;
  for (const s of SUFFIXES) {
    if (name.endsWith(s)) {
      const base = name.slice(0, -s.length);
      if (types.has(base)) return base;
    }
  }
  return name;
}
