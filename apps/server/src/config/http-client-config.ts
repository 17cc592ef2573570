// The HTTP client block shared by scrape, remote_write and remote_read configs (basic_auth,
// authorization, tls_config, ...), with Prometheus' mutual-exclusion rules. Relative file
// paths are resolved against the config file's directory.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Authorization, BasicAuth, HttpClientConfig, HttpHeaderConfig, TlsConfig } from './types.js';
import { ConfigError, parseYaml, type YamlMap, type YamlValue } from './yaml-walk.js';

export const HTTP_CLIENT_FIELDS = [
  'basic_auth',
  'authorization',
  'oauth2',
  'tls_config',
  'follow_redirects',
  'enable_http2',
  'proxy_url',
  'no_proxy',
  'proxy_from_environment',
  'proxy_connect_header',
  'http_headers',
  'bearer_token',
  'bearer_token_file',
] as const;

export function parseHttpClientConfig(m: YamlMap, dir: string): HttpClientConfig {
  const out: HttpClientConfig = {
    tls_config: m.opt('tls_config', { insecure_skip_verify: false }, (v) => parseTls(v, dir)),
    follow_redirects: m.opt('follow_redirects', true, (v) => v.bool()),
    enable_http2: m.opt('enable_http2', true, (v) => v.bool()),
  };
  if (m.has('basic_auth')) out.basic_auth = parseBasicAuth(m.get('basic_auth'), dir);
  if (m.has('authorization')) out.authorization = parseAuthorization(m.get('authorization'), dir);
  if (m.has('oauth2')) m.get('oauth2').fail('oauth2 is not supported by Promethium yet; use authorization or basic_auth');
  if (m.has('bearer_token') || m.has('bearer_token_file')) {
    // Removed in Prometheus 3; say what replaces it.
    m.get(m.has('bearer_token') ? 'bearer_token' : 'bearer_token_file').fail(
      'bearer_token is not supported (removed in Prometheus 3); use authorization: { credentials: ... }',
    );
  }
  if (out.basic_auth && out.authorization) {
    m.fail('at most one of basic_auth, oauth2 & authorization must be configured');
  }
  parseProxy(m, out);
  if (m.has('http_headers')) out.http_headers = parseHttpHeaders(m.get('http_headers'), dir);
  return out;
}

