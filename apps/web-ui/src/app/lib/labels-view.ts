// Label sets as badges, the way every page shows them.
import { h } from './dom.js';

export function labelBadges(labels: Record<string, string>, className = 'badges'): HTMLElement {
  const entries = Object.entries(labels).sort((a, b) => a[0].localeCompare(b[0]));
  return h(
    'div',
    { class: className },
    entries.map(([k, v]) => h('span', { class: 'badge label-badge', title: `${k}="${v}"` }, h('span', { class: 'badge-key' }, k), '=', v)),
  );
}

export function healthBadge(health: string): HTMLElement {
  const kind = health === 'up' || health === 'ok' ? 'ok' : health === 'down' || health === 'err' ? 'bad' : 'unknown';
  return h('span', { class: `badge health health-${kind}` }, health.toUpperCase());
}
