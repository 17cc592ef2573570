// Renders a Config back to YAML for /api/v1/status/config, as Prometheus does: defaults filled
// in, durations in Prometheus syntax, secrets replaced by <secret>.
import { stringify } from 'yaml';
import { formatBytes, formatDuration } from './duration.js';
import type { Config } from './types.js';

const DURATIONS = new Set([
  'scrape_interval',
  'scrape_timeout',
  'evaluation_interval',
  'rule_query_offset',
  'refresh_interval',
  'remote_timeout',
  'batch_send_deadline',
  'min_backoff',
  'max_backoff',
]);
const SECRETS = new Set(['password', 'credentials']);

export function configToYaml(config: Config): string {
  const replacer = (key: string, value: unknown): unknown => {
    if (DURATIONS.has(key) && typeof value === 'number') return formatDuration(value);
    if (key === 'body_size_limit' && typeof value === 'number') return value === 0 ? '0' : formatBytes(value);
    if (SECRETS.has(key) && typeof value === 'string') return '<secret>';
    return redactProxyFields(key, value);
  };
  return stringify(config, replacer, { lineWidth: 0 });
}

/** http_headers secrets, proxy_connect_header values and a proxy URL's password, hidden as Prometheus hides them. */
function redactProxyFields(key: string, value: unknown): unknown {
  if (key === 'secrets' && Array.isArray(value)) return value.map(() => '<secret>');
  if (key === 'proxy_connect_header' && typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value as Record<string, string[]>).map(([k, v]) => [k, v.map(() => '<secret>')]));
  }
  if (key === 'proxy_url' && typeof value === 'string' && URL.canParse(value)) {
    const u = new URL(value);
    if (u.password === '') return value;
    u.password = 'xxxxx';
    // URL adds a "/" path the user did not write.
    return u.pathname === '/' && !value.endsWith('/') ? u.href.slice(0, -1) : u.href;
  }
  return value;
}
