// The exact Content-Type strings Prometheus-compatible targets answer with.
export const CONTENT_TYPE_TEXT_004 = 'text/plain; version=0.0.4; charset=utf-8';
export const CONTENT_TYPE_OPENMETRICS_100 = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
export const CONTENT_TYPE_PROTOBUF =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';
