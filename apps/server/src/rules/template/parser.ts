// Parser for Go text/template into a small AST (actions, if/else, range, with, define/template,
// variables, pipelines, parenthesised pipelines and field chains).
import { lex, lineCol, TemplateError, type Token } from './lexer.js';

export type Arg =
  | { kind: 'field'; base: 'dot' | 'var' | 'expr'; varName?: string; expr?: Pipeline; path: string[]; pos: number }
  | { kind: 'ident'; name: string; pos: number }
  | { kind: 'literal'; value: unknown; pos: number };

export interface Command {
  args: Arg[];
  pos: number;
}

export interface Pipeline {
  decl: string[];
  assign: boolean;
  cmds: Command[];
  pos: number;
}

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipeline }
  | { kind: 'if' | 'with'; pipe: Pipeline; body: Node[]; elseBody: Node[] }
  | { kind: 'range'; pipe: Pipeline; body: Node[]; elseBody: Node[] }
  | { kind: 'template'; name: string; pipe: Pipeline | undefined; pos: number }
  | { kind: 'break' | 'continue'; pos: number };

export interface ParsedTemplate {
  name: string;
  src: string;
  root: Node[];
  defines: Map<string, Node[]>;
}

export function parseTemplate(name: string, src: string): ParsedTemplate {
  const toks = lex(name, src);
  let i = 0;
  const defines = new Map<string, Node[]>();
  const fail = (pos: number, msg: string): never => {
    const [l, c] = lineCol(src, pos);
    throw new TemplateError(name, l, c, msg);
  };
  const peek = (): Token | undefined => toks[i];
  const next = (): Token => toks[i++] ?? fail(src.length, 'unexpected end of template');
  const expect = (type: Token['type'], what: string): Token => {
    const t = next();
    if (t.type !== type) fail(t.pos, `expected ${what}, got ${JSON.stringify(t.value)}`);
    return t;
  };

  // Parses nodes until one of the keywords closes the list; returns the keyword seen.
  function list(closers: string[], depth: number): { nodes: Node[]; closer: string; pos: number } {
    const nodes: Node[] = [];
    for (;;) {
      const t = peek();
      if (!t) {
        if (closers.length === 0) return { nodes, closer: '', pos: src.length };
        return fail(src.length, `unexpected EOF, expected {{${closers.join(' or ')}}}`);
      }
      if (t.type === 'text') {
        nodes.push({ kind: 'text', text: t.value });
        i++;
        continue;
      }
      expect('open', '{{');
      const k = peek();
      if (k?.type === 'ident' && ['end', 'else'].includes(k.value)) {
        if (!closers.includes(k.value)) fail(k.pos, `unexpected {{${k.value}}}`);
        i++;
        if (k.value === 'end') expect('close', '}}');
        return { nodes, closer: k.value, pos: k.pos };
      }
      if (k?.type === 'ident' && (k.value === 'if' || k.value === 'with' || k.value === 'range')) {
        i++;
        nodes.push(control(k.value, depth));
        continue;
      }
      if (k?.type === 'ident' && (k.value === 'break' || k.value === 'continue')) {
        i++;
        if (depth === 0) fail(k.pos, `{{${k.value}}} outside {{range}}`);
        expect('close', '}}');
        nodes.push({ kind: k.value, pos: k.pos });
        continue;
      }
      if (k?.type === 'ident' && (k.value === 'template' || k.value === 'block')) {
        i++;
        const n = expect('string', 'template name');
        const pipe = peek()?.type === 'close' ? undefined : pipeline(false);
        expect('close', '}}');
        if (k.value === 'block') {
          const body = list(['end'], depth);
          defines.set(n.value, body.nodes);
        }
        nodes.push({ kind: 'template', name: n.value, pipe, pos: k.pos });
        continue;
      }
      if (k?.type === 'ident' && k.value === 'define') {
        i++;
        const n = expect('string', 'template name');
        expect('close', '}}');
        defines.set(n.value, list(['end'], 0).nodes);
        continue;
      }
      const pipe = pipeline(true);
      expect('close', '}}');
      nodes.push({ kind: 'action', pipe });
    }
  }

  function control(kind: 'if' | 'with' | 'range', depth: number): Node {
    const pipe = pipeline(true);
    expect('close', '}}');
    const body = list(['end', 'else'], kind === 'range' ? depth + 1 : depth);
    let elseBody: Node[] = [];
    if (body.closer === 'else') {
      // {{else if ...}} / {{else with ...}} chain into a nested node.
      const t = peek();
      if (t?.type === 'ident' && (t.value === 'if' || t.value === 'with') && kind !== 'range') {
        i++;
        elseBody = [control(t.value, depth)];
      } else {
        expect('close', '}}');
        elseBody = list(['end'], depth).nodes;
      }
    }
    return { kind, pipe, body: body.nodes, elseBody };
  }

  function pipeline(allowDecl: boolean): Pipeline {
    const start = peek()?.pos ?? src.length;
    const decl: string[] = [];
    let assign = false;
    if (allowDecl && peek()?.type === 'var') {
      // Look ahead for "$x :=", "$x =", or "$i, $e :=".
      const save = i;
      const vars = [next().value];
      if (peek()?.type === 'comma') {
        i++;
        vars.push(expect('var', 'variable').value);
      }
      const op = peek();
      if (op?.type === 'declare' || op?.type === 'assign') {
        i++;
        decl.push(...vars);
        assign = op.type === 'assign';
      } else i = save;
    }
    const cmds: Command[] = [];
    for (;;) {
      cmds.push(command());
      if (peek()?.type !== 'pipe') break;
      i++;
    }
    return { decl, assign, cmds, pos: start };
  }

  function command(): Command {
    const args: Arg[] = [];
    const pos = peek()?.pos ?? src.length;
    for (;;) {
      const t = peek();
      if (!t || t.type === 'close' || t.type === 'pipe' || t.type === 'rparen') break;
      args.push(operand());
    }
    if (args.length === 0) fail(pos, 'missing value for command');
    return { args, pos };
  }

  function fieldChain(base: Arg & { kind: 'field' }): Arg {
    while (peek()?.type === 'field') base.path.push(next().value);
    return base;
  }

  function operand(): Arg {
    const t = next();
    switch (t.type) {
      case 'field':
        return fieldChain({ kind: 'field', base: 'dot', path: [t.value], pos: t.pos });
      case 'dot':
        return { kind: 'field', base: 'dot', path: [], pos: t.pos };
      case 'var': {
        const a: Arg = { kind: 'field', base: 'var', varName: t.value, path: [], pos: t.pos };
        return fieldChain(a);
      }
      case 'ident':
        return { kind: 'ident', name: t.value, pos: t.pos };
      case 'string':
        return { kind: 'literal', value: t.value, pos: t.pos };
      case 'bool':
        return { kind: 'literal', value: t.value === 'true', pos: t.pos };
      case 'nil':
        return { kind: 'literal', value: null, pos: t.pos };
      case 'number': {
        const v = Number(t.value.replace(/_/g, ''));
        if (Number.isNaN(v)) fail(t.pos, `bad number syntax: ${JSON.stringify(t.value)}`);
        return { kind: 'literal', value: v, pos: t.pos };
      }
      case 'lparen': {
        const p = pipeline(true);
        expect('rparen', ')');
        return fieldChain({ kind: 'field', base: 'expr', expr: p, path: [], pos: t.pos });
      }
      default:
        return fail(t.pos, `unexpected ${JSON.stringify(t.value)} in operand`);
    }
  }

  const root = list([], 0).nodes;
  return { name, src, root, defines };
}
