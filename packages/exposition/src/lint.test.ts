import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lint, parseOpenMetrics, parseText } from './index.js';

const INPUT =
  '# TYPE fooBar_ms_count counter\nfooBar_ms_count{le="1",quantile="2",aB="x"} 1\n# HELP x_minutes y\n# TYPE x_minutes gauge\nx_minutes 1\na:b 1\n' +
  '# HELP h_seconds ok\n# TYPE h_seconds histogram\nh_seconds_bucket{le="+Inf"} 1\nh_seconds_sum 1\nh_seconds_count 1\n' +
  '# HELP g_total x\n# TYPE g_total gauge\ng_total 1\n# HELP kilobits_counter x\n# TYPE kilobits_counter untyped\nkilobits_counter 1\n';

const show = (ps: { metric: string; text: string }[]) => ps.map((p) => `${p.metric} ${p.text}`);

describe('lint (promlint rules)', () => {
  it('reports promtool problems in promtool wording and order', () => {
    expect(show(lint(parseText(INPUT)))).toEqual([
      "a:b metric names should not contain ':'",
      'a:b no help text',
      'fooBar_ms_count counter metrics should have "_total" suffix',
      "fooBar_ms_count label names should be written in 'snake_case' not 'camelCase'",
      "fooBar_ms_count metric names should be written in 'snake_case' not 'camelCase'",
      'fooBar_ms_count metric names should not contain abbreviated units',
      'fooBar_ms_count no help text',
      'fooBar_ms_count non-histogram and non-summary metrics should not have "_count" suffix',
      'fooBar_ms_count non-histogram metrics should not have "le" label',
      'fooBar_ms_count non-summary metrics should not have "quantile" label',
      'g_total non-counter metrics should not have "_total" suffix',
      "kilobits_counter metric name should not include type 'counter'",
      'kilobits_counter use base unit "bytes" instead of "kilobits"',
      'x_minutes use base unit "seconds" instead of "minutes"',
    ]);
  });
  it('names OpenMetrics counters with their _total, as the Go model does', () => {
    expect(lint(parseOpenMetrics('# TYPE a counter\n# HELP a x\na_total 1\n# EOF\n'))).toEqual([]);
  });
  it.skipIf(!existsSync('/usr/bin/promtool'))('matches promtool check metrics line for line', () => {
    const r = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: INPUT });
    expect(r.status).toBe(3);
    expect(show(lint(parseText(INPUT)))).toEqual(r.stderr.toString().trim().split('\n'));
  });
});
