// One query panel: editor, Execute, and a Table or Graph tab over the same expression.
import { ApiError, apiGet, apiQuery, type QueryAnswer } from '../lib/api.js';
import { h, notice } from '../lib/dom.js';
import { autoStep, formatDuration, formatUtc, parseDuration, parseTime, stepRange } from '../lib/time.js';
import type { PromQLEditor } from './editor.js';
import { findErrorPosition } from './error-position.js';
import { GraphView } from './graph.js';
import { openMetricsExplorer } from './metrics-explorer.js';
import { parseQueryResult } from './result.js';
import { describeEvalTime, renderTable } from './table.js';
import type { PanelState, Tab } from './url-state.js';

export interface PanelCallbacks {
  onChange(): void;
  onRemove(): void;
}

let panelSeq = 0;

/** The server's warnings and infos about a query (e.g. "metric might not be a counter"). */
function notes(answer: QueryAnswer): HTMLElement[] {
  return [
    ...answer.warnings.map((w) => notice('info', h('strong', null, 'Warning: '), w)),
    ...answer.infos.map((i) => notice('info', h('strong', null, 'Info: '), i)),
  ].map((n) => (n.classList.add('query-note'), n));
}

export class Panel {
  readonly element: HTMLElement;
  /** CodeMirror loads in its own chunk after the first query is on its way; until then a read-only stand-in shows the text. */
  private editor: PromQLEditor | undefined;
  private pendingFocus = false;
  private pendingError: { from: number; to: number } | undefined;
  private destroyed = false;
  private readonly errorBox: HTMLElement;
  private readonly stats: HTMLElement;
  private readonly body: HTMLElement;
  private readonly tabButtons: Record<Tab, HTMLButtonElement>;
  private readonly id = ++panelSeq;
  private graph: GraphView | undefined;
  private inflight: AbortController | undefined;

