import { describe, expect, it } from 'vitest';
import { checkTemplate, expandTemplate, type TemplateContext } from './expand.js';
import { TemplateError } from './lexer.js';

const ctx = (over: Partial<TemplateContext> = {}): TemplateContext => ({
  labels: { instance: 'web-1:9100', job: 'node', severity: 'page' },
  externalLabels: { cluster: 'eu1' },
  externalURL: 'http://prom.example:9090/prefix',
  value: 1234567.25,
  ...over,
});
const x = (t: string, over: Partial<TemplateContext> = {}): string => expandTemplate('test', t, ctx(over));

describe('alert templates', () => {
  it('expands $labels, $value, $externalLabels and $externalURL', () => {
    expect(x('{{ $labels.instance }} of {{ $labels.job }} is down')).toBe('web-1:9100 of node is down');
    expect(x('value {{ $value }}')).toBe('value 1.23456725e+06');
    expect(x('{{ $externalLabels.cluster }} {{ $externalURL }}')).toBe('eu1 http://prom.example:9090/prefix');
    expect(x('[{{ $labels.missing }}]')).toBe('[]');
    expect(x('no template here')).toBe('no template here');
  });
  it('formats with humanize helpers like Prometheus', () => {
    const h = (f: string, v: number): string => x(`{{ ${f} $value }}`, { value: v });
    expect(h('humanize', 0)).toBe('0');
    expect(h('humanize', 0.1)).toBe('100m');
    expect(h('humanize', 1234567)).toBe('1.235M');
    expect(h('humanize', -1234)).toBe('-1.234k');
    expect(h('humanize', 0.000123)).toBe('123u');
    expect(h('humanize', NaN)).toBe('NaN');
    expect(h('humanize', Infinity)).toBe('+Inf');
    expect(h('humanize1024', 1024)).toBe('1ki');
    expect(h('humanize1024', 1572864)).toBe('1.5Mi');
    expect(h('humanizeDuration', 0)).toBe('0s');
    expect(h('humanizeDuration', 0.1)).toBe('100ms');
    expect(h('humanizeDuration', 60)).toBe('1m 0s');
    expect(h('humanizeDuration', 3600)).toBe('1h 0m 0s');
    expect(h('humanizeDuration', 90061)).toBe('1d 1h 1m 1s');
    expect(h('humanizeDuration', -90)).toBe('-1m 30s');
    expect(h('humanizeDuration', 1.5)).toBe('1.5s');
    expect(h('humanizePercentage', 0.1234)).toBe('12.34%');
    expect(h('humanizeTimestamp', 1435065584.128)).toBe('2015-06-23 13:19:44.128 +0000 UTC');
    expect(x('{{ 1234.5 | humanize }}')).toBe('1.234k');
    expect(x('{{ "1048576" | humanize1024 }}')).toBe('1Mi');
  });
  it('supports pipelines, printf, conditionals, with, range and variables', () => {
    expect(x('{{ printf "%.2f" $value }}')).toBe('1234567.25');
    expect(x('{{ $value | printf "%.1f" }}')).toBe('1234567.2');
    expect(x('{{ if gt $value 1000.0 }}high{{ else }}low{{ end }}')).toBe('high');
    expect(x('{{ if eq $labels.severity "info" }}i{{ else if eq $labels.severity "page" }}p{{ end }}')).toBe('p');
    expect(x('{{ with $labels.job }}job={{ . }}{{ end }}{{ with $labels.none }}x{{ else }}-{{ end }}')).toBe('job=node-');
    expect(x('{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}')).toBe('instance=web-1:9100;job=node;severity=page;');
    expect(x('{{ $n := 0 }}{{ range $labels }}{{ $n = 1 }}{{ end }}{{ $n }}')).toBe('1');
    expect(x('{{- "a" -}}  \n  {{- "b" }}')).toBe('ab');
    expect(x('{{/* a comment */}}ok')).toBe('ok');
    expect(x('{{ and 1 0 }} {{ or 0 "" "z" }} {{ not true }}')).toBe('0 z false');
    expect(x('{{ toUpper "abc" }} {{ title "hello world" }} {{ len "four" }}')).toBe('ABC Hello World 4');
    expect(x('{{ reReplaceAll "(.*):.*" "$1" $labels.instance }}')).toBe('web-1');
    expect(x('{{ $labels.instance | stripPort }} {{ "a.b.c:9" | stripDomain }}')).toBe('web-1 a:9');
    expect(x('{{ graphLink "up == 0" }}')).toBe('/prefix/graph?g0.expr=up%20%3D%3D%200&g0.tab=0');
    expect(x('{{ define "t" }}[{{ . }}]{{ end }}{{ template "t" $labels.job }}')).toBe('[node]');
    expect(x('{{ range $i, $e := args "a" "b" }}{{ $i }}{{ end }}')).toBe('arg0arg1');
    expect(x('{{ "5m" | parseDuration }}')).toBe('300');
  });
  it('runs queries through the injected engine', () => {
    const query = (q: string) =>
      q === 'up'
        ? [{ Labels: { instance: 'b' }, Value: 1 }, { Labels: { instance: 'a' }, Value: 0 }]
        : [];
    expect(x('{{ with query "up" }}{{ . | first | value }}{{ end }}', { query })).toBe('1');
    expect(x('{{ range query "up" | sortByLabel "instance" }}{{ .Labels.instance }}={{ .Value }} {{ end }}', { query })).toBe('a=0 b=1 ');
    expect(() => x('{{ query "none" | first }}', { query })).toThrow('first() called on vector with no elements');
  });
  it('reports errors with the template name and position', () => {
    expect(() => x('{{ nope }}')).toThrow(TemplateError);
    expect(() => x('{{ nope }}')).toThrow(/function "nope" not defined/);
    expect(() => x('{{ .Foo }}')).toThrow(/can't evaluate field Foo/);
    expect(() => x('{{ if }}')).toThrow(/missing value for command/);
    expect(() => x('{{ end }}')).toThrow(/unexpected \{\{end\}\}/);
    expect(() => x('{{ if 1 }}x')).toThrow(/unexpected EOF/);
    expect(() => x('{{ "x" | humanize }}')).toThrow(/error calling humanize: strconv.ParseFloat: parsing "x": invalid syntax/);
    expect(() => x('line1\n{{ $undefined }}')).toThrow(/template: test:2:\d+: executing "test" undefined variable: \$undefined/);
    expect(() => checkTemplate('t', '{{ unclosed')).toThrow(/unclosed action/);
  });
});
