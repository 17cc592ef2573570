// Parses a Prometheus test script (promqltest format) into commands.
import { formatDuration, parseDuration } from '../duration.js';

export interface LoadCmd {
  kind: 'load';
  line: number;
  interval: number;
  withNhcb: boolean;
  series: { line: number; selector: string; values: string; startTimestamps: boolean }[];
}

export interface ClearCmd {
  kind: 'clear';
  line: number;
}

export interface ExpectAnno {
  type: 'fail' | 'warn' | 'info' | 'no_warn' | 'no_info' | 'ordered';
  mode?: 'msg' | 'regex';
  text?: string;
}

export interface EvalCmd {
  kind: 'eval';
  line: number;
  text: string;
  expr: string;
  range: boolean;
  /** Instant: evaluation time; range: start. ms. */
  start: number;
  end: number;
  step: number;
  expects: ExpectAnno[];
  /** `expect range vector from..to..step` on an instant query. */
  rangeVector?: { start: number; end: number; step: number };
  expectString?: string;
  scalar?: string;
  /** Series lines: [selector text, values text]. */
  series: [string, string][];
  /** Raw expectation lines (for the histogram-literal skip rule). */
  rawLines: string[];
}

export type Command = LoadCmd | ClearCmd | EvalCmd;

const INSTANT_RE = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const RANGE_RE = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const EXPECT_RE = /^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$/;
const RANGE_VECTOR_RE = /^expect\s+range\s+vector\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)$/;

export class ScriptError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'ScriptError';
  }
}

function dur(s: string, line: number): number {
  try {
    return parseDuration(s.trim());
  } catch {
    throw new ScriptError(line, `invalid duration "${s}"`);
  }
}

function unquoteGo(s: string, line: number): string {
  if (s.startsWith('`') && s.endsWith('`') && s.length >= 2) return s.slice(1, -1);
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) {
    try {
      return JSON.parse(s) as string;
    } catch {
      throw new ScriptError(line, `invalid string ${s}`);
    }
  }
  throw new ScriptError(line, `invalid string ${s}`);
}

const SCALAR_RE = /^[+-]?(?:0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[iI]nf(?:inity)?|NaN|nan|inf)$/;

export function parseScript(text: string): Command[] {
  const lines = text.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
  const cmds: Command[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    const lineNo = i + 1;
    if (l === '') {
      i++;
      continue;
    }
    const word = l.split(/\s+/)[0]!.toLowerCase();
    if (word === 'clear') {
      cmds.push({ kind: 'clear', line: lineNo });
      i++;
      continue;
    }
    if (word.startsWith('load')) {
      const m = /^(load|load_with_nhcb)\s+(\S+)$/.exec(l);
      if (!m) throw new ScriptError(lineNo, `invalid load command "${l}"`);
      const cmd: LoadCmd = { kind: 'load', line: lineNo, interval: dur(m[2]!, lineNo), withNhcb: m[1] === 'load_with_nhcb', series: [] };
      i++;
      while (i < lines.length && lines[i] !== '') {
        const sl = lines[i]!;
        const st = /^(\S*?\})@st\s/.exec(sl) ?? /^([^\s{]+)@st\s/.exec(sl);
        if (st) {
          cmd.series.push({ line: i + 1, selector: st[1]!, values: sl.slice(st[0].length).trim(), startTimestamps: true });
        } else {
          const [selector, values] = splitSeries(sl);
          cmd.series.push({ line: i + 1, selector, values, startTimestamps: false });
        }
        i++;
      }
      cmds.push(cmd);
      continue;
    }
    if (word.startsWith('eval')) {
      cmds.push(parseEval(lines, i));
      i++;
      while (i < lines.length && lines[i] !== '') {
        const done = (cmds[cmds.length - 1] as EvalCmd).scalar !== undefined;
        if (done) break;
        addExpectation(cmds[cmds.length - 1] as EvalCmd, lines[i]!, i + 1);
        i++;
      }
      continue;
    }
    throw new ScriptError(lineNo, `invalid command "${l}"`);
  }
  return cmds;
}

