// Loads prometheus.yml: YAML with positions -> validated Config with Prometheus' defaults.
// `pmtool check config` and the server's reload share this one loader.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseAlertingConfig } from './alerting-config.js';
import { parseHttpClientConfig, HTTP_CLIENT_FIELDS } from './http-client-config.js';
import { parseRelabelConfigs } from './relabel-config.js';
import { parseLimits, parseProtocols, parseScrapeConfig } from './scrape-config.js';
import { DEFAULT_QUEUE_CONFIG, DEFAULT_SCRAPE_PROTOCOLS } from './types.js';
import type { Config, GlobalConfig, LoadedConfig, QueueConfig, RemoteReadConfig, RemoteWriteConfig } from './types.js';
import { ConfigError, parseYaml } from './yaml-walk.js';
import type { YamlValue } from './yaml-walk.js';

const TOP_FIELDS = [
  'global',
  'scrape_configs',
  'scrape_config_files',
  'rule_files',
  'remote_write',
  'remote_read',
  'alerting',
  'storage',
  'tracing',
  'otlp',
  'runtime',
];

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RULE_PATH = /^[^*]*(\*[^/]*)?$/;

export const DEFAULT_GLOBAL: GlobalConfig = {
  scrape_interval: 60_000,
  scrape_timeout: 10_000,
  evaluation_interval: 60_000,
  rule_query_offset: 0,
  external_labels: {},
  scrape_protocols: DEFAULT_SCRAPE_PROTOCOLS,
  body_size_limit: 0,
  sample_limit: 0,
  target_limit: 0,
  label_limit: 0,
  label_name_length_limit: 0,
  label_value_length_limit: 0,
  keep_dropped_targets: 0,
};

