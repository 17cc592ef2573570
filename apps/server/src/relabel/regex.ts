// Go RE2 syntax (what prometheus.yml regexes are written in) to JavaScript RegExp. Relabel
// regexes are fully anchored and, as in Prometheus 3, `.` matches newlines.

export class RegexSyntaxError extends Error {}

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Translates RE2 source to a JS pattern and flags; throws RegexSyntaxError for what RE2 rejects. */
export function translateGoRegex(src: string): { source: string; flags: string } {
  let flags = 's';
  let s = src;
  const lead = /^\(\?([imsU]+)\)/.exec(s);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'U') throw new RegexSyntaxError('the (?U) flag is not supported');
      if (!flags.includes(f)) flags += f;
    }
    s = s.slice(lead[0].length);
  }
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const n = s[i + 1];
      if (n === undefined) throw new RegexSyntaxError('trailing backslash at end of expression');
      if (n === 'Q') {
        const end = s.indexOf('\\E', i + 2);
        const lit = s.slice(i + 2, end < 0 ? s.length : end);
        out += lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        i = end < 0 ? s.length : end + 1;
        continue;
      }
      if (n === 'z') {
        out += '$(?![\\s\\S])';
        i++;
        continue;
      }
      if (n === 'p' || n === 'P') throw new RegexSyntaxError('Unicode classes (\\p) are not supported');
      if (/[1-9]/.test(n)) throw new RegexSyntaxError(`invalid escape sequence: \\${n} (backreferences are not supported)`);
      out += c + n;
      i++;
      continue;
    }
    if (c === '[' && s[i + 1] === '[' && s[i + 2] === ':') {
      // [[:alpha:]] and friends, possibly mixed with other class members.
      let j = i + 1;
      let body = '';
      while (j < s.length && s[j] !== ']') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(s.slice(j));
        if (m) {
          const cls = POSIX[m[2]!];
          if (!cls || m[1]) throw new RegexSyntaxError(`invalid character class range: [:${m[1]}${m[2]}:]`);
          body += cls;
          j += m[0].length;
        } else {
          body += s[j];
          j++;
        }
      }
      out += `[${body}]`;
      i = j;
      continue;
    }
    if (c === '(' && s[i + 1] === '?') {
      const rest = s.slice(i + 2);
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
      if (rest.startsWith(':') || (rest.startsWith('<') && !/^<[=!]/.test(rest))) {
        out += c;
        continue;
      }
      throw new RegexSyntaxError(`invalid or unsupported Perl syntax: (?${rest.slice(0, 2)}`);
    }
    out += c;
  }
  return { source: out, flags };
}

/** Compiles an anchored relabel regex. */
export function compileAnchored(src: string): RegExp {
  const { source, flags } = translateGoRegex(src);
  try {
    return new RegExp(`^(?:${source})$`, flags);
  } catch (e) {
    throw new RegexSyntaxError((e as Error).message.replace(/^Invalid regular expression: /, ''));
  }
}

/**
 * Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`. Like Go, `$1x` names the group
 * "1x" (which does not exist, so it expands to ""): write `${1}x`.
 */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  if (!template.includes('$')) return template;
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    let end = i;
    if (next === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close >= 0 && /^\w+$/.test(inner)) {
        name = inner;
        end = close;
      }
    } else {
      const m = /^\w+/.exec(template.slice(i + 1));
      if (m) {
        name = m[0];
        end = i + m[0].length;
      }
    }
    if (name === undefined) {
      out += '$';
      continue;
    }
    i = end;
    if (/^\d+$/.test(name)) out += match[Number(name)] ?? '';
    else out += match.groups?.[name] ?? '';
  }
  return out;
}
