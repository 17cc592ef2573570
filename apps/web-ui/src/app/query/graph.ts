// Graph view of a range query on uPlot (canvas): fast enough for hundreds of series.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from '../lib/dom.js';
import { formatUtc } from '../lib/time.js';
import { alignSeries, seriesColor, timeTicks } from './graph-data.js';
import { formatSeries, type RangeSeries } from './result.js';

export interface GraphInput {
  series: readonly RangeSeries[];
  start: number;
  end: number;
  step: number;
  stacked: boolean;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e15 || a < 1e-4) return v.toExponential(3);
  return String(Number(v.toPrecision(6)));
}

function withAlpha(hsl: string, alpha: number): string {
  return hsl.replace('hsl(', 'hsla(').replace(')', `, ${alpha})`);
}

export class GraphView {
  readonly element: HTMLElement;
  private readonly plotHolder: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly tooltip: HTMLElement;
  private plot: uPlot | undefined;
  private labels: string[] = [];
  private readonly resize: ResizeObserver;
  /** Milliseconds from data preparation to the first drawn frame of the last render. */
  lastDrawMs = 0;
  private drawn = false;

  constructor() {
    this.plotHolder = h('div', { class: 'plot', 'data-testid': 'graph-canvas-holder' });
    this.tooltip = h('div', { class: 'plot-tooltip', hidden: true });
    this.legend = h('ul', { class: 'legend', 'aria-label': 'Series' });
    this.element = h('div', { class: 'graph' }, h('div', { class: 'plot-area' }, this.plotHolder, this.tooltip), this.legend);
    this.resize = new ResizeObserver(() => {
      if (this.plot) this.plot.setSize({ width: this.width(), height: this.height() });
    });
    this.resize.observe(this.element);
  }

  private width(): number {
    return Math.max(this.element.clientWidth, 200);
  }

  private height(): number {
    return window.innerWidth < 640 ? 240 : 340;
  }

  render(input: GraphInput): Promise<number> {
    const t0 = performance.now();
    this.plot?.destroy();
    this.plot = undefined;
    this.drawn = false;
    const dark = document.documentElement.dataset.theme === 'dark';
    const { x, ys } = alignSeries(input.series, input.start, input.end, input.step, input.stacked);
    this.labels = input.series.map((s) => formatSeries(s.metric));
    const axisColor = cssVar('--fg-muted');
    const gridColor = cssVar('--grid');
    const seriesOpts: uPlot.Series[] = [{}];
    const bands: uPlot.Band[] = [];
    ys.forEach((_, i) => {
      const color = seriesColor(i, dark);
      const s: uPlot.Series = { label: this.labels[i] ?? '', stroke: color, width: 1.25, points: { show: false }, spanGaps: false };
      if (input.stacked) {
        if (i === 0) s.fill = withAlpha(color, 0.35);
        else bands.push({ series: [i + 1, i], fill: withAlpha(color, 0.35) });
      }
      seriesOpts.push(s);
    });
    let resolveDrawn: (ms: number) => void = () => undefined;
    const drawn = new Promise<number>((r) => (resolveDrawn = r));
    const opts: uPlot.Options = {
      width: this.width(),
      height: this.height(),
      series: seriesOpts,
      bands,
      legend: { show: false },
      cursor: { focus: { prox: 30 }, drag: { x: true, y: false } },
      focus: { alpha: 0.35 },
      scales: { x: { time: true } },
      // Times in inputs, URLs and the tooltip are UTC (as in Prometheus links), so the axis is too.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      axes: [
        { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor }, values: (_u, splits) => timeTicks(splits) },
        { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor }, size: 60, values: (_u, vals) => vals.map(formatValue) },
      ],
      hooks: {
        draw: [
          () => {
            if (this.drawn) return;
            this.drawn = true;
            this.lastDrawMs = performance.now() - t0;
            // Read by the bench (bench/suites/ui.bench.ts): data alignment + uPlot setup + first frame.
            performance.measure('promethium:graph-draw', { start: t0, duration: this.lastDrawMs });
            resolveDrawn(this.lastDrawMs);
          },
        ],
        setCursor: [(u) => this.updateTooltip(u)],
      },
    };
    this.plot = new uPlot(opts, [x, ...ys] as uPlot.AlignedData, this.plotHolder);
    this.renderLegend(dark);
    return drawn;
  }

  private renderLegend(dark: boolean): void {
    const items = this.labels.map((label, i) =>
      h(
        'li',
        null,
        h(
          'button',
          {
            type: 'button',
            class: 'legend-item',
            'aria-pressed': 'true',
            title: 'Click to hide/show; Alt+click to show only this series',
            onclick: (ev: Event) => this.toggle(i, (ev as MouseEvent).altKey),
          },
          h('span', { class: 'swatch', style: `background:${seriesColor(i, dark)}` }),
          h('span', { class: 'legend-label' }, label),
        ),
      ),
    );
    this.legend.replaceChildren(...items);
  }

  private toggle(i: number, only: boolean): void {
    const plot = this.plot;
    if (!plot) return;
    const buttons = [...this.legend.querySelectorAll<HTMLButtonElement>('button')];
    if (only) {
      this.labels.forEach((_, j) => {
        plot.setSeries(j + 1, { show: j === i });
        buttons[j]?.setAttribute('aria-pressed', String(j === i));
      });
      return;
    }
    const show = !(plot.series[i + 1]?.show ?? true);
    plot.setSeries(i + 1, { show });
    buttons[i]?.setAttribute('aria-pressed', String(show));
  }

  private updateTooltip(u: uPlot): void {
    const idx = u.cursor.idx;
    const left = u.cursor.left ?? -1;
    const top = u.cursor.top ?? -1;
    if (idx === null || idx === undefined || left < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const yAtCursor = u.posToVal(top, 'y');
    let best = -1;
    let bestDist = Infinity;
    for (let s = 1; s < u.data.length; s++) {
      if (!u.series[s]?.show) continue;
      const v = u.data[s]?.[idx];
      if (v === null || v === undefined) continue;
      const d = Math.abs(v - yAtCursor);
      if (d < bestDist) {
        bestDist = d;
        best = s;
      }
    }
    const t = u.data[0][idx];
    if (t === undefined) return;
    this.tooltip.replaceChildren(h('div', { class: 'muted' }, `${formatUtc(t * 1000)} UTC`));
    if (best > 0) {
      this.tooltip.append(
        h('div', { class: 'tooltip-series' }, this.labels[best - 1] ?? ''),
        h('div', { class: 'tooltip-value' }, formatValue(u.data[best]?.[idx])),
      );
    }
    this.tooltip.hidden = false;
    const flip = left > u.over.clientWidth / 2;
    this.tooltip.style.left = flip ? '' : `${left + 70}px`;
    this.tooltip.style.right = flip ? `${u.over.clientWidth - left + 10}px` : '';
    this.tooltip.style.top = `${Math.max(top - 10, 0)}px`;
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }
}