  constructor(
    readonly state: PanelState,
    private readonly cb: PanelCallbacks,
  ) {
    const fallback = h('div', { class: 'editor-fallback', 'aria-busy': 'true' }, state.expr === '' ? h('span', { class: 'muted' }, 'Loading editor…') : state.expr);
    const editorHost = h('div', { class: 'editor', 'data-testid': 'expression-editor' }, fallback);
    this.errorBox = h('div', { class: 'panel-error', hidden: true, role: 'alert' });
    this.stats = h('div', { class: 'stats muted', 'aria-live': 'polite' });
    this.body = h('div', { class: 'panel-body', role: 'tabpanel', id: `panel-${this.id}-body` });
    const tab = (t: Tab, label: string) =>
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          class: 'tab',
          'aria-controls': `panel-${this.id}-body`,
          onclick: () => this.selectTab(t),
          onkeydown: (ev: Event) => {
            const key = (ev as KeyboardEvent).key;
            if (key === 'ArrowLeft' || key === 'ArrowRight') {
              const next: Tab = this.state.tab === 'table' ? 'graph' : 'table';
              this.selectTab(next);
              this.tabButtons[next].focus();
            }
          },
        },
        label,
      );
    this.tabButtons = { table: tab('table', 'Table'), graph: tab('graph', 'Graph') };
    this.element = h(
      'section',
      { class: 'panel card', 'aria-label': `Query panel ${this.id}` },
      h(
        'div',
        { class: 'panel-head' },
        editorHost,
        h(
          'button',
          { type: 'button', class: 'btn', title: 'Format the expression (server-side, /api/v1/format_query)', onclick: () => void this.format() },
          'Format',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'btn',
            title: 'Metrics explorer: browse metric names',
            onclick: () => openMetricsExplorer((name) => this.insert(name)),
          },
          'Metrics',
        ),
        h('button', { type: 'button', class: 'btn btn-primary', onclick: () => this.execute(), 'data-testid': 'execute' }, 'Execute'),
        h('button', { type: 'button', class: 'btn btn-icon', title: 'Remove panel', 'aria-label': 'Remove panel', onclick: () => this.cb.onRemove() }, '×'),
      ),
      this.errorBox,
      h('div', { class: 'panel-tabs' }, h('div', { role: 'tablist', class: 'tabs' }, this.tabButtons.table, this.tabButtons.graph), this.stats),
      this.body,
    );
    void import('./editor.js').then(({ createEditor }) => {
      if (this.destroyed) return;
      fallback.remove();
      const editor = createEditor(
        editorHost,
        this.state.expr,
        () => this.execute(),
        () => this.clearError(),
      );
      this.editor = editor;
      if (this.pendingError) editor.markError(this.pendingError.from, this.pendingError.to);
      if (this.pendingFocus) editor.focus();
    });
    this.syncTabs();
    this.renderIdle();
  }

  /** Pretty-prints the expression with the server's formatter; a parse error is shown like a query error. */
  private async format(): Promise<void> {
    const expr = (this.editor?.getValue() ?? this.state.expr).trim();
    if (expr === '') return;
    this.clearError();
    try {
      const formatted = await apiGet('format_query', { query: expr });
      if (typeof formatted !== 'string') throw new ApiError('format_query: expected a string', 200, 'bad_response', 'format_query');
      if (this.editor) this.editor.setValue(formatted);
      else this.state.expr = formatted;
    } catch (err) {
      this.showError(err, expr);
    }
  }

  private insert(text: string): void {
    if (this.editor) this.editor.insert(text);
    else this.state.expr += text;
  }

  focus(): void {
    if (this.editor) this.editor.focus();
    else this.pendingFocus = true;
  }

  private selectTab(t: Tab): void {
    if (this.state.tab === t) return;
    this.state.tab = t;
    this.syncTabs();
    this.cb.onChange();
    this.run();
  }

  private syncTabs(): void {
    for (const t of ['table', 'graph'] as const) {
      const active = this.state.tab === t;
      this.tabButtons[t].setAttribute('aria-selected', String(active));
      this.tabButtons[t].tabIndex = active ? 0 : -1;
    }
  }

  /** Takes the editor's text as the panel's expression and runs it. */
  execute(): void {
    this.state.expr = (this.editor?.getValue() ?? this.state.expr).trim();
    this.cb.onChange();
    this.run();
  }

  private clearError(): void {
    this.pendingError = undefined;
    this.errorBox.hidden = true;
    this.errorBox.replaceChildren();
  }

  private showError(err: unknown, expr: string): void {
    const message = err instanceof Error ? err.message : String(err);
    const pos = findErrorPosition(message, expr);
    const children: (HTMLElement | string)[] = [h('strong', null, err instanceof ApiError ? `Error (${err.errorType}): ` : 'Error: '), message];
    if (pos) {
      if (this.editor) this.editor.markError(pos.from, pos.to);
      else this.pendingError = { from: pos.from, to: pos.to };
      const line = expr.split('\n')[pos.line - 1] ?? '';
      children.push(
        h('pre', { class: 'error-context', 'aria-label': `at line ${pos.line}, column ${pos.column}` }, `${line}\n${' '.repeat(Math.max(pos.column - 1, 0))}^`),
      );
    }
    this.errorBox.replaceChildren(...children);
    this.errorBox.hidden = false;
  }

  private renderIdle(): void {
    this.body.replaceChildren(this.controls(), notice('empty', 'No data queried yet'));
  }

  private controls(): HTMLElement {
    return this.state.tab === 'table' ? this.tableControls() : this.graphControls();
  }

  private tableControls(): HTMLElement {
    const input = h('input', {
      type: 'text',
      class: 'input',
      placeholder: 'now',
      value: this.state.moment === null ? '' : formatUtc(this.state.moment),
      'aria-label': 'Evaluation time (UTC)',
      size: 19,
    });
    const apply = () => {
      const v = input.value.trim();
      const t = v === '' ? null : parseTime(v);
      if (t === undefined) {
        input.setCustomValidity('Use YYYY-MM-DD HH:mm:ss (UTC) or Unix seconds');
        input.reportValidity();
        return;
      }
      input.setCustomValidity('');
      this.state.moment = t;
      this.cb.onChange();
      this.run();
    };
    input.addEventListener('change', apply);
    return h('div', { class: 'controls' }, h('label', { class: 'control' }, h('span', null, 'Evaluation time'), input));
  }

  private graphControls(): HTMLElement {
    const range = h('input', { type: 'text', class: 'input input-short', value: formatDuration(this.state.range), 'aria-label': 'Range', 'data-testid': 'range-input' });
    const setRange = (sec: number) => {
      this.state.range = sec;
      range.value = formatDuration(sec);
      this.cb.onChange();
      this.run();
    };
    range.addEventListener('change', () => {
      const sec = parseDuration(range.value);
      if (sec === undefined) {
        range.setCustomValidity('A duration such as 1h, 30m or 1d12h');
        range.reportValidity();
        return;
      }
      range.setCustomValidity('');
      setRange(sec);
    });
    const end = h('input', {
      type: 'text',
      class: 'input',
      placeholder: 'now',
      size: 19,
      value: this.state.endTime === null ? '' : formatUtc(this.state.endTime),
      'aria-label': 'End time (UTC)',
    });
    const setEnd = (t: number | null) => {
      this.state.endTime = t;
      end.value = t === null ? '' : formatUtc(t);
      this.cb.onChange();
      this.run();
    };
    end.addEventListener('change', () => {
      const v = end.value.trim();
      const t = v === '' ? null : parseTime(v);
      if (t === undefined) {
        end.setCustomValidity('Use YYYY-MM-DD HH:mm:ss (UTC) or Unix seconds');
        end.reportValidity();
        return;
      }
      end.setCustomValidity('');
      setEnd(t);
    });
    const shift = (dir: 1 | -1) => {
      const base = this.state.endTime ?? Date.now();
      const next = base + (dir * this.state.range * 1000) / 2;
      setEnd(dir > 0 && next >= Date.now() ? null : Math.round(next / 1000) * 1000);
    };
    const res = h('input', {
      type: 'text',
      class: 'input input-short',
      placeholder: `auto (${autoStep(this.state.range)}s)`,
      value: this.state.resolution === null ? '' : String(this.state.resolution),
      'aria-label': 'Resolution in seconds',
    });
    res.addEventListener('change', () => {
      const v = res.value.trim();
      const sec = v === '' ? null : parseDuration(v);
      if (sec === undefined) {
        res.setCustomValidity('Seconds, or a duration such as 15s');
        res.reportValidity();
        return;
      }
      res.setCustomValidity('');
      this.state.resolution = sec;
      this.cb.onChange();
      this.run();
    });
    const stacked = h('input', { type: 'checkbox', checked: this.state.stacked, 'aria-label': 'Stacked' });
    stacked.addEventListener('change', () => {
      this.state.stacked = stacked.checked;
      this.cb.onChange();
      this.run();
    });
    return h(
      'div',
      { class: 'controls' },
      h(
        'div',
        { class: 'control-group' },
        h('button', { type: 'button', class: 'btn', title: 'Shorter range', 'aria-label': 'Shorter range', onclick: () => setRange(stepRange(this.state.range, -1)) }, '−'),
        range,
        h('button', { type: 'button', class: 'btn', title: 'Longer range', 'aria-label': 'Longer range', onclick: () => setRange(stepRange(this.state.range, 1)) }, '+'),
      ),
      h(
        'div',
        { class: 'control-group' },
        h('button', { type: 'button', class: 'btn', title: 'Earlier', 'aria-label': 'Move back in time', onclick: () => shift(-1) }, '‹'),
        end,
        h('button', { type: 'button', class: 'btn', title: 'Later', 'aria-label': 'Move forward in time', onclick: () => shift(1) }, '›'),
      ),
      h('label', { class: 'control' }, h('span', null, 'Res.'), res),
      h('label', { class: 'control checkbox' }, stacked, h('span', null, 'Stacked')),
    );
  }

  /** Runs the current expression on the current tab. */
  run(): void {
    this.inflight?.abort();
    this.graph?.destroy();
    this.graph = undefined;
    const expr = this.state.expr;
    if (expr === '') {
      this.stats.textContent = '';
      this.renderIdle();
      return;
    }
    const ctrl = new AbortController();
    this.inflight = ctrl;
    this.clearError();
    this.element.classList.add('loading');
    const controls = this.controls();
    this.body.replaceChildren(controls, notice('loading', 'Loading…'));
    const t0 = performance.now();
    const done = () => {
      if (this.inflight === ctrl) this.element.classList.remove('loading');
    };
    if (this.state.tab === 'table') {
      const params: Record<string, string> = { query: expr };
      if (this.state.moment !== null) params.time = String(this.state.moment / 1000);
      apiQuery('query', params, ctrl.signal)
        .then((answer) => {
          const result = parseQueryResult(answer.data);
          const count = result.resultType === 'scalar' || result.resultType === 'string' ? 1 : result.result.length;
          this.stats.textContent = `Load time: ${Math.round(performance.now() - t0)} ms · Result series: ${count} · Evaluated at ${describeEvalTime(this.state.moment)}`;
          this.body.replaceChildren(controls, ...notes(answer), renderTable(result));
          performance.mark('promethium:table-rendered');
        })
        .catch((err: unknown) => this.fail(err, expr, ctrl, controls))
        .finally(done);
      return;
    }
    const end = (this.state.endTime ?? Date.now()) / 1000;
    const start = end - this.state.range;
    const step = this.state.resolution ?? autoStep(this.state.range);
    apiQuery('query_range', { query: expr, start: String(start), end: String(end), step: String(step) }, ctrl.signal)
      .then(async (answer) => {
        const result = parseQueryResult(answer.data);
        if (result.resultType !== 'matrix') {
          throw new Error(`the graph needs a range query result (matrix), got ${result.resultType}`);
        }
        const loadMs = Math.round(performance.now() - t0);
        if (result.result.length === 0) {
          this.stats.textContent = `Load time: ${loadMs} ms · Result series: 0`;
          this.body.replaceChildren(controls, ...notes(answer), notice('empty', 'Empty query result'));
          return;
        }
        const graph = new GraphView();
        this.graph = graph;
        this.body.replaceChildren(controls, ...notes(answer), graph.element);
        const drawMs = await graph.render({ series: result.result, start, end, step, stacked: this.state.stacked });
        this.stats.textContent = `Load time: ${loadMs} ms · Draw: ${Math.round(drawMs)} ms · Result series: ${result.result.length} · Resolution: ${step}s`;
      })
      .catch((err: unknown) => this.fail(err, expr, ctrl, controls))
      .finally(done);
  }

  private fail(err: unknown, expr: string, ctrl: AbortController, controls: HTMLElement): void {
    if (ctrl.signal.aborted) return;
    this.stats.textContent = '';
    this.showError(err, expr);
    this.body.replaceChildren(controls);
  }

  /** Redraws after a theme change (axis and series colours come from the theme). */
  refreshTheme(): void {
    if (this.state.tab === 'graph' && this.state.expr !== '') this.run();
  }

  destroy(): void {
    this.inflight?.abort();
    this.graph?.destroy();
    this.destroyed = true;
    this.editor?.destroy();
    this.element.remove();
  }
}
