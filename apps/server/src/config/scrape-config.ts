// scrape_configs entries: defaults from the global block, limits, protocols, service discovery
// (static and file), relabeling, validated with Prometheus' messages.
import { resolve } from 'node:path';
import { HTTP_CLIENT_FIELDS, parseHttpClientConfig } from './http-client-config.js';
import { parseRelabelConfigs } from './relabel-config.js';
import { SCRAPE_PROTOCOLS } from './types.js';
import type { FileSdConfig, GlobalConfig, ScrapeConfig, ScrapeProtocol, StaticConfig } from './types.js';
import type { YamlMap, YamlValue } from './yaml-walk.js';

const LIMIT_FIELDS = [
  'body_size_limit',
  'sample_limit',
  'target_limit',
  'label_limit',
  'label_name_length_limit',
  'label_value_length_limit',
  'keep_dropped_targets',
] as const;

/** Service discovery mechanisms Prometheus has and Promethium does not (yet): accepted, ignored, warned about. */
const OTHER_SD = [
  'azure_sd_configs', 'consul_sd_configs', 'digitalocean_sd_configs', 'docker_sd_configs', 'dockerswarm_sd_configs',
  'dns_sd_configs', 'ec2_sd_configs', 'eureka_sd_configs', 'gce_sd_configs', 'hetzner_sd_configs', 'http_sd_configs',
  'ionos_sd_configs', 'kubernetes_sd_configs', 'kuma_sd_configs', 'lightsail_sd_configs', 'linode_sd_configs',
  'marathon_sd_configs', 'nerve_sd_configs', 'nomad_sd_configs', 'openstack_sd_configs', 'ovhcloud_sd_configs',
  'puppetdb_sd_configs', 'scaleway_sd_configs', 'serverset_sd_configs', 'triton_sd_configs', 'uyuni_sd_configs',
  'vultr_sd_configs', 'stackit_sd_configs',
] as const;

/** Accepted for compatibility; they tune features Promethium does not have (native histogram conversion, ...). */
const ACCEPTED_IGNORED = [
  'always_scrape_classic_histograms',
  'scrape_classic_histograms',
  'convert_classic_histograms_to_nhcb',
  'native_histogram_bucket_limit',
  'native_histogram_min_bucket_factor',
  'metric_name_validation_scheme',
  'metric_name_escaping_scheme',
  'scrape_failure_log_file',
  'scrape_native_histograms',
] as const;

const FIELDS = [
  'job_name',
  'honor_labels',
  'honor_timestamps',
  'track_timestamps_staleness',
  'scrape_interval',
  'scrape_timeout',
  'scrape_protocols',
  'fallback_scrape_protocol',
  'metrics_path',
  'scheme',
  'params',
  'enable_compression',
  'static_configs',
  'file_sd_configs',
  'relabel_configs',
  'metric_relabel_configs',
  ...LIMIT_FIELDS,
  ...HTTP_CLIENT_FIELDS,
  ...OTHER_SD,
  ...ACCEPTED_IGNORED,
];

const FILE_SD_PATH = /^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$/;

export function parseLimits(m: YamlMap, def: GlobalConfig | undefined): Pick<GlobalConfig, (typeof LIMIT_FIELDS)[number]> {
  return {
    body_size_limit: m.opt('body_size_limit', def?.body_size_limit ?? 0, (v) => v.bytes()),
    sample_limit: m.opt('sample_limit', def?.sample_limit ?? 0, (v) => v.int()),
    target_limit: m.opt('target_limit', def?.target_limit ?? 0, (v) => v.int()),
    label_limit: m.opt('label_limit', def?.label_limit ?? 0, (v) => v.int()),
    label_name_length_limit: m.opt('label_name_length_limit', def?.label_name_length_limit ?? 0, (v) => v.int()),
    label_value_length_limit: m.opt('label_value_length_limit', def?.label_value_length_limit ?? 0, (v) => v.int()),
    keep_dropped_targets: m.opt('keep_dropped_targets', def?.keep_dropped_targets ?? 0, (v) => v.int()),
  };
}

function parseProtocol(item: YamlValue): ScrapeProtocol {
  const p = item.str();
  if (!(SCRAPE_PROTOCOLS as readonly string[]).includes(p)) {
    item.fail(`unknown scrape protocol ${p}, supported: [${SCRAPE_PROTOCOLS.join(' ')}]`);
  }
  return p as ScrapeProtocol;
}

