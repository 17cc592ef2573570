// Works around a contract mismatch on main between @promethium/promql and @promethium/tsdb-core:
// promql's PromMatcher (RE2 regexes) hands the base Matcher an empty pattern and overrides only
// matches(), so the base's literalValues() fast path reports [""] and the head's postings
// lookup finds nothing for `=~` selectors. Until the packages agree, queries go through this
// adapter, which re-creates regex matchers as plain tsdb-core Matchers when the pattern is valid
// JavaScript too (nearly always); RE2-only patterns are passed through unchanged.
import { Matcher } from '@promethium/tsdb-core';
import type { Querier, Queryable, SelectHints, Series } from '@promethium/tsdb-core';

function normalize(m: Matcher): Matcher {
  if ((m.type !== '=~' && m.type !== '!~') || Object.getPrototypeOf(m) === Matcher.prototype) return m;
  try {
    const plain = new Matcher(m.type, m.name, m.value);
    // Only swap when both agree on a probe set, so RE2/JS syntax differences cannot change answers.
    for (const probe of ['', m.value, 'a', '0', '_']) if (plain.matches(probe) !== m.matches(probe)) return m;
    return plain;
  } catch {
    return m;
  }
}

/** The matchers with regex ones re-created as plain tsdb-core Matchers where equivalent. */
export function plainMatchers(ms: readonly Matcher[]): Matcher[] {
  return ms.map(normalize);
}

function normalizeAll(ms: readonly Matcher[] | undefined): Matcher[] | undefined {
  return ms?.map(normalize);
}

export function withPlainMatchers(q: Queryable): Queryable {
  return {
    querier(mint: number, maxt: number): Querier {
      const inner = q.querier(mint, maxt);
      return {
        select: (ms: readonly Matcher[], hints?: SelectHints): Iterable<Series> => inner.select(normalizeAll(ms)!, hints),
        labelNames: (ms?: readonly Matcher[]) => inner.labelNames(normalizeAll(ms)),
        labelValues: (name: string, ms?: readonly Matcher[]) => inner.labelValues(name, normalizeAll(ms)),
        close: () => inner.close(),
      };
    },
  };
}
