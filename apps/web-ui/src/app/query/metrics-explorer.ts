// Metrics explorer: every metric name from /api/v1/label/__name__/values, filterable; picking one
// inserts it at the cursor. A native <dialog>: focus is trapped and Escape closes it.
import { apiGet, asArray } from '../lib/api.js';
import { h, notice } from '../lib/dom.js';

const SHOWN = 500;
let cached: Promise<string[]> | undefined;

function metricNames(): Promise<string[]> {
  cached ??= apiGet('label/__name__/values')
    .then((d) => asArray(d, 'label/__name__/values').filter((v): v is string => typeof v === 'string'))
    .catch((err: unknown) => {
      cached = undefined; // try again next time
      throw err;
    });
  return cached;
}

/** Case-insensitive: every whitespace-separated word must occur in the name. */
export function filterNames(names: readonly string[], query: string): string[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return words.length === 0 ? [...names] : names.filter((n) => words.every((w) => n.toLowerCase().includes(w)));
}

export function openMetricsExplorer(onPick: (name: string) => void): void {
  const search = h('input', { type: 'search', class: 'input', placeholder: 'Filter metric names', 'aria-label': 'Filter metric names' });
  const list = h('div', { class: 'explorer-list', role: 'list' }, notice('loading', 'Loading metric names…'));
  const close = h('button', { type: 'button', class: 'btn btn-icon', 'aria-label': 'Close' }, '×');
  const dialog = h(
    'dialog',
    { class: 'explorer card', 'aria-label': 'Metrics explorer' },
    h('div', { class: 'explorer-head' }, h('h2', null, 'Metrics explorer'), close),
    search,
    list,
  );
  let names: string[] = [];
  const render = () => {
    const shown = filterNames(names, search.value);
    list.replaceChildren(
      ...(shown.length === 0
        ? [notice('empty', names.length === 0 ? 'The server has no metrics yet.' : 'No metric name matches.')]
        : shown.slice(0, SHOWN).map((n) =>
            h('button', { type: 'button', class: 'explorer-item', role: 'listitem', onclick: () => (dialog.close(), onPick(n)) }, n),
          )),
      ...(shown.length > SHOWN ? [h('div', { class: 'muted explorer-more' }, `${shown.length - SHOWN} more: refine the filter`)] : []),
    );
  };
  search.addEventListener('input', render);
  search.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') list.querySelector<HTMLButtonElement>('.explorer-item')?.click();
    if (ev.key === 'ArrowDown') {
      ev.preventDefault();
      list.querySelector<HTMLButtonElement>('.explorer-item')?.focus();
    }
  });
  list.addEventListener('keydown', (ev) => {
    const el = document.activeElement;
    if (!(el instanceof HTMLButtonElement)) return;
    const next = ev.key === 'ArrowDown' ? el.nextElementSibling : ev.key === 'ArrowUp' ? el.previousElementSibling : null;
    if (ev.key === 'ArrowUp' && !el.previousElementSibling) {
      ev.preventDefault();
      search.focus();
    } else if (next instanceof HTMLButtonElement) {
      ev.preventDefault();
      next.focus();
    }
  });
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  search.focus();
  metricNames().then(
    (n) => {
      names = n;
      render();
    },
    (err: unknown) => list.replaceChildren(notice('error', err instanceof Error ? err.message : String(err))),
  );
}
