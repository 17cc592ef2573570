// RE2 (Go regexp) syntax that JavaScript's RegExp lacks: inline flag groups `(?i)` / `(?i:...)`,
// `(?P<name>...)`, `\A` and `\z`. Translated to an equivalent JS pattern, so matchers behave as in
// Prometheus. Case folding is expanded into character classes ([aA]).
import { Matcher, type MatchType } from '@promethium/tsdb-core';

function caseVariants(c: string): string {
  const lo = c.toLowerCase();
  const up = c.toUpperCase();
  return lo !== up && lo.length === 1 && up.length === 1 ? `${lo}${up}` : c;
}

/** Translates RE2 syntax to a JS RegExp source (to be used with the `s` flag). */
export function re2ToJs(src: string): string {
  let out = '';
  // One entry per open group: whether case-insensitivity was on when it opened.
  const stack: boolean[] = [];
  let ci = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      if (n === 'A') out += '^';
      else if (n === 'z') out += '$';
      else if (n === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = src.slice(i + 2, end < 0 ? src.length : end);
        out += [...lit].map((ch) => (ci && caseVariants(ch) !== ch ? `[${caseVariants(ch)}]` : ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'))).join('');
        i = end < 0 ? src.length : end + 1;
        continue;
      } else out += c + n;
      i++;
      continue;
    }
    if (c === '[') {
      // Copy the class, adding other-case letters when case-insensitive.
      let j = i + 1;
      let cls = '[';
      if (src[j] === '^') {
        cls += '^';
        j++;
      }
      if (src[j] === ']') {
        cls += '\\]';
        j++;
      }
      let extra = '';
      while (j < src.length && src[j] !== ']') {
        const d = src[j]!;
        if (d === '\\') {
          cls += d + (src[j + 1] ?? '');
          j += 2;
          continue;
        }
        if (d === '[' && src[j + 1] === ':') {
          const end = src.indexOf(':]', j + 2);
          const name = src.slice(j + 2, end);
          const posix: Record<string, string> = {
            alpha: 'a-zA-Z',
            digit: '0-9',
            alnum: 'a-zA-Z0-9',
            upper: 'A-Z',
            lower: 'a-z',
            space: '\\s',
            word: '\\w',
            xdigit: '0-9a-fA-F',
            punct: '!-\\/:-@\\[-`{-~',
          };
          cls += posix[name] ?? '';
          j = end + 2;
          continue;
        }
        if (src[j + 1] === '-' && src[j + 2] !== undefined && src[j + 2] !== ']') {
          const a = d;
          const b = src[j + 2]!;
          cls += `${a}-${b}`;
          if (ci && /[a-z]/i.test(a) && /[a-z]/i.test(b)) {
            extra += `${a.toLowerCase() === a ? a.toUpperCase() : a.toLowerCase()}-${b.toLowerCase() === b ? b.toUpperCase() : b.toLowerCase()}`;
          }
          j += 3;
          continue;
        }
        cls += ci ? caseVariants(d) : d;
        j++;
      }
      out += `${cls}${extra}]`;
      i = j;
      continue;
    }
    if (c === '(') {
      if (src[i + 1] === '?') {
        const flagGroup = /^\(\?([imsU-]*)(\)|:)/.exec(src.slice(i));
        if (flagGroup && flagGroup[1] !== '') {
          const flags = flagGroup[1]!;
          const neg = flags.indexOf('-');
          const on = neg < 0 ? flags : flags.slice(0, neg);
          const off = neg < 0 ? '' : flags.slice(neg + 1);
          const newCi: boolean = on.includes('i') ? true : off.includes('i') ? false : ci;
          if (flagGroup[2] === ')') {
            ci = newCi;
          } else {
            stack.push(ci);
            ci = newCi;
            out += '(?:';
          }
          i += flagGroup[0].length - 1;
          continue;
        }
        if (src.startsWith('(?P<', i)) {
          stack.push(ci);
          out += '(?<';
          i += 3;
          continue;
        }
      }
      stack.push(ci);
      out += c;
      continue;
    }
    if (c === ')') {
      ci = stack.pop() ?? false;
      out += c;
      continue;
    }
    out += ci && caseVariants(c) !== c ? `[${caseVariants(c)}]` : c;
  }
  return out;
}

/** Compiles an RE2 pattern fully anchored, with `.` matching newlines (Prometheus 3). */
export function compileAnchored(re: string): RegExp {
  return new RegExp(`^(?:${re2ToJs(re)})$`, 's');
}

/**
 * A Matcher whose regex accepts RE2 syntax: the pattern is translated and compiled here and
 * handed to the storage Matcher, which keeps the original in `value` and derives its fast
 * paths (literal alternations, prefixes) from it.
 */
export class PromMatcher extends Matcher {
  constructor(type: MatchType, name: string, value: string) {
    super(type, name, value, type === '=~' || type === '!~' ? compileRE2(value) : undefined);
  }
}

function compileRE2(value: string): RegExp {
  try {
    return compileAnchored(value);
  } catch (e) {
    throw new Error(`error parsing regexp: ${(e as Error).message}`, { cause: e });
  }
}
