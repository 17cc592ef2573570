// Public API of @promethium/web-toolkit: Prometheus' --web.config.file for servers.
export { Authenticator, hashPassword, parseBasicAuth, safeEqual } from './authenticator.js';
export { webConfigMiddleware } from './middleware.js';
export { serveWeb, TlsErrorLog } from './serve.js';
export type { ServeWebOptions, WebServer } from './serve.js';
export { CLIENT_AUTH_TYPES, ConfigError, loadWebConfig, parseWebConfig } from './web-config.js';
export type { ClientAuthType, TlsServerConfig, WebConfig } from './web-config.js';
export { WebConfigSource } from './web-config-source.js';
export type { WebLogger } from './web-config-source.js';
export { parseYaml, YamlNode } from './yaml-source.js';
// Test support for packages that serve or scrape over TLS: a throwaway CA with openssl.
export { debianBcrypt, hasOpenssl, makeCerts as makeTestCerts } from './test-certs.js';
export type { TestCerts } from './test-certs.js';
