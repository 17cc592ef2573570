// A real TSDB in a temp directory for tests, with a helper that reads series back through the
// Querier contract (staleness markers reported by index, since V8 quiets NaN payloads in arrays).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matcher, isStaleNaN, openDB, nopLogger } from '@promethium/tsdb-core';
import type { Appendable, Appender, DB, Labels } from '@promethium/tsdb-core';

export interface ReadSeries {
  labels: Labels;
  samples: [number, number][];
  stale: Set<number>;
}

export class TempDB implements Appendable {
  private constructor(
    readonly db: DB,
    readonly dir: string,
  ) {}

  static async open(): Promise<TempDB> {
    const dir = mkdtempSync(join(tmpdir(), 'pm-server-db-'));
    return new TempDB(await openDB(dir, { logger: nopLogger, compactionInterval: 0 }), dir);
  }

  appender(): Appender {
    return this.db.appender();
  }

  /** Series named `name` whose labels include `match`. */
  find(name: string, match: Record<string, string> = {}): ReadSeries[] {
    const matchers = [new Matcher('=', '__name__', name), ...Object.entries(match).map(([k, v]) => new Matcher('=', k, v))];
    const q = this.db.querier(-8.64e15, 8.64e15);
    const out: ReadSeries[] = [];
    try {
      for (const s of q.select(matchers)) {
        const samples: [number, number][] = [];
        const stale = new Set<number>();
        const it = s.iterator();
        while (it.next()) {
          if (isStaleNaN(it.value())) stale.add(samples.length);
          samples.push([it.at(), it.value()]);
        }
        out.push({ labels: s.labels, samples, stale });
      }
    } finally {
      q.close();
    }
    return out;
  }

  async close(): Promise<void> {
    await this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
