// Delivers alerts to Alertmanagers (API v2) as Prometheus' notifier does: external labels
// added, alert relabeling applied, a bounded queue that drops the oldest alerts when full,
// batches sent to every Alertmanager concurrently, and prometheus_notifications_* metrics.
import type { MetricFamily } from '@promethium/exposition';
import type { Agent, RequestOptions } from 'node:http';
import type { HttpClientConfig } from '../config/types.js';
import { clientHeaders } from '../scrape/config-headers.js';
import { post } from './post.js';

export interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** ms since the epoch */
  startsAt: number;
  /** ms since the epoch; absent while the alert is firing with no known end */
  endsAt?: number;
  generatorURL: string;
}

export interface AlertmanagerTarget {
  /** Base URL including any path_prefix, e.g. http://am:9093/prefix */
  url: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Carries tls_config for https Alertmanagers (and the CONNECT tunnel behind a proxy). */
  agent?: Agent;
  /** Over the URL's request options: the proxy's address and absolute-form path. */
  requestOptions?: RequestOptions;
  /** Its credentials and http_headers, read for every request (secret files re-read, as Prometheus does). */
  client?: HttpClientConfig;
}

export interface NotifierOptions {
  queueCapacity?: number;
  maxBatchSize?: number;
  /** Added to alerts that lack them; a function when they change with config reloads. */
  externalLabels?: Record<string, string> | (() => Record<string, string>);
  /** Alert relabeling; return undefined to drop the alert. */
  relabel?: (labels: Record<string, string>) => Record<string, string> | undefined;
  alertmanagers: () => AlertmanagerTarget[];
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, string>) => void;
}

interface PerAm {
  sent: number;
  errors: number;
  latencySum: number;
  latencyCount: number;
}

