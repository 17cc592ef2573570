// The web configuration file shared by Prometheus, the Pushgateway and exporters
// (exporter-toolkit's format): TLS, basic auth users with bcrypt hashes, HTTP headers.
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { dirname, isAbsolute, resolve } from 'node:path';
import { CIPHER_SUITES, TLS_VERSIONS, type TlsVersionName } from './tls-names.js';
import { ConfigError, parseYaml, type YamlNode } from './yaml-source.js';

export const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];

export interface TlsServerConfig {
  certFile: string;
  keyFile: string;
  clientAuthType: ClientAuthType;
  clientCaFile: string;
  clientAllowedSans: string[];
  minVersion: TlsVersionName;
  maxVersion: TlsVersionName | undefined;
  /** OpenSSL names of the configured TLS 1.2 suites, empty for Node's defaults. */
  cipherSuites: string[];
  preferServerCipherSuites: boolean;
}

export interface WebConfig {
  file: string;
  tls: TlsServerConfig | undefined;
  headers: Record<string, string>;
  http2: boolean;
  /** user -> bcrypt hash */
  users: Map<string, string>;
}

// Only these response headers may be set, with these value rules (exporter-toolkit's list).
const HEADER_RULES: Record<string, readonly string[] | null> = {
  'Content-Security-Policy': null,
  'X-Frame-Options': ['deny', 'sameorigin'],
  'X-Content-Type-Options': ['nosniff'],
  'X-XSS-Protection': null,
  'Strict-Transport-Security': null,
};

const BCRYPT_RE = /^\$2[abxy]?\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

export function parseWebConfig(text: string, file: string): WebConfig {
  const root = parseYaml(text, file);
  const cfg: WebConfig = { file, tls: undefined, headers: {}, http2: true, users: new Map() };
  for (const [key, node] of root.entries(['tls_server_config', 'http_server_config', 'basic_auth_users'])) {
    if (key === 'tls_server_config') cfg.tls = parseTls(node, file);
    else if (key === 'http_server_config') parseHttp(node, cfg);
    else parseUsers(node, cfg);
  }
  return cfg;
}

export function loadWebConfig(path: string): WebConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(path, undefined, undefined, `cannot read web config file: ${(e as Error).message}`);
  }
  return parseWebConfig(text, path);
}

function parseTls(node: YamlNode, file: string): TlsServerConfig | undefined {
  if (node.isNull) return undefined;
  const dir = dirname(file);
  const abs = (p: string): string => (p === '' || isAbsolute(p) ? p : resolve(dir, p));
  const tls: TlsServerConfig = {
    certFile: '',
    keyFile: '',
    clientAuthType: 'NoClientCert',
    clientCaFile: '',
    clientAllowedSans: [],
    minVersion: 'TLS12',
    maxVersion: undefined,
    cipherSuites: [],
    preferServerCipherSuites: true,
  };
  const allowed = ['cert_file', 'key_file', 'client_auth_type', 'client_ca_file', 'client_allowed_sans', 'min_version',
    'max_version', 'cipher_suites', 'prefer_server_cipher_suites', 'curve_preferences'];
  for (const [key, v] of node.entries(allowed)) {
    switch (key) {
      case 'cert_file': tls.certFile = abs(v.string()); break;
      case 'key_file': tls.keyFile = abs(v.string()); break;
      case 'client_ca_file': tls.clientCaFile = abs(v.string()); break;
      case 'client_allowed_sans': tls.clientAllowedSans = v.list().map((n) => n.string()); break;
      case 'prefer_server_cipher_suites': tls.preferServerCipherSuites = v.boolean(); break;
      case 'curve_preferences': v.list().forEach((n) => n.string()); break; // Node negotiates curves itself.
      case 'client_auth_type': {
        const t = v.string();
        if (!(CLIENT_AUTH_TYPES as readonly string[]).includes(t)) {
          throw v.error(`invalid client_auth_type "${t}" (expected one of: ${CLIENT_AUTH_TYPES.join(', ')})`);
        }
        tls.clientAuthType = t as ClientAuthType;
        break;
      }
      case 'min_version':
      case 'max_version': {
        const name = v.string();
        if (!(name in TLS_VERSIONS)) throw v.error(`unknown TLS version "${name}" (expected TLS10, TLS11, TLS12 or TLS13)`);
        if (key === 'min_version') tls.minVersion = name as TlsVersionName;
        else tls.maxVersion = name as TlsVersionName;
        break;
      }
      case 'cipher_suites':
        tls.cipherSuites = v.list().map((n) => {
          const s = n.string();
          const openssl = CIPHER_SUITES[s];
          if (!openssl) throw n.error(`unknown cipher suite "${s}" (use Go's names, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)`);
          return openssl;
        });
        break;
    }
  }
  if (tls.certFile === '' && tls.keyFile === '') return undefined;
  if (tls.certFile === '') throw node.error('missing cert_file');
  if (tls.keyFile === '') throw node.error('missing key_file');
  if (tls.clientCaFile !== '' && tls.clientAuthType === 'NoClientCert') {
    throw node.error('client_ca_file is set but client_auth_type is NoClientCert: set client_auth_type, e.g. RequireAndVerifyClientCert');
  }
  if (tls.maxVersion && TLS_VERSIONS[tls.maxVersion] < TLS_VERSIONS[tls.minVersion]) {
    throw node.error(`max_version ${tls.maxVersion} is lower than min_version ${tls.minVersion}`);
  }
  // Fail at load time, not at the first handshake, when the files are unreadable.
  for (const [field, path] of [['cert_file', tls.certFile], ['key_file', tls.keyFile], ['client_ca_file', tls.clientCaFile]] as const) {
    if (path === '') continue;
    try {
      readFileSync(path);
    } catch (e) {
      throw (node.get(field) ?? node).error(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  try {
    createSecureContext({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile), ...(tls.clientCaFile ? { ca: readFileSync(tls.clientCaFile) } : {}) });
  } catch (e) {
    throw node.error(`cannot load the certificate/key pair (${tls.certFile}, ${tls.keyFile}): ${(e as Error).message}`);
  }
  return tls;
}

function parseHttp(node: YamlNode, cfg: WebConfig): void {
  for (const [key, v] of node.entries(['headers', 'http2'])) {
    if (key === 'http2') {
      cfg.http2 = v.boolean();
      continue;
    }
    for (const [name, valueNode] of v.entries()) {
      const rule = Object.entries(HEADER_RULES).find(([h]) => h.toLowerCase() === name.toLowerCase());
      if (!rule) throw valueNode.error(`HTTP header "${name}" can not be configured (allowed: ${Object.keys(HEADER_RULES).join(', ')})`);
      const value = valueNode.string();
      const [canonical, allowedValues] = rule;
      if (allowedValues && !allowedValues.includes(value.toLowerCase())) {
        throw valueNode.error(`invalid value for ${canonical}: expected one of ${allowedValues.map((a) => `"${a}"`).join(', ')}, got "${value}"`);
      }
      cfg.headers[canonical] = value;
    }
  }
}

function parseUsers(node: YamlNode, cfg: WebConfig): void {
  for (const [user, v] of node.entries()) {
    const hash = v.string();
    if (!BCRYPT_RE.test(hash)) {
      throw v.error(
        'not a bcrypt hash (expected $2y$<cost>$ and 53 characters; make one with: htpasswd -nbBC 10 "" PASSWORD | tr -d \':\\n\')',
      );
    }
    cfg.users.set(user, hash);
  }
}

export { ConfigError };
