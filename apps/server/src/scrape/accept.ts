// The Accept header a scrape sends, built from scrape_protocols with Prometheus' q-weights, and
// the format a response's Content-Type selects (with fallback_scrape_protocol).
import { formatFromContentType } from '@promethium/exposition';
import type { ExpositionFormat } from '@promethium/exposition';
import { SCRAPE_PROTOCOLS } from '../config/types.js';
import type { ScrapeProtocol } from '../config/types.js';

const PROTOCOL_HEADERS: Record<ScrapeProtocol, string> = {
  PrometheusProto: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
  'PrometheusText0.0.4': 'text/plain;version=0.0.4',
  'PrometheusText1.0.0': 'text/plain;version=1.0.0;escaping=allow-utf-8',
  'OpenMetricsText0.0.1': 'application/openmetrics-text;version=0.0.1',
  'OpenMetricsText1.0.0': 'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8',
};

const PROTOCOL_FORMATS: Record<ScrapeProtocol, ExpositionFormat> = {
  PrometheusProto: 'protobuf',
  'PrometheusText0.0.4': 'text',
  'PrometheusText1.0.0': 'text',
  'OpenMetricsText0.0.1': 'openmetrics',
  'OpenMetricsText1.0.0': 'openmetrics',
};

export function acceptHeader(protocols: readonly ScrapeProtocol[]): string {
  let weight = SCRAPE_PROTOCOLS.length + 1;
  const parts: string[] = [];
  for (const p of protocols) parts.push(`${PROTOCOL_HEADERS[p]};q=0.${weight--}`);
  parts.push(`*/*;q=0.${weight}`);
  return parts.join(',');
}

/** The format to parse a body with; throws the message Prometheus 3 reports when there is none. */
export function formatForResponse(contentType: string | undefined, fallback: ScrapeProtocol | undefined): ExpositionFormat {
  const format = contentType ? formatFromContentType(contentType) : undefined;
  if (format) return format;
  if (fallback) return PROTOCOL_FORMATS[fallback];
  throw new Error(
    `received unsupported Content-Type "${contentType ?? ''}" and no fallback_scrape_protocol specified for target`,
  );
}
