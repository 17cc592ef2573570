// Connects the rule manager and the notifier to the server: storage behind the matcher adapter,
// Alertmanager targets from the config's `alerting` section (static_configs, scheme, path_prefix).
import type { Engine } from '@promethium/promql';
import type { DB } from '@promethium/tsdb-core';
import type { Config } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { Notifier } from '../notifier/notifier.js';
import type { AlertmanagerTarget } from '../notifier/notifier.js';
import { withPlainMatchers } from '../storage/matcher-compat.js';
import { RuleManager } from './manager.js';

interface AlertmanagerConfig {
  scheme?: string;
  path_prefix?: string;
  static_configs?: { targets?: string[] }[];
}

/** Alertmanager base URLs from `alerting.alertmanagers[].static_configs`. */
export function alertmanagerTargets(config: Config): AlertmanagerTarget[] {
  const alerting = config.alerting as { alertmanagers?: AlertmanagerConfig[] } | undefined;
  const out: AlertmanagerTarget[] = [];
  for (const am of alerting?.alertmanagers ?? []) {
    const prefix = (am.path_prefix ?? '').replace(/\/$/, '');
    for (const sc of am.static_configs ?? []) {
      for (const t of sc.targets ?? []) out.push({ url: `${am.scheme ?? 'http'}://${t}${prefix}` });
    }
  }
  return out;
}

export function createRuleStack(opts: {
  db: DB;
  engine: Engine;
  logger: Logger;
  config: () => Config;
  externalUrl: string;
}): { rules: RuleManager; notifier: Notifier } {
  const log = (component: string) => (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, string>) =>
    opts.logger.with({ component }).log(level, msg, fields);
  const notifier = new Notifier({
    alertmanagers: () => alertmanagerTargets(opts.config()),
    externalLabels: opts.config().global.external_labels,
    log: log('notifier'),
  });
  const plain = withPlainMatchers(opts.db);
  const rules = new RuleManager({
    engine: opts.engine,
    storage: { querier: (mint, maxt) => plain.querier(mint, maxt), appender: () => opts.db.appender() },
    notify: (alerts) => notifier.send(alerts),
    externalLabels: opts.config().global.external_labels,
    externalURL: opts.externalUrl,
    evaluationIntervalMs: opts.config().global.evaluation_interval,
    restoreForState: true,
    log: log('rule manager'),
  });
  return { rules, notifier };
}
