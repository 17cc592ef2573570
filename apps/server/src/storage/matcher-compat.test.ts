import { parseExpr } from '@promethium/promql';
import type { VectorSelector } from '@promethium/promql';
import { Labels } from '@promethium/tsdb-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempDB } from '../testing/temp-db.js';
import { withPlainMatchers } from './matcher-compat.js';

describe('withPlainMatchers', () => {
  let db: TempDB;
  beforeAll(async () => {
    db = await TempDB.open();
    const app = db.appender();
    app.append(0, Labels.from({ __name__: 'app_temp', job: 'a' }), 1000, 1);
    app.append(0, Labels.from({ __name__: 'app_up', job: 'b' }), 1000, 1);
    app.append(0, Labels.from({ __name__: 'other', job: 'c' }), 1000, 1);
    await app.commit();
  });
  afterAll(() => db.close());

  it('finds series for PromQL regex selectors', () => {
    const sel = (s: string) => (parseExpr(s) as VectorSelector).matchers;
    const q = withPlainMatchers(db.db).querier(0, 2000);
    const names = (s: string) => [...q.select(sel(s))].map((x) => x.labels.get('__name__')).sort();
    expect(names('{__name__=~"app_.*"}')).toEqual(['app_temp', 'app_up']);
    expect(names('{job=~"a|c"}')).toEqual(['app_temp', 'other']);
    expect(names('{__name__=~".+", job!~"a|c"}')).toEqual(['app_up']);
    expect(q.labelValues('job', sel('{__name__=~"app_.*"}'))).toEqual(['a', 'b']);
    q.close();
  });
});
