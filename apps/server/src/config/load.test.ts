import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, configToYaml, loadConfigFile, parseConfig } from '../index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

function err(text: string): ConfigError {
  try {
    parseConfig(text, 'prometheus.yml');
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('config loader', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pm-config-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('loads the repo docker/prometheus.yml', () => {
    const { config } = loadConfigFile(join(repoRoot, 'docker/prometheus.yml'));
    expect(config.global.scrape_interval).toBe(15_000);
    expect(config.global.scrape_timeout).toBe(10_000);
    const sc = config.scrape_configs[0]!;
    expect(sc.job_name).toBe('pushgateway');
    expect(sc.honor_labels).toBe(true);
    expect(sc.scrape_interval).toBe(15_000);
    expect(sc.static_configs).toEqual([{ targets: ['localhost:9091'], labels: {} }]);
  });

  it('applies Prometheus defaults', () => {
    const { config } = parseConfig('scrape_configs:\n  - job_name: a\n', 'p.yml');
    expect(config.global.scrape_interval).toBe(60_000);
    expect(config.global.evaluation_interval).toBe(60_000);
    const sc = config.scrape_configs[0]!;
    expect(sc).toMatchObject({
      scrape_interval: 60_000,
      scrape_timeout: 10_000,
      metrics_path: '/metrics',
      scheme: 'http',
      honor_labels: false,
      honor_timestamps: true,
      enable_compression: true,
      follow_redirects: true,
      sample_limit: 0,
      scrape_protocols: ['OpenMetricsText1.0.0', 'OpenMetricsText0.0.1', 'PrometheusText1.0.0', 'PrometheusText0.0.4'],
    });
    // An empty file is a valid (empty) config.
    expect(parseConfig('', 'p.yml').config.scrape_configs).toEqual([]);
    // A scrape interval shorter than the global timeout caps the timeout.
    expect(parseConfig('scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n', 'p.yml').config.scrape_configs[0]!.scrape_timeout).toBe(5_000);
  });

  it('parses every supported field', () => {
    writeFileSync(join(tmp, 'pw'), 'secret');
    const text = `
global:
  scrape_interval: 30s
  scrape_timeout: 20s
  evaluation_interval: 1m
  external_labels: { region: eu, replica: a }
  sample_limit: 1000
rule_files: ['rules/*.yml']
scrape_configs:
  - job_name: full
    honor_labels: true
    honor_timestamps: false
    scrape_interval: 10s
    scrape_timeout: 5s
    metrics_path: /probe
    scheme: https
    params: { module: [http_2xx], target: [a, b] }
    basic_auth: { username: u, password_file: pw }
    tls_config: { insecure_skip_verify: true, server_name: x }
    sample_limit: 10
    label_limit: 30
    label_name_length_limit: 200
    label_value_length_limit: 300
    body_size_limit: 10MB
    scrape_protocols: [PrometheusText0.0.4]
    fallback_scrape_protocol: PrometheusText0.0.4
    static_configs:
      - targets: ['a:1', 'b:2']
        labels: { env: prod }
    file_sd_configs:
      - files: ['sd/*.json']
        refresh_interval: 1m
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - action: labeldrop
        regex: tmp_.*
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: go_.*
        action: drop
  - job_name: bearer
    authorization: { credentials: tok }
remote_write:
  - url: http://rw.example/api/v1/write
    name: rw
    write_relabel_configs: [{ action: keep, source_labels: [__name__], regex: up }]
    queue_config: { max_samples_per_send: 500 }
  - url: http://rw2.example/api/v1/write
    protobuf_message: io.prometheus.write.v2.Request
remote_read:
  - url: http://rr.example/api/v1/read
    read_recent: true
alerting:
  alertmanagers: [{ static_configs: [{ targets: ['am:9093'] }] }]
`;
    const { config } = parseConfig(text, join(tmp, 'prometheus.yml'));
    expect(config.global).toMatchObject({ scrape_interval: 30_000, scrape_timeout: 20_000, external_labels: { region: 'eu', replica: 'a' }, sample_limit: 1000 });
    expect(config.rule_files).toEqual([join(tmp, 'rules/*.yml')]);
    const full = config.scrape_configs[0]!;
    expect(full).toMatchObject({
      honor_labels: true,
      honor_timestamps: false,
      scrape_interval: 10_000,
      scrape_timeout: 5_000,
      metrics_path: '/probe',
      scheme: 'https',
      params: { module: ['http_2xx'], target: ['a', 'b'] },
      basic_auth: { username: 'u', password_file: join(tmp, 'pw') },
      tls_config: { insecure_skip_verify: true, server_name: 'x' },
      sample_limit: 10,
      label_limit: 30,
      body_size_limit: 10 * 1024 * 1024,
      scrape_protocols: ['PrometheusText0.0.4'],
      fallback_scrape_protocol: 'PrometheusText0.0.4',
      static_configs: [{ targets: ['a:1', 'b:2'], labels: { env: 'prod' } }],
      file_sd_configs: [{ files: [join(tmp, 'sd/*.json')], refresh_interval: 60_000 }],
    });
    expect(full.relabel_configs[0]).toEqual({
      source_labels: ['__address__'],
      separator: ';',
      regex: '(.*)',
      modulus: 0,
      target_label: '__param_target',
      replacement: '$1',
      action: 'replace',
    });
    expect(full.relabel_configs[1]!.action).toBe('labeldrop');
    expect(full.metric_relabel_configs[0]!.action).toBe('drop');
    // The global sample_limit is inherited by jobs that do not set one.
    expect(config.scrape_configs[1]!.sample_limit).toBe(1000);
    expect(config.scrape_configs[1]!.authorization).toEqual({ type: 'Bearer', credentials: 'tok' });
    expect(config.remote_write[0]).toMatchObject({ url: 'http://rw.example/api/v1/write', name: 'rw', remote_timeout: 30_000 });
    expect(config.remote_write[0]!.protobuf_message).toBeUndefined();
    expect(config.remote_write[1]!.protobuf_message).toBe('io.prometheus.write.v2.Request');
    // Unset queue_config fields take Prometheus' defaults.
    expect(config.remote_write[0]!.queue_config).toEqual({
      capacity: 2500,
      max_shards: 200,
      min_shards: 1,
      max_samples_per_send: 500,
      batch_send_deadline: 5000,
      min_backoff: 30,
      max_backoff: 5000,
      retry_on_http_429: true,
    });
    expect(config.remote_read[0]).toMatchObject({ read_recent: true, remote_timeout: 60_000, filter_external_labels: true });
    expect(config.alerting?.alertmanagers).toHaveLength(1);
    expect(config.alerting?.alertmanagers[0]).toMatchObject({ scheme: 'http', path_prefix: '', timeout: 10_000, api_version: 'v2', static_configs: [{ targets: ['am:9093'], labels: {} }] });
    expect(config.alerting?.alert_relabel_configs).toEqual([]);

    const yaml = configToYaml(config);
    expect(yaml).toContain('scrape_interval: 30s');
    expect(yaml).toContain('credentials: <secret>');
    expect(yaml).not.toContain('tok');
    expect(yaml).toMatch(/batch_send_deadline: 5s\n\s+min_backoff: 30ms\n\s+max_backoff: 5s/);
    // What status/config prints loads again to the same config.
    const rwOnly = configToYaml({ ...config, scrape_configs: [], remote_read: [], alerting: undefined, rule_files: [] });
    expect(parseConfig(rwOnly, 'again.yml').config.remote_write).toEqual(config.remote_write);
  });

  it('names file, line, column and field for unknown fields', () => {
    const e = err('global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: a\n    scrape_intervall: 5s\n');
    expect(e.line).toBe(5);
    expect(e.column).toBe(5);
    expect(e.field).toBe('scrape_configs[0].scrape_intervall');
    expect(e.message).toBe('prometheus.yml:5:5: scrape_configs[0].scrape_intervall: field scrape_intervall not found in type config.ScrapeConfig');
    expect(err('foo: 1\n').message).toBe('prometheus.yml:1:1: foo: field foo not found in type config.Config');
  });

  it('rejects bad values with Prometheus messages', () => {
    const cases: [string, RegExp, number][] = [
      ['global:\n  scrape_interval: 15\n', /global.scrape_interval: not a valid duration string: "15"/, 2],
      ['global:\n  scrape_interval: 5s\n  scrape_timeout: 10s\n', /global scrape timeout greater than scrape interval/, 3],
      ['scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n    scrape_timeout: 6s\n', /scrape timeout greater than scrape interval for scrape config with job name "a"/, 4],
      ['scrape_configs:\n  - job_name: a\n  - job_name: a\n', /found multiple scrape configs with job name "a"/, 3],
      ['scrape_configs:\n  - scrape_interval: 5s\n', /job_name is empty/, 2],
      ['scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ["http://x:1/metrics"]\n', /"http:\/\/x:1\/metrics" is not a valid hostname/, 4],
      ['scrape_configs:\n  - job_name: a\n    honor_labels: yes please\n', /expected true or false/, 3],
      ['scrape_configs:\n  - job_name: a\n    sample_limit: -1\n', /expected an integer >= 0/, 3],
      ['scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: hashmod\n        target_label: x\n', /hashmod requires non-zero modulus/, 4],
      ['scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: explode\n', /unknown relabel action "explode"/, 4],
      ['scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - regex: "(("\n        target_label: x\n', /invalid regular expression "\(\("/, 4],
      ['scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: replace\n', /replace action requires 'target_label' value/, 4],
      ['scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: labeldrop\n        source_labels: [a]\n', /labeldrop action requires only 'regex', and no other fields/, 4],
      ['scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: lowercase\n        source_labels: [a]\n        target_label: b\n        replacement: x\n', /'replacement' can not be set for lowercase action/, 4],
      ['scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: keepequal\n        source_labels: [a]\n        target_label: b\n        regex: x\n', /keepequal action requires only 'source_labels' and 'target_label'/, 4],
      ['scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: replace\n        target_label: "1bad"\n', /"1bad" is invalid 'target_label' for replace action/, 4],
      ['scrape_configs:\n  - job_name: a\n    basic_auth: { username: u, password: p }\n    authorization: { credentials: c }\n', /at most one of basic_auth, oauth2 & authorization must be configured/, 2],
      ['scrape_configs:\n  - job_name: a\n    basic_auth: { username: u, password: p, password_file: f }\n', /at most one of basic_auth password & password_file/, 3],
      ['scrape_configs:\n  - job_name: a\n    authorization: { type: Basic }\n', /authorization type cannot be set to "basic"/, 3],
      ['scrape_configs:\n  - job_name: a\n    tls_config: { cert_file: c }\n', /exactly one of key or key_file must be configured/, 3],
      ['scrape_configs:\n  - job_name: a\n    scrape_protocols: [Foo]\n', /unknown scrape protocol Foo/, 3],
      ['scrape_configs:\n  - job_name: a\n    scheme: ftp\n', /scheme must be "http" or "https"/, 3],
      ['scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - files: ["x.txt"]\n', /path name ".*x.txt" is not valid for file discovery|path name "x.txt" is not valid/, 4],
      ['remote_write:\n  - name: x\n', /url for remote_write is empty/, 2],
      ['remote_write:\n  - url: ftp://x\n', /invalid URL scheme "ftp"/, 2],
      ['remote_write:\n  - url: http://a\n    name: x\n  - url: http://b\n    name: x\n', /found multiple remote write configs/, 4],
      ['remote_write:\n  - url: http://a\n    queue_config:\n      min_shards: 5\n      max_shards: 2\n', /remote_write\[0\]\.queue_config\.min_shards: min_shards \(5\) must not exceed max_shards \(2\)/, 4],
      ['remote_write:\n  - url: http://a\n    queue_config:\n      capacity: 0\n', /queue_config\.capacity: expected an integer >= 1/, 4],
      ['remote_write:\n  - url: http://a\n    queue_config:\n      batch_send_deadlin: 5s\n', /field batch_send_deadlin not found in type config\.QueueConfig/, 4],
      ['remote_write:\n  - url: http://a\n    protobuf_message: io.prometheus.write.v3.Request\n', /remote_write\[0\]\.protobuf_message: unknown remote write protobuf message "io\.prometheus\.write\.v3\.Request", supported: prometheus\.WriteRequest, io\.prometheus\.write\.v2\.Request/, 3],
      ['remote_write:\n  - url: http://a\n    queue_config:\n      min_backoff: 1s\n      max_backoff: 100ms\n', /max_backoff must not be less than min_backoff/, 5],
      ['global:\n  external_labels: { __name__: x }\n', /"__name__" is not a valid label name/, 2],
      ['global: [1, 2]\n', /global: expected a mapping, got a list/, 1],
      ['a: 1\na: 2\n', /parsing YAML: Map keys must be unique/, 2],
      ['global:\n  scrape_interval: [\n', /parsing YAML/, 3],
    ];
    for (const [text, re, line] of cases) {
      const e = err(text);
      expect(e.message, text).toMatch(re);
      expect(e.line, text).toBe(line);
      expect(e.file).toBe('prometheus.yml');
    }
  });

  it('reports a missing file', () => {
    expect(() => loadConfigFile(join(tmp, 'nope.yml'))).toThrow(/nope.yml: cannot read config file: ENOENT/);
  });

  it('warns about service discovery it does not implement', () => {
    const { warnings } = parseConfig('scrape_configs:\n  - job_name: k\n    kubernetes_sd_configs: [{ role: pod }]\n', 'p.yml');
    expect(warnings[0]).toMatch(/kubernetes_sd_configs is not supported/);
  });
});

describe('alerting section', () => {
  it('rejects unsupported settings with the line and field', () => {
    const bad = (yaml: string): string => {
      try {
        parseConfig(yaml, 'p.yml');
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(bad('alerting:\n  alertmanagers:\n    - api_version: v1\n')).toMatch(/p\.yml:3:\d+: .*unsupported api_version "v1"/);
    expect(bad('alerting:\n  alertmanagers:\n    - scheme: ftp\n')).toMatch(/p\.yml:3:\d+: .*unknown scheme "ftp"/);
    expect(bad('alerting:\n  alertmanager: []\n')).toMatch(/p\.yml:2:\d+/);
  });
});
