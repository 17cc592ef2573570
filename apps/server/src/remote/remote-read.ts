// remote_read feeding the PromQL engine. The engine reads storage synchronously, so before a
// query runs its selectors are fetched from every remote_read endpoint that applies
// (required_matchers, read_recent, filter_external_labels as in Prometheus) and merged with
// local data; a failing endpoint becomes a query warning, as Prometheus treats remote storage
// as a secondary source.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryStorage, parseExpr, walk } from '@promethium/promql';
import type { Expr } from '@promethium/promql';
import { Labels, MergeQuerier, isUlid, readMeta } from '@promethium/tsdb-core';
import type { DB, Matcher, Queryable } from '@promethium/tsdb-core';
import type { RemoteReadConfig } from '../config/types.js';
import type { PbMatchType } from './prompb.js';
import { ReadClient } from './read-client.js';

const MATCH_TYPES: Record<Matcher['type'], PbMatchType> = { '=': 0, '!=': 1, '=~': 2, '!~': 3 };

interface Selector {
  matchers: Matcher[];
}

/** The time window every selector of expr may read for an evaluation over [start, end]. */
export function selectorWindow(expr: Expr, start: number, end: number, lookback: number): { mint: number; maxt: number; selectors: Selector[] } {
  let mint = start - lookback;
  let maxt = end;
  const selectors: Selector[] = [];
  walk(expr, (e, path) => {
    if (e.type !== 'VectorSelector') return;
    selectors.push({ matchers: e.matchers });
    let back = lookback + Math.max(0, e.offset);
    let fwd = Math.max(0, -e.offset);
    const ats: number[] = e.timestamp !== undefined ? [e.timestamp] : [];
    for (const p of path) {
      if (p.type === 'MatrixSelector') back += p.range;
      if (p.type === 'SubqueryExpr') {
        back += p.range + Math.max(0, p.offset);
        fwd += Math.max(0, -p.offset);
        if (p.timestamp !== undefined) ats.push(p.timestamp);
      }
    }
    mint = Math.min(mint, start - back, ...ats.map((t) => t - back));
    maxt = Math.max(maxt, end + fwd, ...ats.map((t) => t + fwd));
  });
  return { mint, maxt, selectors };
}

export class RemoteRead {
  private readonly clients: ReadClient[];
  private localStartCache: { at: number; value: number } | undefined;

  constructor(
    readonly configs: readonly RemoteReadConfig[],
    private readonly externalLabels: Record<string, string>,
  ) {
    this.clients = configs.map((c) => new ReadClient(c));
  }

  /** The oldest time local storage holds (blocks or head); remote data before it fills in. */
  private async localStart(db: DB): Promise<number> {
    const now = Date.now();
    // Block directories change at most every compaction; the head's bound is read live.
    if (!this.localStartCache || now - this.localStartCache.at > 10_000) {
      let value = Infinity;
      let names: string[] = [];
      try {
        names = readdirSync(db.dir).filter((n) => isUlid(n));
      } catch {
        // No data directory.
      }
      for (const name of names) {
        try {
          value = Math.min(value, (await readMeta(join(db.dir, name))).minTime);
        } catch {
          // A block being written or deleted.
        }
      }
      this.localStartCache = { at: now, value };
    }
    const head = Number.isFinite(db.head.minTime) ? db.head.minTime : Infinity;
    return Math.min(head, this.localStartCache.value);
  }

  /** Fetches what the query needs and returns local + remote storage, plus warnings. */
  async prefetch(db: DB, query: string, start: number, end: number, lookback: number): Promise<{ storage: Queryable; warnings: string[] }> {
    let expr: Expr;
    try {
      expr = parseExpr(query);
    } catch {
      // The engine reports the parse error itself.
      return { storage: db, warnings: [] };
    }
    const { mint, maxt, selectors } = selectorWindow(expr, start, end, lookback);
    const mem = new MemoryStorage();
    const warnings: string[] = [];
    let fetched = 0;
    const localStart = await this.localStart(db);
    const ext = Object.entries(this.externalLabels);
    await Promise.all(
      this.clients.flatMap((client) =>
        selectors.map(async (sel) => {
          const cfg = client.config;
          for (const [name, value] of Object.entries(cfg.required_matchers)) {
            if (!sel.matchers.some((m) => m.type === '=' && m.name === name && m.value === value)) return;
          }
          // Without read_recent, only what local storage cannot answer goes remote.
          if (!cfg.read_recent && mint >= localStart) return;
          const matchers = sel.matchers.map((m) => ({ type: MATCH_TYPES[m.type], name: m.name, value: m.value }));
          const strip = new Set<string>();
          if (cfg.filter_external_labels) {
            for (const [name, value] of ext) {
              if (sel.matchers.some((m) => m.name === name)) continue;
              matchers.push({ type: 0, name, value });
              strip.add(name);
            }
          }
          try {
            const series = await client.read({ startTimestampMs: mint, endTimestampMs: maxt, matchers });
            for (const s of series) {
              const labels = Labels.from(s.labels.filter((l) => !strip.has(l.name)).map((l) => [l.name, l.value] as const));
              for (const p of s.samples) mem.add(labels, p.timestamp, p.value);
              fetched++;
            }
          } catch (e) {
            warnings.push(`remote_read ${cfg.name ?? cfg.url}: ${(e as Error).message}`);
          }
        }),
      ),
    );
    if (fetched === 0) return { storage: db, warnings };
    return {
      storage: { querier: (a: number, b: number) => new MergeQuerier([db.querier(a, b), mem.querier(a, b)]) },
      warnings,
    };
  }

  close(): void {
    for (const c of this.clients) c.close();
  }
}
