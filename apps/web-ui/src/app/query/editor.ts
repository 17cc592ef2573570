// The PromQL editor: CodeMirror 6 with Prometheus' own PromQL language support
// (highlighting, completion of functions/metrics/labels/values from our API, and linting).
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, insertNewlineAndIndent } from '@codemirror/commands';
import { HighlightStyle, bracketMatching, syntaxHighlighting } from '@codemirror/language';
import { lintKeymap } from '@codemirror/lint';
import { EditorState, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, drawSelection, highlightSpecialChars, keymap, placeholder, type DecorationSet } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import { apiBase } from '../lib/api.js';

export interface PromQLEditor {
  view: EditorView;
  getValue(): string;
  setValue(expr: string): void;
  /** Underlines the range a server error points at (cleared on the next edit). */
  markError(from: number, to: number): void;
  /** Replaces the selection with `text` and focuses the editor. */
  insert(text: string): void;
  focus(): void;
  destroy(): void;
}

// Colours are CSS variables, so the editor follows the light/dark theme without reconfiguring.
const promQLHighlight = HighlightStyle.define([
  { tag: tags.function(tags.variableName), color: 'var(--tok-function)' },
  { tag: [tags.operatorKeyword, tags.modifier, tags.logicOperator], color: 'var(--tok-keyword)' },
  { tag: tags.labelName, color: 'var(--tok-label)' },
  { tag: tags.string, color: 'var(--tok-string)' },
  { tag: tags.number, color: 'var(--tok-number)' },
  { tag: [tags.operator, tags.arithmeticOperator], color: 'var(--tok-operator)' },
  { tag: tags.comment, color: 'var(--tok-comment)', fontStyle: 'italic' },
  { tag: tags.invalid, color: 'var(--bad)' },
]);

const setErrorMark = StateEffect.define<{ from: number; to: number } | null>();
const errorMark = Decoration.mark({ class: 'cm-server-error' });
const errorField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    if (tr.docChanged) return Decoration.none;
    for (const e of tr.effects) {
      if (!e.is(setErrorMark)) continue;
      if (e.value === null) return Decoration.none;
      const { from, to } = e.value;
      const len = tr.state.doc.length;
      // An error at the very end (unexpected end of input) marks the last character.
      const f = Math.min(from, Math.max(len - 1, 0));
      const t = Math.min(Math.max(to, f + 1), len);
      return t > f ? Decoration.set([errorMark.range(f, t)]) : Decoration.none;
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** One completion client for the page: its metric/label caches serve every panel. */
let sharedPromQL: PromQLExtension | undefined;
function promQL(): PromQLExtension {
  if (!sharedPromQL) {
    const base = apiBase().replace(/\/$/, '');
    sharedPromQL = new PromQLExtension()
      .setComplete({
        remote: { url: base, httpMethod: 'GET', cache: { maxAge: 5 * 60 * 1000 } },
        maxMetricsMetadata: 10000,
      })
      .activateCompletion(true)
      .activateLinter(true);
  }
  return sharedPromQL;
}

export function createEditor(parent: HTMLElement, initial: string, onExecute: () => void, onChange: (v: string) => void): PromQLEditor {
  const executeKeys = keymap.of([
    // Completion's own Enter binding runs first (it is registered at highest precedence) while the list is open.
    { key: 'Enter', run: () => (onExecute(), true) },
    { key: 'Mod-Enter', run: () => (onExecute(), true) },
    { key: 'Shift-Enter', run: insertNewlineAndIndent },
  ]);
  const extensions: Extension[] = [
    highlightSpecialChars(),
    history(),
    drawSelection(),
    bracketMatching(),
    closeBrackets(),
    autocompletion({ icons: false, activateOnTypingDelay: 50 }),
    syntaxHighlighting(promQLHighlight),
    placeholder('Expression (Enter runs, Shift+Enter adds a line, / focuses)'),
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ 'aria-label': 'PromQL expression', spellcheck: 'false' }),
    errorField,
    executeKeys,
    keymap.of([...closeBracketsKeymap, ...completionKeymap, ...lintKeymap, ...historyKeymap, ...defaultKeymap]),
    promQL().asExtension(),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) onChange(u.state.doc.toString());
    }),
  ];
  const view = new EditorView({ parent, state: EditorState.create({ doc: initial, extensions }) });
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue(expr) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: expr } });
    },
    markError(from, to) {
      view.dispatch({ effects: setErrorMark.of({ from, to }) });
    },
    insert(text) {
      view.dispatch(view.state.replaceSelection(text));
      view.focus();
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
