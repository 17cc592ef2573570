// Label matchers with Prometheus' semantics: regexes are fully anchored, and (as in
// Prometheus 3) `.` matches newlines. A matcher on a missing label sees the empty string.
export type MatchType = '=' | '!=' | '=~' | '!~';

// No regex metacharacters: the alternatives are matched as plain strings.
const LITERAL_ALTERNATION = /^[^\\.^$|?*+()[\]{}]*(\|[^\\.^$|?*+()[\]{}]*)*$/;
const LITERAL_PREFIX = /^[^\\.^$|?*+()[\]{}]+\.\*$/;

export class Matcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
  private readonly re: RegExp | undefined;
  /** Fast paths: `a|b|c` becomes a set, `prefix.*` a startsWith, `.*` always true. */
  private readonly literals: Set<string> | undefined;
  private readonly prefix: string | undefined;
  private readonly all: boolean;

  /**
   * `compiled` lets a caller with its own regex dialect (PromQL's RE2 syntax) supply the anchored
   * regex; the fast paths are still derived from `value`, which must be the original pattern.
   */
  constructor(type: MatchType, name: string, value: string, compiled?: RegExp) {
    this.type = type;
    this.name = name;
    this.value = value;
    this.literals = undefined;
    this.prefix = undefined;
    this.all = false;
    if (type === '=~' || type === '!~') {
      if (value === '.*') this.all = true;
      else if (LITERAL_ALTERNATION.test(value)) this.literals = new Set(value.split('|'));
      else if (LITERAL_PREFIX.test(value)) this.prefix = value.slice(0, -2);
      try {
        this.re = compiled ?? new RegExp(`^(?:${value})$`, 's');
      } catch (e) {
        throw new Error(`invalid regular expression in matcher ${name}${type}"${value}": ${(e as Error).message}`, {
          cause: e,
        });
      }
    }
  }

  matches(v: string): boolean {
    switch (this.type) {
      case '=':
        return v === this.value;
      case '!=':
        return v !== this.value;
      case '=~':
        return this.regexMatch(v);
      case '!~':
        return !this.regexMatch(v);
    }
  }

  private regexMatch(v: string): boolean {
    if (this.all) return true;
    if (this.literals) return this.literals.has(v);
    if (this.prefix !== undefined) return v.startsWith(this.prefix);
    return this.re!.test(v);
  }

  /** True for `=~".*"`, which every value (and a missing label) satisfies. */
  matchesEverything(): boolean {
    return this.type === '=~' && this.all;
  }

  /** For a regex that is a plain alternation of literals (`a|b|c`), the literals. */
  literalValues(): string[] | undefined {
    return this.literals ? [...this.literals] : undefined;
  }

  /** True when the matcher accepts the empty string (so it also matches series without the label). */
  matchesEmpty(): boolean {
    return this.matches('');
  }

  toString(): string {
    return `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}
