// Hono integration (`@promethium/client/hono`): request metrics middleware and a /metrics
// handler that negotiates text, OpenMetrics or protobuf from the scraper's Accept header.
import type { Context, Handler, MiddlewareHandler } from 'hono';
import { Counter } from './counter.js';
import { Gauge } from './gauge.js';
import { Histogram } from './histogram.js';
import { globalRegistry, type Registry, type RegistryContentType } from './registry.js';

export interface HttpMetricsOptions {
  registry?: Registry<RegistryContentType>;
  /** Prefix for the metric names. */
  prefix?: string;
  /** Buckets of the duration histogram, in seconds. */
  buckets?: number[];
  /** Paths (exact) that are not measured, e.g. the /metrics endpoint itself. */
  ignorePaths?: string[];
  /** The route label; defaults to the matched route pattern, which keeps cardinality bounded. */
  route?: (c: Context) => string;
}

export interface HttpMetrics {
  middleware: MiddlewareHandler;
  duration: Histogram<'method' | 'route' | 'status'>;
  requests: Counter<'method' | 'route' | 'status'>;
  inFlight: Gauge<'method'>;
}

/**
 * Creates http_request_duration_seconds{method,route,status}, http_requests_total{...} and
 * http_requests_in_flight{method}, and a middleware that records every request.
 */
export function httpMetrics(options: HttpMetricsOptions = {}): HttpMetrics {
  const registers = [options.registry ?? globalRegistry];
  const prefix = options.prefix ?? '';
  const labelNames = ['method', 'route', 'status'] as const;
  const duration = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'Duration of HTTP requests in seconds.',
    labelNames,
    buckets: options.buckets,
    registers,
  });
  const requests = new Counter({ name: `${prefix}http_requests_total`, help: 'Total number of HTTP requests.', labelNames, registers });
  const inFlight = new Gauge({
    name: `${prefix}http_requests_in_flight`,
    help: 'Number of HTTP requests being served.',
    labelNames: ['method'] as const,
    registers,
  });
  const ignore = new Set(options.ignorePaths ?? []);
  const route = options.route ?? ((c: Context) => c.req.routePath);
  const middleware: MiddlewareHandler = async (c, next) => {
    if (ignore.has(c.req.path)) {
      await next();
      return;
    }
    const method = c.req.method;
    const start = performance.now();
    inFlight.inc({ method });
    try {
      await next();
    } finally {
      inFlight.dec({ method });
      const labels = { method, route: route(c), status: String(c.res.status) };
      duration.observe(labels, (performance.now() - start) / 1000);
      requests.inc(labels);
    }
  };
  return { middleware, duration, requests, inFlight };
}

/** A handler for GET /metrics: one negotiated scrape of the registry. */
export function metricsHandler(registry: Registry<RegistryContentType> = globalRegistry): Handler {
  return async (c) => {
    const { contentType, body } = await registry.negotiate(c.req.header('accept'));
    c.header('Content-Type', contentType);
    return c.body(typeof body === 'string' ? body : new Uint8Array(body));
  };
}
