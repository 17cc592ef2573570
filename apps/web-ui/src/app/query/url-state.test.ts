import { describe, expect, it } from 'vitest';
import { defaultPanel, parsePanels, serializePanels } from './url-state.js';

describe('URL state', () => {
  it('reads classic Prometheus links', () => {
    const panels = parsePanels(
      '?g0.expr=rate(up%5B5m%5D)&g0.tab=0&g0.range_input=6h&g0.end_input=2024-01-02%2003%3A04%3A05&g0.step_input=30&g0.stacked=1' +
        '&g1.expr=up&g1.tab=1&g1.moment_input=2024-01-02%2000%3A00%3A00',
    );
    expect(panels).toEqual([
      { expr: 'rate(up[5m])', tab: 'graph', range: 21600, endTime: Date.UTC(2024, 0, 2, 3, 4, 5), resolution: 30, stacked: true, moment: null },
      { expr: 'up', tab: 'table', range: 3600, endTime: null, resolution: null, stacked: false, moment: Date.UTC(2024, 0, 2) },
    ]);
  });
  it('reads Prometheus 3 links and orders panels by index', () => {
    const panels = parsePanels('g10.expr=b&g2.expr=a&g2.tab=graph&g2.display_mode=stacked');
    expect(panels.map((p) => [p.expr, p.tab, p.stacked])).toEqual([
      ['a', 'graph', true],
      ['b', 'table', false],
    ]);
  });
  it('falls back to defaults for malformed values and empty URLs', () => {
    expect(parsePanels('')).toEqual([defaultPanel()]);
    const [p] = parsePanels('g0.expr=up&g0.range_input=banana&g0.end_input=2024-13-01&g0.step_input=-1');
    expect(p).toEqual(defaultPanel('up'));
  });
  it('round-trips', () => {
    const panels = [
      { ...defaultPanel('sum by (job) (up)'), tab: 'graph' as const, range: 5400, endTime: Date.UTC(2025, 5, 1, 12), resolution: 15, stacked: true },
      { ...defaultPanel('node_load1'), moment: Date.UTC(2025, 5, 1) },
    ];
    const s = serializePanels(panels);
    expect(s).toContain('g0.range_input=1h30m');
    expect(s).toContain('g0.tab=0');
    expect(parsePanels(s)).toEqual(panels);
  });
});
