// Node TLS server options from a web config's tls_server_config.
import { readFileSync } from 'node:fs';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { NODE_TLS_VERSION } from './tls-names.js';
import type { TlsServerConfig } from './web-config.js';

export function secureContextOptions(tls: TlsServerConfig): SecureContextOptions {
  const opts: SecureContextOptions = {
    cert: readFileSync(tls.certFile),
    key: readFileSync(tls.keyFile),
    minVersion: NODE_TLS_VERSION[tls.minVersion],
    honorCipherOrder: tls.preferServerCipherSuites,
  };
  if (tls.maxVersion) opts.maxVersion = NODE_TLS_VERSION[tls.maxVersion];
  if (tls.clientCaFile) opts.ca = readFileSync(tls.clientCaFile);
  if (tls.cipherSuites.length > 0) opts.ciphers = tls.cipherSuites.join(':');
  return opts;
}

export function tlsServerOptions(tls: TlsServerConfig): TlsOptions {
  const requestCert = tls.clientAuthType !== 'NoClientCert';
  return {
    ...secureContextOptions(tls),
    requestCert,
    // Only the strictest mode lets OpenSSL reject during the handshake; the others are
    // checked after it (see serve.ts), since OpenSSL has no "verify if given" mode.
    rejectUnauthorized: tls.clientAuthType === 'RequireAndVerifyClientCert',
  };
}
