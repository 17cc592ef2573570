// Expands a rule's label or annotation template the way Prometheus does: the text is prefixed
// with variable definitions so $labels, $externalLabels, $externalURL and $value work.
import { execute, StrictMap } from './exec.js';
import { templateFuncs, type FuncOptions } from './funcs.js';
import { parseTemplate } from './parser.js';

export interface TemplateContext extends FuncOptions {
  labels: Record<string, string>;
  externalLabels: Record<string, string>;
  value: number;
}

const PRELUDE = '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

export function expandTemplate(name: string, text: string, ctx: TemplateContext): string {
  if (!text.includes('{{')) return text;
  const parsed = parseTemplate(name, PRELUDE + text);
  const data = new StrictMap({
    Labels: ctx.labels,
    ExternalLabels: ctx.externalLabels,
    ExternalURL: ctx.externalURL,
    Value: ctx.value,
  });
  return execute(parsed, data, templateFuncs(ctx));
}

/** Checks a template's syntax without running it (rule file validation). */
export function checkTemplate(name: string, text: string): void {
  parseTemplate(name, PRELUDE + text);
}
