// A realistic OpenMetrics backfill input: counters, gauges with awkward values and label
// values that need escaping, 15 s apart over several 2 h windows.
export function backfillInput(startMs: number, hours: number, opts: { stepMs?: number; series?: number } = {}): string {
  const step = opts.stepMs ?? 15_000;
  const n = opts.series ?? 4;
  const lines: string[] = ['# HELP http_requests Requests served.', '# TYPE http_requests counter'];
  const count = Math.floor((hours * 3_600_000) / step);
  const ts = (i: number) => ((startMs + i * step) / 1000).toFixed(3);
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < count; i++) lines.push(`http_requests_total{code="${200 + s}",path="/a\\"b\\\\c\\nd"} ${i * (s + 1)} ${ts(i)}`);
  }
  lines.push('# TYPE temperature_celsius gauge', '# UNIT temperature_celsius celsius');
  const odd = ['1e+06', '1234567', '0.001', '-2.5e-07', 'NaN', '+Inf', '-Inf', '123456.7'];
  for (let s = 0; s < 2; s++) {
    // Sparse: every 7th step, so chunks fill differently from the counters.
    for (let i = s; i < count; i += 7) lines.push(`temperature_celsius{room="r${s}",note="ü ✓"} ${odd[i % odd.length]} ${ts(i)}`);
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}
