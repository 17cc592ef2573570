import { parseOpenMetrics, parseText, serializeOpenMetrics, serializeText, type MetricFamily } from '@promethium/exposition';
import { describe, expect, it } from 'vitest';
import { collectFamilies, renderOpenMetricsParts, renderText } from './exposition.js';
import { OWN_METRIC_TYPES, OwnMetrics } from './own-metrics.js';
import { MetricStore } from './store.js';

function filled(): MetricStore {
  const s = new MetricStore({ ownMetricTypes: OWN_METRIC_TYPES });
  const body = `# HELP req Requests.
# TYPE req counter
req{code="200"} 5
req{code="500"} 1
# TYPE lat histogram
lat_bucket{le="0.1"} 1
lat_bucket{le="+Inf"} 3
lat_sum 0.75
lat_count 3
# TYPE q summary
q{quantile="0.5"} 0.2
q_sum 1
q_count 3
free{x="a\\"b\\\\c"} 1e+06
# TYPE process_open_fds gauge
process_open_fds 3
`;
  for (const i of ['a', 'b', 'c']) expect(s.push('PUT', { job: 'j', instance: i }, parseText(body)).ok).toBe(true);
  s.push('PUT', { job: 'other' }, parseText('# HELP req Newer help.\n# TYPE req counter\nreq 2\n'));
  return s;
}

const own = (): MetricFamily[] => {
  const o = new OwnMetrics();
  o.observePush('put', 0.001, 100);
  o.countRequest(200, 'push', 'put');
  return o.families();
};

/** Families as sorted [name, type, help, sorted sample lines] for comparison. */
function canon(families: MetricFamily[]): unknown {
  return families
    .map((f) => [f.name, f.type, f.help, f.samples.map((s) => JSON.stringify([s.name, Object.entries(s.labels).sort(), s.value])).sort()])
    .sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
}

describe('/metrics rendering from cached bytes', () => {
  it('text equals the generic serializer over the merged families', () => {
    const s = filled();
    const o = own();
    const fast = parseText(renderText(s, o));
    expect(canon(fast)).toEqual(canon(parseText(serializeText(collectFamilies(s, o)))));
    // The newest HELP of a pushed family wins; samples of all groups sit under one header.
    const req = fast.find((f) => f.name === 'req')!;
    expect(req.help).toBe('Newer help.');
    expect(req.samples).toHaveLength(7);
    // Pushed samples of a name the process also exposes join its family.
    expect(fast.find((f) => f.name === 'process_open_fds')!.samples.length).toBe(4);
  });

  it('OpenMetrics is valid and equals the generic serializer', () => {
    const s = filled();
    const o = own();
    const text = Buffer.concat(renderOpenMetricsParts(s, o)).toString();
    expect(text.endsWith('# EOF\n')).toBe(true);
    const fast = parseOpenMetrics(text);
    expect(canon(fast)).toEqual(canon(parseOpenMetrics(serializeOpenMetrics(collectFamilies(s, o)))));
    // Served twice from the cache, identical.
    expect(Buffer.concat(renderOpenMetricsParts(s, o)).toString().replace(/process_\w+.*\n/g, '')).toBe(text.replace(/process_\w+.*\n/g, ''));
  });
});
