// /federate: the latest sample of every series matching match[] within the lookback delta, in
// the text format with timestamps and the external labels added, for another Prometheus to scrape.
import { CONTENT_TYPE_TEXT_004, serializeText } from '@promethium/exposition';
import type { MetricFamily } from '@promethium/exposition';
import { isStaleNaN } from '@promethium/tsdb-core';
import type { Labels } from '@promethium/tsdb-core';
import type { Context } from 'hono';
import type { ApiContext } from '../api/context.js';
import { ApiError } from '../api/envelope.js';
import { parseSelectors } from '../api/selectors.js';

interface Point {
  labels: Labels;
  t: number;
  v: number;
}

export function federate(c: Context, ctx: ApiContext): Response {
  const db = ctx.db();
  if (!db) return c.text('Service Unavailable', 503);
  let sets;
  try {
    sets = parseSelectors(new URL(c.req.url).searchParams.getAll('match[]'), false);
  } catch (e) {
    if (e instanceof ApiError) return c.text(`${e.message}\n`, 400);
    throw e;
  }
  const now = Date.now();
  const mint = now - ctx.flags.lookbackDelta;
  const external = ctx.config().config.global.external_labels;
  const points = new Map<string, Point>();
  const q = db.querier(mint, now);
  try {
    for (const matchers of sets) {
      // No func: 'series' hint: that asks storage for labels only, and federation needs samples.
      for (const s of q.select(matchers, { start: mint, end: now })) {
        const key = s.labels.key();
        if (points.has(key)) continue;
        const it = s.iterator();
        let t = NaN;
        let v = NaN;
        if (!it.seek(mint + 1)) continue;
        do {
          if (it.at() > now) break;
          t = it.at();
          v = it.value();
        } while (it.next());
        if (Number.isNaN(t) || isStaleNaN(v)) continue;
        points.set(key, { labels: s.labels, t, v });
      }
    }
  } finally {
    q.close();
  }
  const families = new Map<string, MetricFamily>();
  for (const p of [...points.values()].sort((a, b) => (a.labels.key() < b.labels.key() ? -1 : 1))) {
    const name = p.labels.get('__name__');
    let fam = families.get(name);
    if (!fam) {
      fam = { name, type: 'unknown', samples: [] };
      families.set(name, fam);
    }
    const labels: Record<string, string> = {};
    p.labels.forEach((n, v) => {
      if (n !== '__name__') labels[n] = v;
    });
    for (const [n, v] of Object.entries(external)) if (!(n in labels)) labels[n] = v;
    fam.samples.push({ name, labels, value: p.v, timestampMs: p.t });
  }
  const body = serializeText([...families.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
  return c.body(body, 200, { 'Content-Type': CONTENT_TYPE_TEXT_004 });
}