function splitSeries(line: string): [string, string] {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return [line.slice(0, i + 1).trim(), line.slice(i + 1).trim()];
    } else if ((c === ' ' || c === '\t') && depth === 0) return [line.slice(0, i).trim(), line.slice(i).trim()];
  }
  return [line, ''];
}

function parseEval(lines: string[], i: number): EvalCmd {
  const l = lines[i]!;
  const lineNo = i + 1;
  const base = { kind: 'eval' as const, line: lineNo, text: l, expects: [] as ExpectAnno[], series: [] as [string, string][], rawLines: [] as string[] };
  let m = INSTANT_RE.exec(l);
  if (m && !/^eval(?:_\w+)?\s+range\s/.test(l)) {
    if (m[2] === undefined) throw new ScriptError(lineNo, 'missing evaluation time');
    const t = dur(m[2], lineNo);
    const cmd: EvalCmd = { ...base, expr: m[3]!, range: false, start: t, end: t, step: 0 };
    addLegacyModifier(cmd, m[1]);
    return cmd;
  }
  m = RANGE_RE.exec(l);
  if (m) {
    const start = dur(m[2]!, lineNo);
    const end = dur(m[3]!, lineNo);
    if (end < start) throw new ScriptError(lineNo, 'invalid test definition, end timestamp is before start timestamp');
    const cmd: EvalCmd = { ...base, expr: m[5]!, range: true, start, end, step: dur(m[4]!, lineNo) };
    addLegacyModifier(cmd, m[1]);
    return cmd;
  }
  throw new ScriptError(lineNo, `invalid eval command "${l}"`);
}

function addLegacyModifier(cmd: EvalCmd, mod: string | undefined): void {
  if (mod === 'fail') cmd.expects.push({ type: 'fail' });
  else if (mod === 'warn') cmd.expects.push({ type: 'warn' });
  else if (mod === 'info') cmd.expects.push({ type: 'info' });
  else if (mod === 'ordered') cmd.expects.push({ type: 'ordered' });
}

function addExpectation(cmd: EvalCmd, l: string, lineNo: number): void {
  cmd.rawLines.push(l);
  if (l.startsWith('expected_fail_message ')) {
    const f = cmd.expects.find((e) => e.type === 'fail');
    if (f) Object.assign(f, { mode: 'msg', text: l.slice('expected_fail_message '.length).trim() });
    return;
  }
  if (l.startsWith('expected_fail_regexp ')) {
    const f = cmd.expects.find((e) => e.type === 'fail');
    if (f) Object.assign(f, { mode: 'regex', text: l.slice('expected_fail_regexp '.length).trim() });
    return;
  }
  if (l.split(/\s+/)[0] === 'expect') {
    const rv = RANGE_VECTOR_RE.exec(l);
    if (rv) {
      if (cmd.range) throw new ScriptError(lineNo, 'expect range vector can only be used with instant queries');
      cmd.rangeVector = { start: dur(rv[1]!, lineNo), end: dur(rv[2]!, lineNo), step: dur(rv[3]!, lineNo) };
      cmd.start = cmd.end = cmd.rangeVector.end;
      return;
    }
    const sm = /^expect\s+string\s+(.+)$/.exec(l);
    if (sm) {
      cmd.expectString = unquoteGo(sm[1]!.trim(), lineNo);
      return;
    }
    const em = EXPECT_RE.exec(l);
    if (!em) throw new ScriptError(lineNo, `invalid expect line "${l}"`);
    const e: ExpectAnno = { type: em[1] as ExpectAnno['type'] };
    if (em[2]) {
      e.mode = em[2] as 'msg' | 'regex';
      e.text = em[3]!.trim();
    }
    cmd.expects.push(e);
    return;
  }
  if (SCALAR_RE.test(l)) {
    cmd.scalar = l;
    return;
  }
  cmd.series.push(splitSeries(l));
}

export { formatDuration };
