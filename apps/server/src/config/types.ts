import type { AlertingConfig } from './alerting-config.js';
// The prometheus.yml model after defaults are applied. Field names follow the YAML (snake_case)
// so status/config can print it back; durations are milliseconds, sizes bytes.
import type { RelabelConfig } from '../relabel/relabel.js';

export const SCRAPE_PROTOCOLS = [
  'OpenMetricsText1.0.0',
  'OpenMetricsText0.0.1',
  'PrometheusText1.0.0',
  'PrometheusText0.0.4',
  'PrometheusProto',
] as const;
export type ScrapeProtocol = (typeof SCRAPE_PROTOCOLS)[number];
export const DEFAULT_SCRAPE_PROTOCOLS: ScrapeProtocol[] = [
  'OpenMetricsText1.0.0',
  'OpenMetricsText0.0.1',
  'PrometheusText1.0.0',
  'PrometheusText0.0.4',
];

export interface ScrapeLimits {
  body_size_limit: number;
  sample_limit: number;
  target_limit: number;
  label_limit: number;
  label_name_length_limit: number;
  label_value_length_limit: number;
  keep_dropped_targets: number;
}

export interface GlobalConfig extends ScrapeLimits {
  scrape_interval: number;
  scrape_timeout: number;
  evaluation_interval: number;
  rule_query_offset: number;
  external_labels: Record<string, string>;
  scrape_protocols: ScrapeProtocol[];
  query_log_file?: string;
  scrape_failure_log_file?: string;
}

export interface TlsConfig {
  ca?: string;
  ca_file?: string;
  cert?: string;
  cert_file?: string;
  key?: string;
  key_file?: string;
  server_name?: string;
  insecure_skip_verify: boolean;
  min_version?: string;
  max_version?: string;
}

export interface BasicAuth {
  username: string;
  username_file?: string;
  password?: string;
  password_file?: string;
}

export interface Authorization {
  type: string;
  credentials?: string;
  credentials_file?: string;
}

export interface HttpClientConfig {
  basic_auth?: BasicAuth;
  authorization?: Authorization;
  tls_config: TlsConfig;
  follow_redirects: boolean;
  enable_http2: boolean;
  proxy_url?: string;
  no_proxy?: string;
  proxy_from_environment?: boolean;
  /** Sent to the proxy on CONNECT (HTTPS targets); each value a secret. */
  proxy_connect_header?: Record<string, string[]>;
  /** Sent on every request of the client (Prometheus 3 http_headers). */
  http_headers?: Record<string, HttpHeaderConfig>;
}

export interface HttpHeaderConfig {
  values: string[];
  secrets: string[];
  /** Absolute paths; read on every request. */
  files: string[];
}

export interface StaticConfig {
  targets: string[];
  labels: Record<string, string>;
}

export interface FileSdConfig {
  files: string[];
  refresh_interval: number;
}

export interface ScrapeConfig extends ScrapeLimits, HttpClientConfig {
  job_name: string;
  honor_labels: boolean;
  honor_timestamps: boolean;
  track_timestamps_staleness: boolean;
  scrape_interval: number;
  scrape_timeout: number;
  scrape_protocols: ScrapeProtocol[];
  fallback_scrape_protocol?: ScrapeProtocol;
  metrics_path: string;
  scheme: 'http' | 'https';
  params: Record<string, string[]>;
  enable_compression: boolean;
  static_configs: StaticConfig[];
  file_sd_configs: FileSdConfig[];
  relabel_configs: RelabelConfig[];
  metric_relabel_configs: RelabelConfig[];
}

export interface RemoteWriteConfig extends HttpClientConfig {
  url: string;
  name?: string;
  remote_timeout: number;
  headers: Record<string, string>;
  write_relabel_configs: RelabelConfig[];
  send_exemplars: boolean;
  send_native_histograms: boolean;
  queue_config: QueueConfig;
  /** Accepted and kept as written (metadata is not sent yet). */
  metadata_config?: Record<string, unknown>;
  /** The remote-write protocol: absent means prometheus.WriteRequest (1.0). */
  protobuf_message?: 'prometheus.WriteRequest' | 'io.prometheus.write.v2.Request';
}

/** remote_write queue tuning, Prometheus' field names; durations in milliseconds. */
export interface QueueConfig {
  capacity: number;
  max_shards: number;
  min_shards: number;
  max_samples_per_send: number;
  batch_send_deadline: number;
  min_backoff: number;
  max_backoff: number;
  retry_on_http_429: boolean;
}

/** Prometheus' DefaultQueueConfig. */
export const DEFAULT_QUEUE_CONFIG: QueueConfig = {
  capacity: 2500,
  max_shards: 200,
  min_shards: 1,
  max_samples_per_send: 500,
  batch_send_deadline: 5000,
  min_backoff: 30,
  max_backoff: 5000,
  retry_on_http_429: true,
};

export interface RemoteReadConfig extends HttpClientConfig {
  url: string;
  name?: string;
  remote_timeout: number;
  headers: Record<string, string>;
  read_recent: boolean;
  required_matchers: Record<string, string>;
  filter_external_labels: boolean;
}

export interface Config {
  global: GlobalConfig;
  scrape_configs: ScrapeConfig[];
  /** Absolute glob patterns (resolved against the config file's directory). */
  rule_files: string[];
  remote_write: RemoteWriteConfig[];
  remote_read: RemoteReadConfig[];
  alerting?: AlertingConfig;
  /** Sections the server accepts but does not act on yet, kept as written. */
  storage?: unknown;
  tracing?: unknown;
  otlp?: unknown;
  runtime?: unknown;
}

export interface LoadedConfig {
  config: Config;
  /** Exactly what was read (status/config prints the resolved config, not this). */
  source: string;
  file: string;
  /** Things accepted but ignored, e.g. service discovery mechanisms not implemented. */
  warnings: string[];
}
