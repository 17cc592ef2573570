// The web page at / (under the route prefix): every group with its labels, last push and
// failure times and metrics; a delete button per group when the admin API is on. Plain
// server-rendered HTML with inline CSS/JS, no external assets, light and dark schemes.
import { formatValue } from '@promethium/exposition';
import { goType } from './go-metrics.js';
import type { Group } from './group.js';
import type { MetricStore } from './store.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function time(seconds: number): string {
  return seconds === 0 ? 'never' : new Date(seconds * 1000).toISOString();
}

/** The push URL of a group, with every value base64-encoded so any value round-trips. */
export function groupPath(g: Group): string {
  const b64 = (v: string): string => (v === '' ? '=' : Buffer.from(v).toString('base64url'));
  let p = `/metrics/job@base64/${b64(g.labels.job ?? '')}`;
  for (const [n, v] of Object.entries(g.labels)) if (n !== 'job') p += `/${n}@base64/${b64(v)}`;
  return p;
}

function labelChips(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([n, v]) => `<span class="chip">${escapeHtml(n)}="${escapeHtml(v)}"</span>`)
    .join(' ');
}

function groupSection(g: Group, prefix: string, admin: boolean): string {
  const ok = g.pushFailureTimeSeconds <= g.pushTimeSeconds;
  const rows: string[] = [];
  for (const f of [...g.families.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    for (const s of f.samples) {
      rows.push(
        `<tr><td>${escapeHtml(s.name)}</td><td>${goType(f.type)}</td><td>${labelChips(s.labels)}</td><td class="num">${escapeHtml(formatValue(s.value))}</td></tr>`,
      );
    }
  }
  const del = admin
    ? `<button class="del" data-path="${escapeHtml(prefix + groupPath(g))}">Delete group</button>`
    : '';
  return `<section class="group${ok ? '' : ' failed'}">
<header><div>${labelChips(g.labels)}</div>${del}</header>
<p class="times">last push: ${time(g.pushTimeSeconds)} · last failure: ${time(g.pushFailureTimeSeconds)}${ok ? '' : ' · <strong>last push failed</strong>'}</p>
<details><summary>${g.families.size} metric families</summary>
<table><thead><tr><th>sample</th><th>type</th><th>labels</th><th>value</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>
</section>`;
}

const CSS = `:root{color-scheme:light dark;--bg:#fff;--fg:#1d1d1f;--muted:#666;--card:#f5f5f7;--chip:#e4e7eb;--bad:#b00020;--accent:#e6522c}
@media (prefers-color-scheme:dark){:root{--bg:#15161a;--fg:#e8e8ea;--muted:#9a9aa0;--card:#202228;--chip:#30333b;--bad:#ff6b81}}
body{font:14px/1.45 system-ui,sans-serif;background:var(--bg);color:var(--fg);margin:0 auto;max-width:1100px;padding:1rem}
h1{font-size:1.3rem}h1 span{color:var(--accent)}.group{background:var(--card);border-radius:8px;padding:.6rem .9rem;margin:.8rem 0}
.group.failed{border-left:4px solid var(--bad)}header{display:flex;justify-content:space-between;gap:1rem;align-items:center}
.chip{background:var(--chip);border-radius:4px;padding:0 .35rem;font-family:ui-monospace,monospace;font-size:12px;white-space:nowrap}
.times{color:var(--muted);margin:.3rem 0}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.15rem .4rem;vertical-align:top}
.num{text-align:right;font-family:ui-monospace,monospace}.del{background:var(--bad);color:#fff;border:0;border-radius:4px;padding:.25rem .6rem;cursor:pointer}`;

const JS = `document.addEventListener('click',async e=>{const b=e.target.closest('.del');if(!b)return;
if(!confirm('Delete this group?'))return;const r=await fetch(b.dataset.path,{method:'DELETE'});
if(r.status===202){b.closest('section').remove()}else{alert('Delete failed: HTTP '+r.status)}});`;

/** Groups rendered in full; a page for 10k groups x 20 series would be ~100 MB of HTML. */
export const PAGE_GROUP_LIMIT = 500;

export function renderPage(store: MetricStore, options: { prefix: string; admin: boolean; version: string }): string {
  const groups = store.groups();
  const shown = groups.slice(0, PAGE_GROUP_LIMIT);
  let body = groups.length === 0 ? '<p>No groups pushed yet.</p>' : shown.map((g) => groupSection(g, options.prefix, options.admin)).join('\n');
  if (groups.length > shown.length) {
    body += `\n<p class="times">${groups.length - shown.length} more groups not shown here; all are in <a href="${escapeHtml(options.prefix)}/api/v1/metrics">api/v1/metrics</a>.</p>`;
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Promethium Pushgateway</title><style>${CSS}</style></head>
<body><h1><span>Promethium</span> Pushgateway</h1>
<p class="times">${groups.length} group${groups.length === 1 ? '' : 's'} · version ${escapeHtml(options.version)} · <a href="${escapeHtml(options.prefix)}/metrics">metrics</a> · <a href="${escapeHtml(options.prefix)}/api/v1/metrics">api/v1/metrics</a></p>
${body}
${options.admin ? `<script>${JS}</script>` : ''}
</body></html>`;
}
