// The prometheus_remote_storage_* series of one queue, with Prometheus 2.42's names, help
// texts and labels (remote_name, url).
import type { MetricFamily, Sample } from '@promethium/exposition';

/** Prometheus' DefBuckets plus 25, 60, 120, 300 for sent_batch_duration_seconds. */
const BATCH_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60, 120, 300];

export class QueueMetrics {
  readonly remoteName: string;
  readonly url: string;
  samplesTotal = 0;
  samplesFailed = 0;
  samplesRetried = 0;
  samplesDropped = 0;
  bytesTotal = 0;
  shards = 0;
  shardsMin = 0;
  shardsMax = 0;
  shardsDesired = 0;
  highestSentTs = 0;
  highestReceivedTs = 0;
  readonly bucketCounts = new Array<number>(BATCH_BUCKETS.length).fill(0);
  batchCount = 0;
  batchSum = 0;

  constructor(remoteName: string, url: string) {
    this.remoteName = remoteName;
    this.url = url;
  }

  observeBatch(seconds: number): void {
    this.batchCount++;
    this.batchSum += seconds;
    for (let i = 0; i < BATCH_BUCKETS.length; i++) if (seconds <= BATCH_BUCKETS[i]!) this.bucketCounts[i]!++;
  }
}

interface FamilySpec {
  name: string;
  type: 'counter' | 'gauge';
  help: string;
  value: (m: QueueMetrics, pending: number) => number;
}

const SPECS: FamilySpec[] = [
  { name: 'prometheus_remote_storage_samples_total', type: 'counter', help: 'Total number of samples sent to remote storage.', value: (m) => m.samplesTotal },
  { name: 'prometheus_remote_storage_samples_failed_total', type: 'counter', help: 'Total number of samples which failed on send to remote storage, non-recoverable errors.', value: (m) => m.samplesFailed },
  { name: 'prometheus_remote_storage_samples_retried_total', type: 'counter', help: 'Total number of samples which failed on send to remote storage but were retried because the send error was recoverable.', value: (m) => m.samplesRetried },
  { name: 'prometheus_remote_storage_samples_dropped_total', type: 'counter', help: 'Total number of samples which were dropped after being read from the WAL before being sent via remote write, either via relabelling or unintentionally because of an unknown reference ID.', value: (m) => m.samplesDropped },
  { name: 'prometheus_remote_storage_samples_pending', type: 'gauge', help: 'The number of samples pending in the queues shards to be sent to the remote storage.', value: (_m, p) => p },
  { name: 'prometheus_remote_storage_bytes_total', type: 'counter', help: 'The total number of bytes of data (not metadata) sent by the queue after compression. Note that when exemplars over remote write is enabled the exemplars included in a remote write request count towards this metric.', value: (m) => m.bytesTotal },
  { name: 'prometheus_remote_storage_shards', type: 'gauge', help: 'The number of shards used for parallel sending to the remote storage.', value: (m) => m.shards },
  { name: 'prometheus_remote_storage_shards_max', type: 'gauge', help: 'The maximum number of shards that the queue is allowed to run.', value: (m) => m.shardsMax },
  { name: 'prometheus_remote_storage_shards_min', type: 'gauge', help: 'The minimum number of shards that the queue is allowed to run.', value: (m) => m.shardsMin },
  { name: 'prometheus_remote_storage_shards_desired', type: 'gauge', help: 'The number of shards that the queues shard calculation wants to run based on the rate of samples in vs. samples out.', value: (m) => m.shardsDesired },
  { name: 'prometheus_remote_storage_queue_highest_sent_timestamp_seconds', type: 'gauge', help: 'Timestamp from a WAL sample, the highest timestamp successfully sent by this queue, in seconds since epoch.', value: (m) => m.highestSentTs },
];

/** Families for all queues; `pending` gives each queue's samples waiting in its shards. */
export function collectQueueMetrics(queues: readonly { metrics: QueueMetrics; pending: number }[], highestAppendedSec?: number): MetricFamily[] {
  const fams: MetricFamily[] = [];
  // Prometheus reports what was appended (so highest - sent is the lag); without storage, what the queues read.
  let highest = highestAppendedSec ?? 0;
  if (highestAppendedSec === undefined) for (const q of queues) highest = Math.max(highest, q.metrics.highestReceivedTs);
  fams.push({
    name: 'prometheus_remote_storage_highest_timestamp_in_seconds',
    type: 'gauge',
    help: 'Highest timestamp that has come into the remote storage via the Appender interface, in seconds since epoch.',
    samples: [{ name: 'prometheus_remote_storage_highest_timestamp_in_seconds', labels: {}, value: highest }],
  });
  for (const spec of SPECS) {
    fams.push({
      name: spec.name,
      type: spec.type,
      help: spec.help,
      samples: queues.map((q) => ({ name: spec.name, labels: { remote_name: q.metrics.remoteName, url: q.metrics.url }, value: spec.value(q.metrics, q.pending) })),
    });
  }
  const h = 'prometheus_remote_storage_sent_batch_duration_seconds';
  const samples: Sample[] = [];
  for (const q of queues) {
    const m = q.metrics;
    const labels = { remote_name: m.remoteName, url: m.url };
    BATCH_BUCKETS.forEach((le, i) => samples.push({ name: `${h}_bucket`, labels: { ...labels, le: String(le) }, value: m.bucketCounts[i]! }));
    samples.push({ name: `${h}_bucket`, labels: { ...labels, le: '+Inf' }, value: m.batchCount });
    samples.push({ name: `${h}_sum`, labels, value: m.batchSum });
    samples.push({ name: `${h}_count`, labels, value: m.batchCount });
  }
  fams.push({ name: h, type: 'histogram', help: 'Duration of send calls to the remote storage.', samples });
  return fams;
}
