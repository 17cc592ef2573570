// The Pushgateway's own metrics, named as the real one's: pushgateway_build_info, push
// durations and sizes (summaries with 0.1/0.5/0.9 quantiles over a sliding window), request
// counts, and the process_* gauges every Prometheus exporter exposes.
import { readdirSync, readFileSync } from 'node:fs';
import type { MetricFamily, MetricType, Sample } from '@promethium/exposition';

export const VERSION = '0.1.0';

const QUANTILES = [0.1, 0.5, 0.9];
/** Observations kept per summary: a sliding window, like Go's 10-minute age buckets. */
const WINDOW = 512;

class WindowSummary {
  private readonly window: number[] = [];
  private next = 0;
  count = 0;
  sum = 0;
  observe(v: number): void {
    this.count++;
    this.sum += v;
    if (this.window.length < WINDOW) this.window.push(v);
    else this.window[this.next] = v;
    this.next = (this.next + 1) % WINDOW;
  }
  quantile(q: number): number {
    if (this.window.length === 0) return NaN;
    const sorted = [...this.window].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  }
}

/** Families the process exposes itself, with their types (pushes must not contradict them). */
export const OWN_METRIC_TYPES: ReadonlyMap<string, MetricType> = new Map<string, MetricType>([
  ['pushgateway_build_info', 'gauge'],
  ['pushgateway_http_push_duration_seconds', 'summary'],
  ['pushgateway_http_push_size_bytes', 'summary'],
  ['pushgateway_http_requests_total', 'counter'],
  ['process_cpu_seconds_total', 'counter'],
  ['process_max_fds', 'gauge'],
  ['process_open_fds', 'gauge'],
  ['process_resident_memory_bytes', 'gauge'],
  ['process_start_time_seconds', 'gauge'],
  ['process_virtual_memory_bytes', 'gauge'],
  ['process_heap_bytes', 'gauge'],
]);

export class OwnMetrics {
  private readonly durations = new Map<string, WindowSummary>();
  private readonly sizes = new Map<string, WindowSummary>();
  private readonly requests = new Map<string, { code: string; handler: string; method: string; n: number }>();
  private readonly startTimeSeconds = Math.floor(Date.now() / 1000 - process.uptime());

  /** A push finished: method is lower-case as upstream labels it (put, post, delete). */
  observePush(method: string, seconds: number, bytes: number): void {
    get(this.durations, method).observe(seconds);
    get(this.sizes, method).observe(bytes);
  }

  /** Any request other than a scrape. */
  countRequest(code: number, handler: string, method: string): void {
    const key = `${code}\xff${handler}\xff${method}`;
    const r = this.requests.get(key);
    if (r) r.n++;
    else this.requests.set(key, { code: String(code), handler, method, n: 1 });
  }

  families(): MetricFamily[] {
    const out: MetricFamily[] = [];
    out.push(...processFamilies(this.startTimeSeconds));
    out.push({
      name: 'pushgateway_build_info',
      type: 'gauge',
      help: "A metric with a constant '1' value labeled by version, revision, branch, goversion from which pushgateway was built, and the goos and goarch for the build.",
      samples: [
        {
          name: 'pushgateway_build_info',
          labels: { branch: 'promethium', goarch: process.arch, goos: process.platform, goversion: `node${process.versions.node}`, revision: VERSION, version: VERSION },
          value: 1,
        },
      ],
    });
    out.push(summary('pushgateway_http_push_duration_seconds', 'HTTP request duration for pushes to the Pushgateway.', this.durations));
    out.push(summary('pushgateway_http_push_size_bytes', 'HTTP request size for pushes to the Pushgateway.', this.sizes));
    out.push({
      name: 'pushgateway_http_requests_total',
      type: 'counter',
      help: 'Total HTTP requests processed by the Pushgateway, excluding scrapes.',
      samples: [...this.requests.values()].map((r) => ({
        name: 'pushgateway_http_requests_total',
        labels: { code: r.code, handler: r.handler, method: r.method },
        value: r.n,
      })),
    });
    return out.filter((f) => f.samples.length > 0);
  }
}

function get(m: Map<string, WindowSummary>, k: string): WindowSummary {
  let s = m.get(k);
  if (!s) m.set(k, (s = new WindowSummary()));
  return s;
}

function summary(name: string, help: string, by: Map<string, WindowSummary>): MetricFamily {
  const samples: Sample[] = [];
  for (const [method, s] of [...by].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    for (const q of QUANTILES) samples.push({ name, labels: { method, quantile: String(q) }, value: s.quantile(q) });
    samples.push({ name: `${name}_sum`, labels: { method }, value: s.sum });
    samples.push({ name: `${name}_count`, labels: { method }, value: s.count });
  }
  return { name, type: 'summary', help, samples };
}

function gauge(name: string, help: string, value: number, type: MetricType = 'gauge'): MetricFamily {
  return { name, type, help, samples: [{ name, labels: {}, value }] };
}

function processFamilies(startTimeSeconds: number): MetricFamily[] {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  const out = [
    gauge('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', (cpu.user + cpu.system) / 1e6, 'counter'),
    gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', mem.rss),
    gauge('process_heap_bytes', 'Process heap size in bytes.', mem.heapTotal),
    gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', startTimeSeconds),
  ];
  // Linux only, as in client_golang: fds and virtual memory from /proc.
  try {
    out.push(gauge('process_open_fds', 'Number of open file descriptors.', readdirSync('/proc/self/fd').length));
    const limits = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (limits) out.push(gauge('process_max_fds', 'Maximum number of open file descriptors.', Number(limits[1])));
    const vsize = Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ')[20]);
    if (Number.isFinite(vsize)) out.push(gauge('process_virtual_memory_bytes', 'Virtual memory size in bytes.', vsize));
  } catch {
    // Not Linux: the portable gauges above are all there is.
  }
  return out;
}
