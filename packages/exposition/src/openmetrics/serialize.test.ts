import { describe, expect, it } from 'vitest';
import type { MetricFamily } from '../index.js';
import { parseText, serializeOpenMetrics } from '../index.js';

describe('serializeOpenMetrics', () => {
  it('writes families from text 0.0.4 the way client_golang writes OpenMetrics', () => {
    const fams = parseText(
      '# HELP a_total Requests "quoted".\n# TYPE a_total counter\na_total{code="200"} 3 1500\n' +
        '# TYPE c counter\nc 1\n# TYPE u untyped\nu 2.5\n' +
        '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\n',
    );
    expect(serializeOpenMetrics(fams)).toBe(
      '# HELP a Requests \\"quoted\\".\n# TYPE a counter\na_total{code="200"} 3.0 1.5\n' +
        '# TYPE c counter\nc_total 1.0\n# TYPE u unknown\nu 2.5\n' +
        '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3.0\nh_count 2\n# EOF\n',
    );
  });
  it('writes units, exemplars and quoted names', () => {
    const fams: MetricFamily[] = [
      {
        name: 'req_seconds',
        type: 'histogram',
        unit: 'seconds',
        samples: [
          { name: 'req_seconds_bucket', labels: { le: '+Inf' }, value: 1, exemplar: { labels: { trace_id: 'abc' }, value: 0.5, timestamp: 1.25 } },
          { name: 'req_seconds_count', labels: {}, value: 1 },
          { name: 'req_seconds_sum', labels: {}, value: 0.5 },
        ],
      },
      { name: 'my.gauge', type: 'gauge', samples: [{ name: 'my.gauge', labels: { 'a.b': 'c' }, value: 1 }] },
    ];
    expect(serializeOpenMetrics(fams)).toBe(
      '# TYPE req_seconds histogram\n# UNIT req_seconds seconds\n' +
        'req_seconds_bucket{le="+Inf"} 1 # {trace_id="abc"} 0.5 1.25\nreq_seconds_count 1\nreq_seconds_sum 0.5\n' +
        '# TYPE "my.gauge" gauge\n{"my.gauge","a.b"="c"} 1.0\n# EOF\n',
    );
  });
  it('writes an empty exposition as just # EOF', () => {
    expect(serializeOpenMetrics([])).toBe('# EOF\n');
  });
});

describe('serializeOpenMetrics counts', () => {
  it('writes large integral counts as integers and other values as Go floats', () => {
    const fams = parseText('# TYPE h histogram\nh_bucket{le="+Inf"} 1234567\nh_sum 1234567\nh_count 1234567\n# TYPE g gauge\ng -0\ng 2e+21\n');
    expect(serializeOpenMetrics(fams)).toBe(
      '# TYPE h histogram\nh_bucket{le="+Inf"} 1234567\nh_sum 1.234567e+06\nh_count 1234567\n# TYPE g gauge\ng -0.0\ng 2e+21\n# EOF\n',
    );
  });
});