export class Notifier {
  private queue: Alert[] = [];
  private readonly capacity: number;
  private readonly batch: number;
  private dropped = 0;
  private readonly perAm = new Map<string, PerAm>();
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly opts: NotifierOptions) {
    this.capacity = opts.queueCapacity ?? 10_000;
    this.batch = opts.maxBatchSize ?? 64;
  }

  /** Queues alerts for delivery; never blocks the rule evaluation that calls it. */
  send(alerts: readonly Alert[]): void {
    const e = this.opts.externalLabels ?? {};
    const ext = typeof e === 'function' ? e() : e;
    const prepared: Alert[] = [];
    for (const a of alerts) {
      let labels = { ...a.labels };
      for (const [k, v] of Object.entries(ext)) if (!labels[k]) labels[k] = v;
      if (this.opts.relabel) {
        const r = this.opts.relabel(labels);
        if (!r || Object.keys(r).length === 0) continue;
        labels = r;
      }
      prepared.push({ ...a, labels });
    }
    // Keep the newest alerts when over capacity, as Prometheus does.
    let incoming = prepared;
    if (incoming.length > this.capacity) {
      this.dropped += incoming.length - this.capacity;
      incoming = incoming.slice(incoming.length - this.capacity);
    }
    const overflow = this.queue.length + incoming.length - this.capacity;
    if (overflow > 0) {
      this.dropped += overflow;
      this.queue.splice(0, overflow);
      this.opts.log?.('warn', 'Alert notification queue full, dropping alerts', { num_dropped: String(overflow) });
    }
    this.queue.push(...incoming);
    this.wake?.();
  }

  get queueLength(): number {
    return this.queue.length;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Stops after delivering what is queued (bounded by each request's timeout). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.queue.length === 0) {
        if (this.stopping) return;
        await new Promise<void>((r) => (this.wake = r));
        this.wake = undefined;
        continue;
      }
      const batch = this.queue.splice(0, this.batch);
      await this.deliver(batch);
    }
  }

  /** Delivers everything queued now (used at shutdown and by tests); false if any batch failed everywhere. */
  async flush(): Promise<boolean> {
    let ok = true;
    while (this.queue.length > 0) ok = (await this.deliver(this.queue.splice(0, this.batch))) && ok;
    return ok;
  }

  /** Sends one batch to every Alertmanager; true when at least one accepted it. */
  private async deliver(batch: Alert[]): Promise<boolean> {
    const targets = this.opts.alertmanagers();
    if (targets.length === 0) return false;
    const body = JSON.stringify(batch.map(toApiV2));
    const results = await Promise.all(targets.map((t) => this.sendOne(t, body, batch.length)));
    const ok = results.some(Boolean);
    if (!ok) {
      this.dropped += batch.length;
      this.opts.log?.('error', 'Error sending alerts to every Alertmanager', { count: String(batch.length) });
    }
    return ok;
  }

  private async sendOne(t: AlertmanagerTarget, body: string, n: number): Promise<boolean> {
    const url = `${t.url.replace(/\/$/, '')}/api/v2/alerts`;
    const stats = this.stats(url);
    const start = performance.now();
    try {
      const extra = t.client ? await clientHeaders(t.client) : undefined;
      const res = await post(url, {
        headers: { ...extra, 'Content-Type': 'application/json', 'User-Agent': 'Promethium', ...t.headers },
        body,
        timeoutMs: t.timeoutMs ?? 10_000,
        ...(t.agent ? { agent: t.agent } : {}),
        ...(t.requestOptions ? { requestOptions: t.requestOptions } : {}),
      });
      if (res.status < 200 || res.status >= 300) throw new Error(`bad response status ${res.status} ${res.statusText}: ${res.body.trim().slice(0, 200)}`);
      stats.sent += n;
      return true;
    } catch (e) {
      stats.errors += n;
      const cause = (e as { cause?: { message?: string } }).cause?.message;
      this.opts.log?.('error', 'Error sending alerts', { alertmanager: url, count: String(n), err: cause ?? (e as Error).message });
      return false;
    } finally {
      stats.latencySum += (performance.now() - start) / 1000;
      stats.latencyCount++;
    }
  }

  private stats(url: string): PerAm {
    let s = this.perAm.get(url);
    if (!s) {
      s = { sent: 0, errors: 0, latencySum: 0, latencyCount: 0 };
      this.perAm.set(url, s);
    }
    return s;
  }

  /** The notifier's own metrics, named as Prometheus names them. */
  collect(): MetricFamily[] {
    const per = [...this.perAm.entries()];
    const byAm = (name: string, help: string, type: 'counter', f: (s: PerAm) => number): MetricFamily => ({
      name,
      help,
      type,
      samples: per.map(([am, s]) => ({ name: `${name}_total`, labels: { alertmanager: am }, value: f(s) })),
    });
    return [
      byAm('prometheus_notifications_errors', 'Total number of sent alerts affected by errors.', 'counter', (s) => s.errors),
      byAm('prometheus_notifications_sent', 'Total number of alerts sent.', 'counter', (s) => s.sent),
      {
        name: 'prometheus_notifications_latency_seconds',
        help: 'Latency quantiles for sending alert notifications.',
        type: 'summary',
        samples: per.flatMap(([am, s]) => [
          { name: 'prometheus_notifications_latency_seconds_sum', labels: { alertmanager: am }, value: s.latencySum },
          { name: 'prometheus_notifications_latency_seconds_count', labels: { alertmanager: am }, value: s.latencyCount },
        ]),
      },
      { name: 'prometheus_notifications_dropped', help: 'Total number of alerts dropped due to errors when sending to Alertmanager.', type: 'counter', samples: [{ name: 'prometheus_notifications_dropped_total', labels: {}, value: this.dropped }] },
      { name: 'prometheus_notifications_queue_length', help: 'The number of alert notifications in the queue.', type: 'gauge', samples: [{ name: 'prometheus_notifications_queue_length', labels: {}, value: this.queue.length }] },
      { name: 'prometheus_notifications_queue_capacity', help: 'The capacity of the alert notifications queue.', type: 'gauge', samples: [{ name: 'prometheus_notifications_queue_capacity', labels: {}, value: this.capacity }] },
      { name: 'prometheus_notifications_alertmanagers_discovered', help: 'The number of alertmanagers discovered and active.', type: 'gauge', samples: [{ name: 'prometheus_notifications_alertmanagers_discovered', labels: {}, value: this.opts.alertmanagers().length }] },
    ];
  }
}

function toApiV2(a: Alert): Record<string, unknown> {
  const out: Record<string, unknown> = {
    labels: a.labels,
    annotations: a.annotations,
    startsAt: new Date(a.startsAt).toISOString(),
    generatorURL: a.generatorURL,
  };
  if (a.endsAt !== undefined) out.endsAt = new Date(a.endsAt).toISOString();
  return out;
}