// Header names as Go's http.CanonicalHeaderKey writes them (the form of Prometheus' messages).
function canonicalHeader(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

// RFC 7230 token characters; a name outside them could never be sent.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

// As prometheus/common's reservedHeaders: set by the client itself or change the connection.
const RESERVED_HEADERS = new Set([
  'Authorization', 'Host', 'Content-Encoding', 'Content-Length', 'Content-Type', 'User-Agent', 'Connection', 'Keep-Alive',
  'Proxy-Authenticate', 'Proxy-Authorization', 'Www-Authenticate', 'Accept-Encoding', 'X-Prometheus-Remote-Write-Version',
  'X-Prometheus-Remote-Read-Version', 'X-Prometheus-Scrape-Timeout-Seconds', 'X-Amz-Date', 'X-Amz-Security-Token', 'X-Amz-Content-Sha256',
]);

function headerValues(v: YamlValue, name: string): string[] {
  return v.seq().map((x) => {
    const s = x.str();
    if (/[\r\n\0]/.test(s)) x.fail(`invalid value for header "${name}": it contains a line break or NUL`);
    return s;
  });
}

function parseHttpHeaders(v: YamlValue, dir: string): Record<string, HttpHeaderConfig> {
  const out: Record<string, HttpHeaderConfig> = {};
  for (const [name, hv] of v.anyMap().entries()) {
    // Named at the header's key, where the user has to change something.
    if (!TOKEN.test(name)) throw hv.ctx.errorAt(hv.keyOffset, hv.path, `invalid header name "${name}"`);
    if (RESERVED_HEADERS.has(canonicalHeader(name))) throw hv.ctx.errorAt(hv.keyOffset, hv.path, `setting header "${canonicalHeader(name)}" is not allowed`);
    const h = hv.map('config.Header', ['values', 'secrets', 'files']);
    out[name] = {
      values: headerValues(h.get('values'), name),
      secrets: headerValues(h.get('secrets'), name),
      files: h.get('files').strings().map((f) => resolve(dir, f)),
    };
  }
  return out;
}

/** proxy_url, no_proxy, proxy_from_environment and proxy_connect_header, with ProxyConfig.Validate's rules. */
function parseProxy(m: YamlMap, out: HttpClientConfig): void {
  if (m.has('proxy_url')) {
    const p = m.get('proxy_url');
    const s = p.str();
    if (s !== '') {
      if (!URL.canParse(s)) p.fail(`invalid proxy URL "${s}"`);
      const scheme = new URL(s).protocol;
      // https:// and socks5:// proxies are Go features this client does not have yet: say so at load.
      if (scheme !== 'http:') p.fail(`proxy scheme "${scheme.slice(0, -1)}" is not supported by Promethium (only http:// proxies)`);
      out.proxy_url = s;
    }
  }
  if (m.has('no_proxy')) out.no_proxy = m.get('no_proxy').str();
  if (m.has('proxy_from_environment')) out.proxy_from_environment = m.get('proxy_from_environment').bool();
  if (m.has('proxy_connect_header')) {
    const headers: Record<string, string[]> = {};
    for (const [name, hv] of m.get('proxy_connect_header').anyMap().entries()) {
      if (!TOKEN.test(name)) throw hv.ctx.errorAt(hv.keyOffset, hv.path, `invalid header name "${name}"`);
      headers[name] = headerValues(hv, name);
    }
    if (Object.keys(headers).length > 0) out.proxy_connect_header = headers;
  }
  const hasUrl = out.proxy_url !== undefined;
  const noProxy = out.no_proxy !== undefined && out.no_proxy !== '';
  if (out.proxy_connect_header && !out.proxy_from_environment && !hasUrl) {
    failAtKey(m, 'proxy_connect_header', 'if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured');
  }
  if (out.proxy_from_environment && hasUrl) failAtKey(m, 'proxy_url', 'if proxy_from_environment is configured, proxy_url must not be configured');
  if (out.proxy_from_environment && noProxy) failAtKey(m, 'no_proxy', 'if proxy_from_environment is configured, no_proxy must not be configured');
  if (!hasUrl && noProxy) failAtKey(m, 'no_proxy', 'if no_proxy is configured, proxy_url must also be configured');
}

/** Prometheus' message, placed at the field to change rather than at the whole block. */
function failAtKey(m: YamlMap, key: string, reason: string): never {
  const entry = m.entries().find(([k]) => k === key)?.[1];
  if (!entry) return m.fail(reason);
  throw entry.ctx.errorAt(entry.keyOffset, entry.path, reason);
}

function parseBasicAuth(v: YamlValue, dir: string): BasicAuth {
  const m = v.map('config.BasicAuth', ['username', 'username_file', 'password', 'password_file']);
  const out: BasicAuth = { username: m.opt('username', '', (x) => x.str()) };
  if (m.has('username_file')) out.username_file = resolve(dir, m.get('username_file').str());
  if (m.has('password')) out.password = m.get('password').str();
  if (m.has('password_file')) out.password_file = resolve(dir, m.get('password_file').str());
  if (out.username !== '' && out.username_file) v.fail('at most one of basic_auth username & username_file must be configured');
  if (out.password !== undefined && out.password_file) v.fail('at most one of basic_auth password & password_file must be configured');
  return out;
}

function parseAuthorization(v: YamlValue, dir: string): Authorization {
  const m = v.map('config.Authorization', ['type', 'credentials', 'credentials_file']);
  const out: Authorization = { type: m.opt('type', 'Bearer', (x) => x.str()) };
  if (out.type.toLowerCase() === 'basic') {
    m.get('type').fail('authorization type cannot be set to "basic", use "basic_auth" instead');
  }
  if (m.has('credentials')) out.credentials = m.get('credentials').str();
  if (m.has('credentials_file')) out.credentials_file = resolve(dir, m.get('credentials_file').str());
  if (out.credentials !== undefined && out.credentials_file) {
    v.fail('at most one of authorization credentials & credentials_file must be configured');
  }
  return out;
}

function parseTls(v: YamlValue, dir: string): TlsConfig {
  const m = v.map('config.TLSConfig', [
    'ca',
    'ca_file',
    'cert',
    'cert_file',
    'key',
    'key_file',
    'server_name',
    'insecure_skip_verify',
    'min_version',
    'max_version',
  ]);
  const out: TlsConfig = { insecure_skip_verify: m.opt('insecure_skip_verify', false, (x) => x.bool()) };
  for (const k of ['ca', 'cert', 'key', 'server_name'] as const) if (m.has(k)) out[k] = m.get(k).str();
  for (const k of ['ca_file', 'cert_file', 'key_file'] as const) if (m.has(k)) out[k] = resolve(dir, m.get(k).str());
  for (const k of ['min_version', 'max_version'] as const) {
    if (!m.has(k)) continue;
    const s = m.get(k).str();
    if (!['TLS10', 'TLS11', 'TLS12', 'TLS13'].includes(s)) m.get(k).fail(`unknown TLS version: ${s}`);
    out[k] = s;
  }
  if (out.ca !== undefined && out.ca_file) v.fail('at most one of ca and ca_file must be configured');
  if (out.cert !== undefined && out.cert_file) v.fail('at most one of cert and cert_file must be configured');
  if (out.key !== undefined && out.key_file) v.fail('at most one of key and key_file must be configured');
  const hasCert = out.cert !== undefined || out.cert_file !== undefined;
  const hasKey = out.key !== undefined || out.key_file !== undefined;
  if (hasCert && !hasKey) v.fail('exactly one of key or key_file must be configured when a client certificate is configured');
  if (hasKey && !hasCert) v.fail('exactly one of cert or cert_file must be configured when a client key is configured');
  return out;
}

/**
 * A standalone HTTP client config file (promtool's --http.config.file): the same block as in a
 * scrape config, at the top level. Every failure is a ConfigError naming file:line.
 */
export function loadHttpClientConfigFile(path: string): HttpClientConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(path, 0, 0, '', `cannot read HTTP client config file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const root = parseYaml(text, path);
  const m = root.isNull ? undefined : root.map('config.HTTPClientConfig', HTTP_CLIENT_FIELDS);
  if (!m) return { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true };
  return parseHttpClientConfig(m, dirname(resolve(path)));
}