export function parseProtocols(v: YamlValue): ScrapeProtocol[] {
  const seen = new Set<string>();
  const out = v.seq().map((item) => {
    const p = parseProtocol(item);
    if (seen.has(p)) item.fail(`duplicated protocol in scrape_protocols, got ${p}`);
    seen.add(p);
    return p;
  });
  if (out.length === 0) v.fail('scrape_protocols cannot be empty');
  return out;
}

export function parseScrapeConfig(v: YamlValue, global: GlobalConfig, dir: string, warnings: string[]): ScrapeConfig {
  const m = v.map('config.ScrapeConfig', FIELDS);
  const job = m.opt('job_name', '', (x) => x.str());
  if (job === '') m.get('job_name').fail('job_name is empty');

  const interval = m.opt('scrape_interval', global.scrape_interval, (x) => x.duration());
  if (interval === 0) m.get('scrape_interval').fail('scrape interval must be greater than 0');
  let timeout: number;
  if (m.has('scrape_timeout')) {
    timeout = m.get('scrape_timeout').duration();
    if (timeout === 0) m.get('scrape_timeout').fail('scrape timeout must be greater than 0');
    if (timeout > interval) {
      m.get('scrape_timeout').fail(`scrape timeout greater than scrape interval for scrape config with job name "${job}"`);
    }
  } else {
    timeout = Math.min(global.scrape_timeout, interval);
  }

  const scheme = m.opt('scheme', 'http', (x) => x.str()) as 'http' | 'https';
  if (scheme !== 'http' && scheme !== 'https') m.get('scheme').fail(`scheme must be "http" or "https", got "${String(scheme)}"`);
  const metricsPath = m.opt('metrics_path', '/metrics', (x) => x.str());
  if (!metricsPath.startsWith('/')) m.get('metrics_path').fail(`metrics_path must start with "/", got "${metricsPath}"`);

  const cfg: ScrapeConfig = {
    job_name: job,
    honor_labels: m.opt('honor_labels', false, (x) => x.bool()),
    honor_timestamps: m.opt('honor_timestamps', true, (x) => x.bool()),
    track_timestamps_staleness: m.opt('track_timestamps_staleness', false, (x) => x.bool()),
    scrape_interval: interval,
    scrape_timeout: timeout,
    scrape_protocols: m.opt('scrape_protocols', global.scrape_protocols, parseProtocols),
    metrics_path: metricsPath,
    scheme,
    params: m.opt('params', {}, parseParams),
    enable_compression: m.opt('enable_compression', true, (x) => x.bool()),
    ...parseLimits(m, global),
    ...parseHttpClientConfig(m, dir),
    static_configs: m.get('static_configs').seq().map(parseStaticConfig),
    file_sd_configs: m.get('file_sd_configs').seq().map((x) => parseFileSdConfig(x, dir)),
    relabel_configs: parseRelabelConfigs(m.get('relabel_configs')),
    metric_relabel_configs: parseRelabelConfigs(m.get('metric_relabel_configs')),
  };
  if (m.has('fallback_scrape_protocol')) {
    cfg.fallback_scrape_protocol = parseProtocol(m.get('fallback_scrape_protocol'));
  }
  for (const sd of OTHER_SD) {
    if (m.has(sd)) warnings.push(`scrape_configs job "${job}": ${sd} is not supported by Promethium yet and is ignored`);
  }
  return cfg;
}

function parseParams(v: YamlValue): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, x] of v.anyMap().entries()) out[k] = x.strings();
  return out;
}

export function checkTargetAddress(addr: string): string | undefined {
  if (addr.includes('/')) return `"${addr}" is not a valid hostname`;
  if (addr === '') return 'target address is empty';
  return undefined;
}

export function parseStaticConfig(v: YamlValue): StaticConfig {
  const m = v.map('targetgroup.Group', ['targets', 'labels']);
  const targets = m.get('targets').seq().map((t) => {
    const addr = t.str();
    const err = checkTargetAddress(addr);
    if (err) t.fail(err);
    return addr;
  });
  const labels = m.opt('labels', {}, (x) => x.stringMap());
  for (const name of Object.keys(labels)) {
    if (name === '') m.get('labels').fail('label name must not be empty');
  }
  return { targets, labels };
}

function parseFileSdConfig(v: YamlValue, dir: string): FileSdConfig {
  const m = v.map('file.SDConfig', ['files', 'refresh_interval']);
  const files = m.get('files').seq().map((f) => {
    const p = f.str();
    if (!FILE_SD_PATH.test(p)) f.fail(`path name "${p}" is not valid for file discovery`);
    return resolve(dir, p);
  });
  if (files.length === 0) m.get('files').fail('file service discovery config must contain at least one path name');
  return { files, refresh_interval: m.opt('refresh_interval', 300_000, (x) => x.duration()) };
}
