// Executes a parsed Go template against data, with Go's truthiness, variable scoping and
// pipeline rules. Errors carry the template position like Go's "executing ... at <...>".
import { formatValue } from './go-format.js';
import { lineCol, TemplateError } from './lexer.js';
import type { Arg, Command, Node, ParsedTemplate, Pipeline } from './parser.js';

export type TemplateFunc = (...args: unknown[]) => unknown;

// Control-flow signals for {{break}} and {{continue}}; Errors so the lint's throw rules hold.
class Break extends Error {}
class Continue extends Error {}

export class StrictMap {
  // Marks a data object whose missing fields are an error (Go structs), unlike label maps.
  constructor(readonly fields: Record<string, unknown>) {}
}

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  return true;
}

export function execute(t: ParsedTemplate, data: unknown, funcs: Record<string, TemplateFunc>, maxOutput = 1 << 20): string {
  let out = '';
  const fail = (pos: number, msg: string): never => {
    const [l, c] = lineCol(t.src, pos);
    throw new TemplateError(t.name, l, c, `executing "${t.name}" ${msg}`);
  };
  const emit = (s: string): void => {
    out += s;
    if (out.length > maxOutput) fail(0, `output exceeds ${maxOutput} bytes`);
  };

  type Scope = { vars: Map<string, unknown>[]; dot: unknown };

  function lookupVar(scope: Scope, name: string, pos: number): unknown {
    for (let i = scope.vars.length - 1; i >= 0; i--) if (scope.vars[i]!.has(name)) return scope.vars[i]!.get(name);
    return fail(pos, `undefined variable: ${name}`);
  }

  function field(v: unknown, name: string, pos: number): unknown {
    if (v instanceof StrictMap) {
      if (!(name in v.fields)) fail(pos, `at <.${name}>: can't evaluate field ${name}`);
      return v.fields[name];
    }
    if (v instanceof Map) return v.has(name) ? v.get(name) : '';
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return Object.prototype.hasOwnProperty.call(o, name) ? o[name] : '';
    }
    return fail(pos, `at <.${name}>: can't evaluate field ${name} in type ${v === null || v === undefined ? 'nil' : typeof v}`);
  }

  function evalArg(scope: Scope, a: Arg, final: unknown, hasFinal: boolean): unknown {
    switch (a.kind) {
      case 'literal':
        return a.value;
      case 'ident': {
        const f = funcs[a.name];
        if (!f) return fail(a.pos, `function "${a.name}" not defined`);
        return call(a.name, f, [], final, hasFinal, a.pos);
      }
      case 'field': {
        let v = a.base === 'dot' ? scope.dot : a.base === 'var' ? lookupVar(scope, a.varName!, a.pos) : evalPipe(scope, a.expr!);
        for (const p of a.path) v = field(v, p, a.pos);
        return v;
      }
    }
  }

  function call(name: string, f: TemplateFunc, args: unknown[], final: unknown, hasFinal: boolean, pos: number): unknown {
    if (hasFinal) args.push(final);
    try {
      return f(...args);
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      return fail(pos, `at <${name}>: error calling ${name}: ${(e as Error).message}`);
    }
  }

  function evalCommand(scope: Scope, cmd: Command, final: unknown, hasFinal: boolean): unknown {
    const [first, ...rest] = cmd.args;
    if (first!.kind === 'ident') {
      const f = funcs[first!.name];
      if (!f) return fail(first!.pos, `function "${first!.name}" not defined`);
      // and/or short-circuit like Go's.
      if (first!.name === 'and' || first!.name === 'or') {
        const n = rest.length + (hasFinal ? 1 : 0);
        if (n === 0) return fail(first!.pos, `wrong number of args for ${first!.name}: want at least 1 got 0`);
        let last: unknown;
        for (let k = 0; k < n; k++) {
          last = k < rest.length ? evalArg(scope, rest[k]!, undefined, false) : final;
          if (first!.name === 'and' ? !truthy(last) : truthy(last)) return last;
        }
        return last;
      }
      return call(first!.name, f, rest.map((a) => evalArg(scope, a, undefined, false)), final, hasFinal, first!.pos);
    }
    if (rest.length > 0 || hasFinal) {
      return fail(first!.pos, `can't give argument to non-function ${describe(first!)}`);
    }
    return evalArg(scope, first!, undefined, false);
  }

  function evalPipe(scope: Scope, p: Pipeline): unknown {
    let v: unknown;
    p.cmds.forEach((c, k) => {
      v = evalCommand(scope, c, v, k > 0);
    });
    if (p.decl.length === 1) setVar(scope, p.decl[0]!, v, p.assign, p.pos);
    return v;
  }

  function setVar(scope: Scope, name: string, v: unknown, assign: boolean, pos: number): void {
    if (assign) {
      for (let k = scope.vars.length - 1; k >= 0; k--) {
        if (scope.vars[k]!.has(name)) {
          scope.vars[k]!.set(name, v);
          return;
        }
      }
      fail(pos, `undefined variable: ${name}`);
    }
    scope.vars[scope.vars.length - 1]!.set(name, v);
  }

  function run(scope: Scope, nodes: Node[]): void {
    for (const n of nodes) {
      switch (n.kind) {
        case 'text':
          emit(n.text);
          break;
        case 'action': {
          const v = evalPipe(scope, n.pipe);
          if (n.pipe.decl.length === 0) emit(formatValue(v));
          break;
        }
        case 'if':
        case 'with': {
          const inner: Scope = { vars: [...scope.vars, new Map<string, unknown>()], dot: scope.dot };
          const v = evalPipe(inner, n.pipe);
          if (truthy(v)) run(n.kind === 'with' ? { ...inner, dot: v } : inner, n.body);
          else run({ vars: [...scope.vars, new Map<string, unknown>()], dot: scope.dot }, n.elseBody);
          break;
        }
        case 'range': {
          const inner: Scope = { vars: [...scope.vars, new Map<string, unknown>()], dot: scope.dot };
          const pipe = { ...n.pipe, decl: [] };
          const v = evalPipe(inner, pipe);
          const items: [unknown, unknown][] = Array.isArray(v)
            ? v.map((x, k) => [k, x])
            : v instanceof Map
              ? [...v.entries()].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1))
              : v !== null && typeof v === 'object' && !(v instanceof StrictMap)
                ? Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])
                : typeof v === 'number' && Number.isInteger(v)
                  ? Array.from({ length: Math.max(0, v) }, (_, k) => [k, k])
                  : v === null || v === undefined || v === ''
                    ? []
                    : fail(n.pipe.pos, `range can't iterate over ${formatValue(v)}`);
          if (items.length === 0) {
            run({ vars: [...scope.vars, new Map<string, unknown>()], dot: scope.dot }, n.elseBody);
            break;
          }
          for (const [key, item] of items) {
            const iter: Scope = { vars: [...scope.vars, new Map<string, unknown>()], dot: item };
            if (n.pipe.decl.length === 1) iter.vars[iter.vars.length - 1]!.set(n.pipe.decl[0]!, item);
            if (n.pipe.decl.length === 2) {
              iter.vars[iter.vars.length - 1]!.set(n.pipe.decl[0]!, key);
              iter.vars[iter.vars.length - 1]!.set(n.pipe.decl[1]!, item);
            }
            try {
              run(iter, n.body);
            } catch (e) {
              if (e instanceof Break) break;
              if (e instanceof Continue) continue;
              throw e;
            }
          }
          break;
        }
        case 'break':
          throw new Break();
        case 'continue':
          throw new Continue();
        case 'template': {
          const body = t.defines.get(n.name) ?? fail(n.pos, `template "${n.name}" not defined`);
          const dot = n.pipe ? evalPipe(scope, n.pipe) : null;
          run({ vars: [new Map<string, unknown>([['$', dot]])], dot }, body);
          break;
        }
      }
    }
  }

  run({ vars: [new Map<string, unknown>([['$', data]])], dot: data }, t.root);
  return out;
}

function describe(a: Arg): string {
  if (a.kind === 'literal') return formatValue(a.value);
  if (a.kind === 'field') return `${a.base === 'var' ? a.varName : ''}.${a.path.join('.')}`;
  return a.name;
}
