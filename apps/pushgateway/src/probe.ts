import { parseText } from '@promethium/exposition';
import { createApp, MetricStore, OWN_METRIC_TYPES } from './index.js';
function body(families: number, perFamily: number, seed: number): string {
  let s = '';
  for (let f = 0; f < families; f++) {
    s += `# HELP bench_metric_${f} Benchmark gauge ${f}.\n# TYPE bench_metric_${f} gauge\n`;
    for (let i = 0; i < perFamily; i++) s += `bench_metric_${f}{series="s${i}",zone="z${i % 3}"} ${seed + i * 0.25}\n`;
  }
  return s;
}
const B = body(5, 10, 1);
const buf = Buffer.from(B);
let t = performance.now();
for (let i = 0; i < 2000; i++) parseText(buf);
console.log('parse µs', ((performance.now() - t) / 2000) * 1000);
const fams = parseText(buf);
const store = new MetricStore({ ownMetricTypes: OWN_METRIC_TYPES });
t = performance.now();
for (let i = 0; i < 2000; i++) store.push('PUT', { job: 'a', instance: 'x' }, fams);
console.log('store push µs', ((performance.now() - t) / 2000) * 1000);
const app = createApp({ store });
t = performance.now();
for (let i = 0; i < 2000; i++) await app.fetch(new Request('http://x/metrics/job/a/instance/y', { method: 'PUT', body: B }));
console.log('app.fetch µs', ((performance.now() - t) / 2000) * 1000);
