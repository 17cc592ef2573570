// Exposition formats: parse throughput against parse-prometheus-text-format (the npm peer) and
// serialization of 100k series against prom-client's registry.metrics(), side by side in one run.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MetricFamily } from '@promethium/exposition';
import { TextSampleParser, decodeProtobuf, encodeProtobuf, parseText, serializeOpenMetrics, serializeText } from '@promethium/exposition';
import { Gauge, Registry } from 'prom-client';
import { defineSuite } from '../src/harness.js';

const require = createRequire(import.meta.url);
// The peer ships no types: a function from text to an array of families.
const peerParse = require('parse-prometheus-text-format') as (text: string) => unknown[];

const here = dirname(fileURLToPath(import.meta.url));
const SHARED = process.env.PROMETHIUM_SHARED ?? join(here, '../../../shared');

/** A node-exporter-like payload of about `bytes` bytes: labelled counters, gauges and histograms from many hosts. */
export function nodeExporterLike(bytes: number): string {
  const hosts = Math.max(1, Math.ceil(bytes / 16_700));
  const parts: string[] = [];
  const each = (f: (h: string) => void) => {
    for (let i = 0; i < hosts; i++) f(`host${i}.example.org:9100`);
  };
  parts.push('# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n# TYPE node_cpu_seconds_total counter\n');
  each((h) => {
    for (let cpu = 0; cpu < 16; cpu++) {
      for (const mode of ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user']) {
        parts.push(`node_cpu_seconds_total{cpu="${cpu}",instance="${h}",mode="${mode}"} ${(cpu * 1000.37 + mode.length * 17.5).toFixed(2)}\n`);
      }
    }
  });
  parts.push('# HELP node_filesystem_avail_bytes Filesystem space available to non-root users in bytes.\n# TYPE node_filesystem_avail_bytes gauge\n');
  each((h) => {
    for (let d = 0; d < 12; d++) {
      parts.push(`node_filesystem_avail_bytes{device="/dev/sd${String.fromCharCode(97 + d)}1",fstype="ext4",instance="${h}",mountpoint="/mnt/disk${d}"} ${1.2345e11 + d * 1e9}\n`);
    }
  });
  parts.push('# HELP node_network_receive_bytes_total Network device statistic receive_bytes.\n# TYPE node_network_receive_bytes_total counter\n');
  each((h) => {
    for (let d = 0; d < 8; d++) parts.push(`node_network_receive_bytes_total{device="eth${d}",instance="${h}"} ${8.123456789e12 + d}\n`);
  });
  parts.push('# HELP node_disk_io_time_seconds Time spent doing I/Os.\n# TYPE node_disk_io_time_seconds histogram\n');
  each((h) => {
    for (let d = 0; d < 4; d++) {
      let c = 0;
      for (const le of ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf']) {
        c += d + 3;
        parts.push(`node_disk_io_time_seconds_bucket{device="sd${d}",instance="${h}",le="${le}"} ${c}\n`);
      }
      parts.push(`node_disk_io_time_seconds_sum{device="sd${d}",instance="${h}"} ${c * 0.37}\nnode_disk_io_time_seconds_count{device="sd${d}",instance="${h}"} ${c}\n`);
    }
  });
  parts.push('# HELP node_load1 1m load average.\n# TYPE node_load1 gauge\n');
  each((h) => parts.push(`node_load1{instance="${h}"} 0.42\n`));
  return parts.join('');
}

/**
 * Median wall time in ms of each function over `rounds` interleaved rounds (for the samples/s
 * figure, beside tinybench's MB/s, which times one implementation after the other). Every round
 * calls each function once, in an order that rotates, so load swings on a shared machine and the
 * garbage one implementation leaves for the next are spread evenly; one untimed round warms up.
 */
function interleavedMedians(fns: (() => unknown)[], rounds: number): number[] {
  for (const f of fns) f();
  const times: number[][] = fns.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < fns.length; k++) {
      const i = (r + k) % fns.length;
      const s = performance.now();
      fns[i]!();
      times[i]!.push(performance.now() - s);
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[t.length >> 1]!);
}

function countSamples(fams: MetricFamily[]): number {
  return fams.reduce((n, f) => n + f.samples.length, 0);
}

