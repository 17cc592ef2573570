import { Hono } from 'hono';
import { decodeProtobuf } from '@promethium/exposition';
import { describe, expect, it } from 'vitest';
import { httpMetrics, metricsHandler } from './hono.js';
import { Registry } from './registry.js';

function app() {
  const registry = new Registry();
  const m = httpMetrics({ registry, buckets: [0.1, 1], ignorePaths: ['/metrics'] });
  const a = new Hono();
  a.use('*', m.middleware);
  a.get('/users/:id', (c) => c.text(`user ${c.req.param('id')}`));
  a.get('/boom', () => {
    throw new Error('boom');
  });
  a.get('/metrics', metricsHandler(registry));
  a.onError((_e, c) => c.text('failed', 500));
  return { a, m, registry };
}

describe('hono integration', () => {
  it('records requests by method, route pattern and status', async () => {
    const { a, m } = app();
    await a.request('/users/1');
    await a.request('/users/2');
    await a.request('/missing');
    expect((await a.request('/boom')).status).toBe(500);
    await a.request('/metrics');
    const v = (await m.requests.get()).values.map((x) => [x.labels.method, x.labels.route, x.labels.status, x.value]);
    expect(v).toEqual([
      ['GET', '/users/:id', '200', 2],
      ['GET', '/*', '404', 1],
      ['GET', '/boom', '500', 1],
    ]);
    expect(m.inFlight.getValue({ method: 'GET' })).toBe(0);
    const counts = (await m.duration.get()).values.filter((x) => x.metricName?.endsWith('_count'));
    expect(counts.map((x) => x.value)).toEqual([2, 1, 1]);
  });

  it('serves /metrics in the negotiated format', async () => {
    const { a } = app();
    await a.request('/users/1');
    const text = await a.request('/metrics');
    expect(text.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await text.text()).toContain('http_requests_total{method="GET",route="/users/:id",status="200"} 1');
    const om = await a.request('/metrics', { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
    expect(om.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(await om.text()).toMatch(/# EOF\n$/);
    const pb = await a.request('/metrics', {
      headers: { accept: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited' },
    });
    const fams = decodeProtobuf(new Uint8Array(await pb.arrayBuffer()));
    expect(fams.map((f) => f.name)).toContain('http_request_duration_seconds');
  });
});
