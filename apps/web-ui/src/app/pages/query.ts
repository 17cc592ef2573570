// The expression browser: several panels, their state mirrored in the URL.
import { h } from '../lib/dom.js';
import { Panel } from '../query/panel.js';
import { defaultPanel, parsePanels, serializePanels } from '../query/url-state.js';
import type { PageContext } from '../router.js';

export function queryPage(root: HTMLElement, ctx: PageContext): void {
  const panels: Panel[] = [];
  const list = h('div', { class: 'panels' });
  const syncUrl = () => {
    const qs = serializePanels(panels.map((p) => p.state));
    history.replaceState(history.state, '', `?${qs}`);
  };
  const add = (state = defaultPanel(), focus = false) => {
    const panel: Panel = new Panel(state, {
      onChange: syncUrl,
      onRemove: () => {
        const i = panels.indexOf(panel);
        if (i >= 0) panels.splice(i, 1);
        panel.destroy();
        if (panels.length === 0) add(defaultPanel(), true);
        syncUrl();
      },
    });
    panels.push(panel);
    list.append(panel.element);
    if (focus) panel.focus();
    return panel;
  };
  root.append(
    h('h1', { class: 'visually-hidden' }, 'Query'),
    list,
    h('div', { class: 'page-actions' }, h('button', { type: 'button', class: 'btn', 'data-testid': 'add-panel', onclick: () => (add(defaultPanel(), true), syncUrl()) }, 'Add panel')),
  );
  const initial = parsePanels(location.search);
  initial.forEach((s, i) => add(s, i === 0));
  for (const p of panels) if (p.state.expr !== '') p.run();
  const onTheme = () => panels.forEach((p) => p.refreshTheme());
  // "/" jumps to the first expression from anywhere but a text field.
  const onKey = (ev: KeyboardEvent) => {
    const t = ev.target as HTMLElement | null;
    if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (t && (t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA')) return;
    ev.preventDefault();
    panels[0]?.focus();
  };
  window.addEventListener('themechange', onTheme);
  window.addEventListener('keydown', onKey);
  ctx.signal.addEventListener('abort', () => {
    window.removeEventListener('themechange', onTheme);
    window.removeEventListener('keydown', onKey);
    panels.forEach((p) => p.destroy());
  });
}
