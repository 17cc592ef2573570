// Relabeling with Prometheus' semantics (model/relabel): every action, default regex (.*),
// separator ";", replacement "$1", anchored regexes and Go's template expansion.
import { createHash } from 'node:crypto';
import { compileAnchored, expandTemplate } from './regex.js';

export const RELABEL_ACTIONS = [
  'replace',
  'keep',
  'drop',
  'keepequal',
  'dropequal',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
] as const;
export type RelabelAction = (typeof RELABEL_ACTIONS)[number];

export interface RelabelConfig {
  source_labels: string[];
  separator: string;
  /** The regex as written (unanchored), as status/config shows it. */
  regex: string;
  modulus: number;
  target_label: string;
  replacement: string;
  action: RelabelAction;
}

export const RELABEL_DEFAULTS: Omit<RelabelConfig, 'action'> & { action: RelabelAction } = {
  source_labels: [],
  separator: ';',
  regex: '(.*)',
  modulus: 0,
  target_label: '',
  replacement: '$1',
  action: 'replace',
};

/** A config with its compiled regex, ready to apply. */
export interface CompiledRelabel extends RelabelConfig {
  re: RegExp;
}

export function compileRelabel(cfg: RelabelConfig): CompiledRelabel {
  return { ...cfg, re: compileAnchored(cfg.regex) };
}

/**
 * Applies the configs in order to a mutable label map (empty value = absent). Returns false
 * when a keep/drop-style action drops the whole set.
 */
export function relabel(lb: Map<string, string>, configs: readonly CompiledRelabel[]): boolean {
  for (const cfg of configs) {
    if (!applyOne(lb, cfg)) return false;
  }
  return true;
}

function sourceValue(lb: Map<string, string>, cfg: CompiledRelabel): string {
  const names = cfg.source_labels;
  if (names.length === 1) return lb.get(names[0]!) ?? '';
  let val = '';
  for (let i = 0; i < names.length; i++) {
    if (i > 0) val += cfg.separator;
    val += lb.get(names[i]!) ?? '';
  }
  return val;
}

function set(lb: Map<string, string>, name: string, value: string): void {
  if (value === '') lb.delete(name);
  else lb.set(name, value);
}

function applyOne(lb: Map<string, string>, cfg: CompiledRelabel): boolean {
  switch (cfg.action) {
    case 'drop':
      return !cfg.re.test(sourceValue(lb, cfg));
    case 'keep':
      return cfg.re.test(sourceValue(lb, cfg));
    case 'dropequal':
      return (lb.get(cfg.target_label) ?? '') !== sourceValue(lb, cfg);
    case 'keepequal':
      return (lb.get(cfg.target_label) ?? '') === sourceValue(lb, cfg);
    case 'replace': {
      const val = sourceValue(lb, cfg);
      const m = cfg.re.exec(val);
      if (!m) return true;
      const target = expandTemplate(cfg.target_label, m);
      if (target === '') return true;
      set(lb, target, expandTemplate(cfg.replacement, m));
      return true;
    }
    case 'lowercase':
      set(lb, cfg.target_label, sourceValue(lb, cfg).toLowerCase());
      return true;
    case 'uppercase':
      set(lb, cfg.target_label, sourceValue(lb, cfg).toUpperCase());
      return true;
    case 'hashmod': {
      const digest = createHash('md5').update(sourceValue(lb, cfg)).digest();
      // Prometheus folds the MD5 sum into a uint64; only the low 8 bytes survive the shifts.
      const mod = digest.readBigUInt64BE(8) % BigInt(cfg.modulus);
      set(lb, cfg.target_label, mod.toString());
      return true;
    }
    case 'labelmap':
      for (const [name, value] of [...lb]) {
        const m = cfg.re.exec(name);
        if (m) set(lb, expandTemplate(cfg.replacement, m), value);
      }
      return true;
    case 'labeldrop':
      for (const name of [...lb.keys()]) if (cfg.re.test(name)) lb.delete(name);
      return true;
    case 'labelkeep':
      for (const name of [...lb.keys()]) if (!cfg.re.test(name)) lb.delete(name);
      return true;
  }
}
