// The `alerting` section of prometheus.yml: Alertmanagers to notify (static targets, scheme,
// path prefix, timeout, API version, HTTP client settings) and alert relabeling.
import { HTTP_CLIENT_FIELDS, parseHttpClientConfig } from './http-client-config.js';
import { parseRelabelConfigs } from './relabel-config.js';
import { parseStaticConfig } from './scrape-config.js';
import type { HttpClientConfig, StaticConfig } from './types.js';
import type { RelabelConfig } from '../relabel/relabel.js';
import type { YamlValue } from './yaml-walk.js';

export interface AlertmanagerConfig extends HttpClientConfig {
  scheme: 'http' | 'https';
  path_prefix: string;
  timeout: number;
  api_version: 'v2';
  static_configs: StaticConfig[];
  relabel_configs: RelabelConfig[];
}

export interface AlertingConfig {
  alert_relabel_configs: RelabelConfig[];
  alertmanagers: AlertmanagerConfig[];
}

export function parseAlertingConfig(v: YamlValue, dir: string): AlertingConfig {
  const m = v.map('config.AlertingConfig', ['alert_relabel_configs', 'alertmanagers']);
  return {
    alert_relabel_configs: m.opt('alert_relabel_configs', [], parseRelabelConfigs),
    alertmanagers: m.opt('alertmanagers', [], (x) => x.seq().map((a) => parseAlertmanager(a, dir))),
  };
}

function parseAlertmanager(v: YamlValue, dir: string): AlertmanagerConfig {
  const m = v.map('config.AlertmanagerConfig', [
    'scheme',
    'path_prefix',
    'timeout',
    'api_version',
    'static_configs',
    'relabel_configs',
    'alert_relabel_configs',
    'file_sd_configs',
    ...HTTP_CLIENT_FIELDS,
  ]);
  const scheme = m.opt('scheme', 'http', (x) => x.str());
  if (scheme !== 'http' && scheme !== 'https') m.get('scheme').fail(`unknown scheme "${scheme}": expected http or https`);
  const api = m.opt('api_version', 'v2', (x) => x.str());
  if (api !== 'v2') m.get('api_version').fail(`unsupported api_version "${api}": Alertmanager API v1 was removed; use v2`);
  if (m.has('file_sd_configs')) m.get('file_sd_configs').fail('file_sd_configs for Alertmanagers is not supported yet; use static_configs');
  return {
    scheme: scheme as 'http' | 'https',
    path_prefix: m.opt('path_prefix', '', (x) => x.str()).replace(/\/$/, ''),
    timeout: m.opt('timeout', 10_000, (x) => x.duration()),
    api_version: 'v2',
    static_configs: m.opt('static_configs', [], (x) => x.seq().map(parseStaticConfig)),
    relabel_configs: m.opt('relabel_configs', [], parseRelabelConfigs),
    ...parseHttpClientConfig(m, dir),
  };
}