/** Reads and parses a config file. Every failure is a ConfigError naming the file. */
export function loadConfigFile(path: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(path, 0, 0, '', `cannot read config file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseConfig(text, path);
}

/** Parses config text; `file` names it in errors and anchors relative paths. */
export function parseConfig(text: string, file: string): LoadedConfig {
  const dir = dirname(resolve(file));
  const warnings: string[] = [];
  const root = parseYaml(text, file);
  const m = root.map('config.Config', TOP_FIELDS);
  const global = m.opt('global', DEFAULT_GLOBAL, parseGlobal);

  const scrapeConfigs = m.get('scrape_configs').seq().map((v) => parseScrapeConfig(v, global, dir, warnings));
  const jobs = new Map<string, YamlValue>();
  for (const [i, sc] of scrapeConfigs.entries()) {
    const v = m.get('scrape_configs').seq()[i]!;
    if (jobs.has(sc.job_name)) v.fail(`found multiple scrape configs with job name "${sc.job_name}"`);
    jobs.set(sc.job_name, v);
  }
  if (m.has('scrape_config_files')) {
    m.get('scrape_config_files').fail('scrape_config_files is not supported by Promethium yet; inline the scrape configs');
  }

  const ruleFiles = m.get('rule_files').seq().map((v) => {
    const p = v.str();
    if (!RULE_PATH.test(p)) v.fail(`invalid rule file path "${p}"`);
    return resolve(dir, p);
  });

  const config: Config = {
    global,
    scrape_configs: scrapeConfigs,
    rule_files: ruleFiles,
    remote_write: uniqueNames(m.get('remote_write'), 'remote write', (v) => parseRemoteWrite(v, dir)),
    remote_read: uniqueNames(m.get('remote_read'), 'remote read', (v) => parseRemoteRead(v, dir)),
  };
  if (m.has('alerting')) config.alerting = parseAlertingConfig(m.get('alerting'), dir);
  for (const k of ['storage', 'tracing', 'otlp', 'runtime'] as const) {
    if (m.has(k)) {
      const v = m.get(k);
      v.anyMap();
      config[k] = (v.node as { toJSON(): unknown }).toJSON();
    }
  }
  return { config, source: text, file, warnings };
}

function parseGlobal(v: YamlValue): GlobalConfig {
  const m = v.map('config.GlobalConfig', [
    'scrape_interval',
    'scrape_timeout',
    'evaluation_interval',
    'rule_query_offset',
    'external_labels',
    'scrape_protocols',
    'query_log_file',
    'scrape_failure_log_file',
    'body_size_limit',
    'sample_limit',
    'target_limit',
    'label_limit',
    'label_name_length_limit',
    'label_value_length_limit',
    'keep_dropped_targets',
    'metric_name_validation_scheme',
    'metric_name_escaping_scheme',
    'always_scrape_classic_histograms',
    'convert_classic_histograms_to_nhcb',
  ]);
  const interval = m.opt('scrape_interval', DEFAULT_GLOBAL.scrape_interval, (x) => x.duration());
  if (interval === 0) m.get('scrape_interval').fail('scrape interval must be greater than 0');
  let timeout = m.opt('scrape_timeout', DEFAULT_GLOBAL.scrape_timeout, (x) => x.duration());
  if (m.has('scrape_timeout')) {
    if (timeout > interval) m.get('scrape_timeout').fail('global scrape timeout greater than scrape interval');
  } else if (timeout > interval) {
    timeout = interval;
  }
  const external = m.opt('external_labels', {}, (x) => x.stringMap());
  for (const name of Object.keys(external)) {
    if (!LABEL_NAME.test(name) || name === '__name__') m.get('external_labels').fail(`"${name}" is not a valid label name`);
  }
  const g: GlobalConfig = {
    scrape_interval: interval,
    scrape_timeout: timeout,
    evaluation_interval: m.opt('evaluation_interval', DEFAULT_GLOBAL.evaluation_interval, (x) => x.duration()),
    rule_query_offset: m.opt('rule_query_offset', 0, (x) => x.duration()),
    external_labels: external,
    scrape_protocols: m.opt('scrape_protocols', DEFAULT_GLOBAL.scrape_protocols, parseProtocols),
    ...parseLimits(m, undefined),
  };
  if (m.has('query_log_file')) g.query_log_file = m.get('query_log_file').str();
  if (m.has('scrape_failure_log_file')) g.scrape_failure_log_file = m.get('scrape_failure_log_file').str();
  return g;
}

function uniqueNames<T extends { name?: string }>(v: YamlValue, what: string, parse: (v: YamlValue) => T): T[] {
  const seen = new Set<string>();
  return v.seq().map((item) => {
    const c = parse(item);
    if (c.name !== undefined) {
      if (seen.has(c.name)) item.fail(`found multiple ${what} configs with job name "${c.name}"`);
      seen.add(c.name);
    }
    return c;
  });
}

function parseUrl(v: YamlValue, what: string): string {
  if (v.isNull) v.fail(`url for ${what} is empty`);
  const url = v.str();
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return v.fail(`invalid URL "${url}" for ${what}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') v.fail(`invalid URL scheme "${u.protocol.slice(0, -1)}" for ${what}: expected http or https`);
  return url;
}

function parseHeaders(v: YamlValue): Record<string, string> {
  const h = v.stringMap();
  for (const name of Object.keys(h)) {
    const lower = name.toLowerCase();
    if (['authorization', 'content-encoding', 'content-type', 'user-agent', 'x-prometheus-remote-write-version', 'x-prometheus-remote-read-version'].includes(lower)) {
      v.fail(`${name} is a reserved header. It must not be changed`);
    }
  }
  return h;
}

function parseRemoteWrite(v: YamlValue, dir: string): RemoteWriteConfig {
  const m = v.map('config.RemoteWriteConfig', [
    'url',
    'name',
    'remote_timeout',
    'headers',
    'write_relabel_configs',
    'send_exemplars',
    'send_native_histograms',
    'queue_config',
    'metadata_config',
    'protobuf_message',
    'round_robin_dns',
    'sigv4',
    'azuread',
    'google_iam',
    ...HTTP_CLIENT_FIELDS,
  ]);
  const c: RemoteWriteConfig = {
    url: parseUrl(m.get('url'), 'remote_write'),
    remote_timeout: m.opt('remote_timeout', 30_000, (x) => x.duration()),
    headers: m.opt('headers', {}, parseHeaders),
    write_relabel_configs: parseRelabelConfigs(m.get('write_relabel_configs')),
    send_exemplars: m.opt('send_exemplars', false, (x) => x.bool()),
    send_native_histograms: m.opt('send_native_histograms', false, (x) => x.bool()),
    queue_config: m.opt('queue_config', { ...DEFAULT_QUEUE_CONFIG }, parseQueueConfig),
    ...parseHttpClientConfig(m, dir),
  };
  if (m.has('name')) c.name = m.get('name').str();
  if (m.has('protobuf_message')) {
    const pm = m.get('protobuf_message');
    const msg = pm.str();
    if (msg === 'prometheus.WriteRequest' || msg === 'io.prometheus.write.v2.Request') c.protobuf_message = msg;
    else pm.fail(`unknown remote write protobuf message "${msg}", supported: prometheus.WriteRequest, io.prometheus.write.v2.Request`);
  }
  if (m.has('metadata_config')) c.metadata_config = (m.get('metadata_config').anyMap().value.node as { toJSON(): Record<string, unknown> }).toJSON();
  for (const k of ['sigv4', 'azuread', 'google_iam']) {
    if (m.has(k)) m.get(k).fail(`${k} authentication is not supported by Promethium yet`);
  }
  return c;
}

function parseQueueConfig(v: YamlValue): QueueConfig {
  const m = v.map('config.QueueConfig', Object.keys(DEFAULT_QUEUE_CONFIG));
  const d = DEFAULT_QUEUE_CONFIG;
  const q: QueueConfig = {
    capacity: m.opt('capacity', d.capacity, (x) => x.int(1)),
    max_shards: m.opt('max_shards', d.max_shards, (x) => x.int(1)),
    min_shards: m.opt('min_shards', d.min_shards, (x) => x.int(1)),
    max_samples_per_send: m.opt('max_samples_per_send', d.max_samples_per_send, (x) => x.int(1)),
    batch_send_deadline: m.opt('batch_send_deadline', d.batch_send_deadline, (x) => x.duration()),
    min_backoff: m.opt('min_backoff', d.min_backoff, (x) => x.duration()),
    max_backoff: m.opt('max_backoff', d.max_backoff, (x) => x.duration()),
    retry_on_http_429: m.opt('retry_on_http_429', d.retry_on_http_429, (x) => x.bool()),
  };
  if (q.min_shards > q.max_shards) m.get('min_shards').fail(`min_shards (${q.min_shards}) must not exceed max_shards (${q.max_shards})`);
  if (q.max_backoff < q.min_backoff) m.get('max_backoff').fail('max_backoff must not be less than min_backoff');
  if (q.batch_send_deadline <= 0) m.get('batch_send_deadline').fail('batch_send_deadline must be greater than 0');
  return q;
}

function parseRemoteRead(v: YamlValue, dir: string): RemoteReadConfig {
  const m = v.map('config.RemoteReadConfig', [
    'url',
    'name',
    'remote_timeout',
    'headers',
    'read_recent',
    'required_matchers',
    'filter_external_labels',
    ...HTTP_CLIENT_FIELDS,
  ]);
  const c: RemoteReadConfig = {
    url: parseUrl(m.get('url'), 'remote_read'),
    remote_timeout: m.opt('remote_timeout', 60_000, (x) => x.duration()),
    headers: m.opt('headers', {}, parseHeaders),
    read_recent: m.opt('read_recent', false, (x) => x.bool()),
    required_matchers: m.opt('required_matchers', {}, (x) => x.stringMap()),
    filter_external_labels: m.opt('filter_external_labels', true, (x) => x.bool()),
    ...parseHttpClientConfig(m, dir),
  };
  if (m.has('name')) c.name = m.get('name').str();
  return c;
}
