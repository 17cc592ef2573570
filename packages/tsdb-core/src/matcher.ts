// Label matchers with Prometheus' semantics: regexes are fully anchored, and (as in
// Prometheus 3) `.` matches newlines. A matcher on a missing label sees the empty string.
export type MatchType = '=' | '!=' | '=~' | '!~';

export class Matcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
  private readonly re: RegExp | undefined;

  constructor(type: MatchType, name: string, value: string) {
    this.type = type;
    this.name = name;
    this.value = value;
    if (type === '=~' || type === '!~') {
      try {
        this.re = new RegExp(`^(?:${value})$`, 's');
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
        return this.re!.test(v);
      case '!~':
        return !this.re!.test(v);
    }
  }

  /** True when the matcher accepts the empty string (so it also matches series without the label). */
  matchesEmpty(): boolean {
    return this.matches('');
  }

  toString(): string {
    return `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}