export default defineSuite({
  name: 'exposition',
  description: 'parse (MB/s, samples/s) vs parse-prometheus-text-format; serialize 100k series vs prom-client',
  async run(ctx) {
    const payloads: [string, Buffer][] = [
      ['237-family payload', readFileSync(join(SHARED, 'conformance/textparse/alltypes.237mfs.prom.txt'))],
      ['node-exporter-like', Buffer.from(nodeExporterLike(ctx.quick ? 200_000 : 10_000_000))],
    ];
    for (const [what, bytes] of payloads) {
      const text = bytes.toString();
      const samples = countSamples(parseText(bytes));
      const mb = bytes.length / 1e6;
      ctx.record({ name: `${what}: size`, impl: 'input', value: mb, unit: 'MB', note: `${samples} samples` });
      const streamAll = () => {
        const p = new TextSampleParser(bytes);
        let n = 0;
        for (let t = p.next(); t !== undefined; t = p.next()) if (t === 'sample') n += p.labelCount;
        return n;
      };
      await ctx.bench(
        [
          { name: `parse ${what} (MB/s)`, impl: 'promethium parseText', fn: () => parseText(bytes), itemsPerOp: mb, itemUnit: 'MB' },
          { name: `parse ${what} (MB/s)`, impl: 'promethium TextSampleParser', fn: streamAll, itemsPerOp: mb, itemUnit: 'MB' },
          // The peer takes a string; it gets the decoded string for free (we decode inside the timing).
          { name: `parse ${what} (MB/s)`, impl: 'parse-prometheus-text-format', fn: () => peerParse(text), itemsPerOp: mb, itemUnit: 'MB' },
        ],
        { time: ctx.quick ? 50 : 3000, iterations: 5 },
      );
      // Small payloads take milliseconds: more rounds for a stable median.
      const runs = ctx.quick ? 3 : mb < 1 ? 101 : 15;
      const impls = [
        ['promethium parseText', () => parseText(bytes)],
        ['promethium TextSampleParser', streamAll],
        ['parse-prometheus-text-format', () => peerParse(text)],
      ] as const;
      const medians = interleavedMedians(
        impls.map(([, fn]) => fn),
        runs,
      );
      impls.forEach(([impl], i) => {
        const ms = medians[i]!;
        // Every implementation is credited with all the input's samples, though the peer returns fewer (see "samples kept").
        ctx.record({ name: `parse ${what} (samples/s)`, impl, value: (samples / ms) * 1000, unit: 'samples/s', note: `median ${ms.toFixed(2)} ms of ${runs} interleaved, ${samples} samples` });
        ctx.record({ name: `parse ${what} (MB/s, interleaved)`, impl, value: (mb / ms) * 1000, unit: 'MB/s', note: `same timings as samples/s` });
      });
      // Losslessness: the peer merges labelled histogram children.
      const peerSamples = (peerParse(text) as { metrics: { buckets?: object }[] }[]).reduce(
        (n, f) => n + f.metrics.reduce((k, m) => k + (m.buckets ? Object.keys(m.buckets).length + 2 : 1), 0),
        0,
      );
      ctx.record({ name: `parse ${what}: samples kept`, impl: 'parse-prometheus-text-format', value: peerSamples, unit: 'samples', note: `promethium keeps ${samples}` });
    }

    // Serialization: 100k series in 1000 gauges x 100 children.
    const N = ctx.quick ? 2000 : 100_000;
    const registry = new Registry();
    const fams: MetricFamily[] = [];
    for (let g = 0; g < N / 100; g++) {
      const gauge = new Gauge({ name: `app_gauge_${g}`, help: `Gauge number ${g}.`, labelNames: ['instance', 'path'], registers: [registry] });
      const fam: MetricFamily = { name: `app_gauge_${g}`, type: 'gauge', help: `Gauge number ${g}.`, samples: [] };
      for (let c = 0; c < 100; c++) {
        const labels = { instance: `host-${c % 10}`, path: `/api/v1/item/${c}` };
        const v = g * 1000 + c + 0.5;
        gauge.set(labels, v);
        fam.samples.push({ name: fam.name, labels, value: v });
      }
      fams.push(fam);
    }
    const pb = encodeProtobuf(fams);
    await ctx.bench(
      [
        { name: `serialize ${N} series (series/s)`, impl: 'promethium serializeText', fn: () => serializeText(fams), itemsPerOp: N, itemUnit: 'series' },
        { name: `serialize ${N} series (series/s)`, impl: 'promethium serializeOpenMetrics', fn: () => serializeOpenMetrics(fams), itemsPerOp: N, itemUnit: 'series' },
        { name: `serialize ${N} series (series/s)`, impl: 'promethium encodeProtobuf', fn: () => encodeProtobuf(fams), itemsPerOp: N, itemUnit: 'series' },
        { name: `serialize ${N} series (series/s)`, impl: 'prom-client registry.metrics()', fn: () => registry.metrics(), itemsPerOp: N, itemUnit: 'series' },
        { name: `decode ${N} series protobuf (series/s)`, impl: 'promethium decodeProtobuf', fn: () => decodeProtobuf(pb), itemsPerOp: N, itemUnit: 'series' },
      ],
      { time: ctx.quick ? 50 : 3000, iterations: 5 },
    );
  },
});
