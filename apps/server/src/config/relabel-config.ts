// relabel_configs / metric_relabel_configs entries: parsed with defaults and validated with
// Prometheus' rules and messages (model/relabel Config.Validate).
import { RELABEL_ACTIONS, RELABEL_DEFAULTS } from '../relabel/relabel.js';
import type { RelabelAction, RelabelConfig } from '../relabel/relabel.js';
import { compileAnchored } from '../relabel/regex.js';
import type { YamlValue } from './yaml-walk.js';

const FIELDS = ['source_labels', 'separator', 'regex', 'modulus', 'target_label', 'replacement', 'action'] as const;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// A target label may contain $1 / ${name} references that expand to a label name.
const RELABEL_TARGET = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;

export function parseRelabelConfigs(v: YamlValue): RelabelConfig[] {
  return v.seq().map(parseRelabelConfig);
}

export function parseRelabelConfig(v: YamlValue): RelabelConfig {
  const m = v.map('relabel.Config', FIELDS);
  const actionText = m.opt('action', 'replace', (x) => x.str().toLowerCase());
  if (!(RELABEL_ACTIONS as readonly string[]).includes(actionText)) {
    m.get('action').fail(`unknown relabel action "${actionText}"`);
  }
  const action = actionText as RelabelAction;
  const cfg: RelabelConfig = {
    source_labels: m.opt('source_labels', [], (x) => x.strings()),
    separator: m.opt('separator', RELABEL_DEFAULTS.separator, (x) => x.str()),
    regex: m.opt('regex', RELABEL_DEFAULTS.regex, (x) => x.str()),
    modulus: m.opt('modulus', 0, (x) => x.int(0)),
    target_label: m.opt('target_label', '', (x) => x.str()),
    replacement: m.opt('replacement', RELABEL_DEFAULTS.replacement, (x) => x.str()),
    action,
  };
  try {
    compileAnchored(cfg.regex);
  } catch (e) {
    m.get('regex').fail(`invalid regular expression "${cfg.regex}": ${(e as Error).message}`);
  }
  const fail = (reason: string): never => v.fail(reason);
  if (cfg.modulus === 0 && action === 'hashmod') fail('relabel configuration for hashmod requires non-zero modulus');
  const needsTarget = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'];
  if (needsTarget.includes(action) && cfg.target_label === '') {
    fail(`relabel configuration for ${action} action requires 'target_label' value`);
  }
  if (action === 'replace' && !RELABEL_TARGET.test(cfg.target_label)) {
    fail(`"${cfg.target_label}" is invalid 'target_label' for ${action} action`);
  }
  if (['lowercase', 'uppercase', 'hashmod', 'keepequal', 'dropequal'].includes(action) && !LABEL_NAME.test(cfg.target_label)) {
    fail(`"${cfg.target_label}" is invalid 'target_label' for ${action} action`);
  }
  if (['lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action) && cfg.replacement !== RELABEL_DEFAULTS.replacement) {
    fail(`'replacement' can not be set for ${action} action`);
  }
  if (action === 'labelmap' && !RELABEL_TARGET.test(cfg.replacement)) {
    fail(`"${cfg.replacement}" is invalid 'replacement' for ${action} action`);
  }
  if (
    (action === 'keepequal' || action === 'dropequal') &&
    (cfg.regex !== RELABEL_DEFAULTS.regex || cfg.modulus !== 0 || cfg.separator !== RELABEL_DEFAULTS.separator)
  ) {
    fail(`${action} action requires only 'source_labels' and 'target_label', and no other fields`);
  }
  if (
    (action === 'labeldrop' || action === 'labelkeep') &&
    (m.has('source_labels') ||
      cfg.target_label !== '' ||
      cfg.modulus !== 0 ||
      cfg.separator !== RELABEL_DEFAULTS.separator ||
      cfg.replacement !== RELABEL_DEFAULTS.replacement)
  ) {
    fail(`${action} action requires only 'regex', and no other fields`);
  }
  for (const [i, name] of cfg.source_labels.entries()) {
    if (name === '') m.get('source_labels').seq()[i]!.fail('source label name must not be empty');
  }
  return cfg;
}
