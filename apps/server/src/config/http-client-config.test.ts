// The proxy fields and http_headers of the HTTP client block: parsed as Prometheus 3 does, and
// every invalid combination refused with Prometheus' message at its line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configToYaml, loadHttpClientConfigFile, parseConfig } from '../index.js';

function job(body: string) {
  return parseConfig(`scrape_configs:\n  - job_name: a\n${body}`, 'prometheus.yml').config.scrape_configs[0]!;
}

function err(body: string): ConfigError {
  try {
    job(body);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('proxy settings', () => {
  it('parses proxy_url, no_proxy, proxy_from_environment and proxy_connect_header', () => {
    const c = job('    proxy_url: http://u:p@proxy:3128\n    no_proxy: "localhost,10.0.0.0/8"\n    proxy_connect_header:\n      X-Team: [obs, infra]\n');
    expect(c.proxy_url).toBe('http://u:p@proxy:3128');
    expect(c.no_proxy).toBe('localhost,10.0.0.0/8');
    expect(c.proxy_connect_header).toEqual({ 'X-Team': ['obs', 'infra'] });
    expect(job('    proxy_from_environment: true\n    proxy_connect_header:\n      X-Team: [a]\n').proxy_from_environment).toBe(true);
  });

  it("refuses what Prometheus' ProxyConfig.Validate refuses, naming the line", () => {
    const cases: [string, string, number][] = [
      ['    proxy_from_environment: true\n    proxy_url: http://p:1\n', 'if proxy_from_environment is configured, proxy_url must not be configured', 4],
      ['    proxy_from_environment: true\n    no_proxy: x\n', 'if proxy_from_environment is configured, no_proxy must not be configured', 4],
      ['    no_proxy: x\n', 'if no_proxy is configured, proxy_url must also be configured', 3],
      ['    proxy_connect_header:\n      X-A: [b]\n', 'if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured', 3],
      ['    proxy_url: "http://p:1"\n    proxy_connect_header:\n      X-A: b\n', 'expected a list', 5],
      ['    proxy_url: "http://p:1"\n    proxy_connect_header:\n      "Bad Name": [b]\n', 'invalid header name "Bad Name"', 5],
      ['    proxy_url: "socks5://p:1"\n', 'proxy scheme "socks5" is not supported by Promethium', 3],
      ['    proxy_url: "::"\n', 'invalid proxy URL "::"', 3],
    ];
    for (const [body, message, line] of cases) {
      const e = err(body);
      expect(e.message, body).toContain(message);
      expect(e.line, body).toBe(line);
      expect(e.file).toBe('prometheus.yml');
    }
  });
});

describe('http_headers', () => {
  it('parses values, secrets and files (relative to the config file)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-hh-'));
    try {
      const file = join(dir, 'http.yml');
      writeFileSync(file, 'http_headers:\n  X-Tenant:\n    values: [a, b]\n    secrets: [s]\n  X-Token:\n    files: [token.txt]\n');
      expect(loadHttpClientConfigFile(file).http_headers).toEqual({
        'X-Tenant': { values: ['a', 'b'], secrets: ['s'], files: [] },
        'X-Token': { values: [], secrets: [], files: [join(dir, 'token.txt')] },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses reserved headers with Prometheus\' message, and malformed ones', () => {
    for (const name of ['authorization', 'Host', 'user-agent', 'content-type', 'Content-Encoding', 'accept-encoding', 'x-prometheus-scrape-timeout-seconds', 'X-Prometheus-Remote-Write-Version', 'proxy-authorization', 'connection']) {
      const e = err(`    http_headers:\n      ${name}:\n        values: [x]\n`);
      const canonical = name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, s: string, c: string) => s + c.toUpperCase());
      expect(e.message).toContain(`setting header "${canonical}" is not allowed`);
      expect(e.line).toBe(4);
    }
    expect(err('    http_headers:\n      X-A:\n        value: [x]\n').message).toContain('field value not found in type config.Header');
    expect(err('    http_headers:\n      X-A:\n        values: ["a\\nb"]\n').message).toContain('invalid value for header "X-A"');
  });
});

describe('/api/v1/status/config', () => {
  it('hides header secrets, proxy_connect_header values and the proxy password', () => {
    const { config } = parseConfig(
      'scrape_configs:\n  - job_name: a\n    proxy_url: http://u:topsecret@p:3128\n    proxy_connect_header:\n      X-Key: [k1]\n    http_headers:\n      X-A:\n        values: [shown]\n        secrets: [hidden1]\n',
      'prometheus.yml',
    );
    const yaml = configToYaml(config);
    expect(yaml).toContain('proxy_url: http://u:xxxxx@p:3128\n');
    expect(yaml).toContain('shown');
    for (const secret of ['topsecret', 'k1', 'hidden1']) expect(yaml).not.toContain(secret);
  });
});
