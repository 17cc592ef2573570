// The exact Content-Type strings Prometheus-compatible targets answer with, the Accept header
// Prometheus scrapes with, and mapping a Content-Type back to a format.
import type { ExpositionFormat } from './model.js';

export const CONTENT_TYPE_TEXT_004 = 'text/plain; version=0.0.4; charset=utf-8';
export const CONTENT_TYPE_OPENMETRICS_100 = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
export const CONTENT_TYPE_OPENMETRICS_001 = 'application/openmetrics-text; version=0.0.1; charset=utf-8';
export const CONTENT_TYPE_PROTOBUF =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

/** Prometheus' default scrape Accept header (config.go: OM1.0.0, OM0.0.1, Text1.0.0, Text0.0.4, then any). */
export const SCRAPE_ACCEPT_HEADER =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,' +
  'application/openmetrics-text;version=0.0.1;q=0.5,' +
  'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,' +
  'text/plain;version=0.0.4;q=0.3,*/*;q=0.2';

/** The Accept header with protobuf first, as Prometheus sends it when native histograms are enabled. */
export const SCRAPE_ACCEPT_HEADER_PROTOBUF_FIRST =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,' +
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,' +
  'application/openmetrics-text;version=0.0.1;q=0.4,' +
  'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,' +
  'text/plain;version=0.0.4;q=0.2,*/*;q=0.1';

export interface MediaType {
  /** Lower-cased "type/subtype". */
  type: string;
  /** Parameters with lower-cased names; values unquoted. */
  params: Map<string, string>;
}

/** Parses one media type, e.g. `text/plain; version=0.0.4; charset=utf-8`. */
export function parseMediaType(s: string): MediaType {
  const parts = s.split(';');
  const type = (parts[0] ?? '').trim().toLowerCase();
  const params = new Map<string, string>();
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    const eq = p.indexOf('=');
    if (eq === -1) continue;
    let v = p.slice(eq + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    params.set(p.slice(0, eq).trim().toLowerCase(), v);
  }
  return { type, params };
}

/** The format a response with this Content-Type carries; undefined when it is none of the three. */
export function formatFromContentType(ct: string): ExpositionFormat | undefined {
  const { type, params } = parseMediaType(ct);
  switch (type) {
    case 'text/plain':
      return 'text';
    case 'application/openmetrics-text':
      return 'openmetrics';
    case 'application/vnd.google.protobuf': {
      const proto = params.get('proto');
      const enc = params.get('encoding');
      if (proto !== undefined && proto !== 'io.prometheus.client.MetricFamily') return undefined;
      if (enc !== undefined && enc !== 'delimited') return undefined;
      return 'protobuf';
    }
    default:
      return undefined;
  }
}

/** The Content-Type a target answers with for a format. */
export function contentTypeFor(format: ExpositionFormat): string {
  switch (format) {
    case 'text':
      return CONTENT_TYPE_TEXT_004;
    case 'openmetrics':
      return CONTENT_TYPE_OPENMETRICS_100;
    case 'protobuf':
      return CONTENT_TYPE_PROTOBUF;
  }
}
