// Rules and alerting inside the running server: one Notifier and one RuleManager, configured
// from prometheus.yml (rule_files, alerting, global.evaluation_interval/external_labels) and
// re-applied on reload; a bad rule file fails the reload and keeps the running rules.
import type { Engine } from '@promethium/promql';
import type { DB } from '@promethium/tsdb-core';
import type { ServerFlags } from './cli/server-flags.js';
import type { AlertmanagerConfig } from './config/alerting-config.js';
import type { Config } from './config/types.js';
import type { Logger } from './log/logger.js';
import { Notifier, type Alert, type AlertmanagerTarget } from './notifier/notifier.js';
import { compileRelabel, relabel, type CompiledRelabel } from './relabel/relabel.js';
import { RuleManager } from './rules/manager.js';
import { clientRoute, type ClientRoute } from './scrape/client-route.js';
import { httpsAgent } from './scrape/http-client.js';
import { proxyFor } from './scrape/proxy-resolver.js';

export class RulesRuntime {
  readonly notifier: Notifier;
  private manager: RuleManager | undefined;
  private targets: AlertmanagerTarget[] = [];
  private alertRelabel: CompiledRelabel[] = [];
  private externalLabels: Record<string, string> = {};

  constructor(
    private readonly flags: ServerFlags,
    private readonly engine: Engine,
    private readonly db: DB,
    private readonly logger: Logger,
  ) {
    const log = logger.with({ component: 'notifier' });
    this.notifier = new Notifier({
      queueCapacity: flags.notificationQueueCapacity,
      alertmanagers: () => this.targets,
      relabel: (labels) => {
        if (this.alertRelabel.length === 0) return labels;
        const m = new Map(Object.entries(labels));
        return relabel(m, this.alertRelabel) ? Object.fromEntries(m) : undefined;
      },
      externalLabels: () => this.externalLabels,
      log: (level, msg, fields) => log[level](msg, fields),
    });
    this.notifier.start();
  }

  rules(): RuleManager | undefined {
    return this.manager;
  }

  /** Applies a config: validates and loads rule files first, so a bad file changes nothing. */
  async apply(config: Config): Promise<void> {
    const log = this.logger.with({ component: 'rules' });
    const externalURL = this.flags.externalUrl ?? `http://${this.flags.listenAddress.host === '0.0.0.0' ? 'localhost' : this.flags.listenAddress.host}:${this.flags.listenAddress.port}`;
    const options = {
      engine: this.engine,
      storage: this.db,
      notify: (alerts: Alert[]) => this.notifier.send(alerts),
      externalLabels: config.global.external_labels,
      externalURL,
      evaluationIntervalMs: config.global.evaluation_interval,
      resendDelayMs: this.flags.alertResendDelay,
      outageToleranceMs: this.flags.forOutageTolerance,
      forGracePeriodMs: this.flags.forGracePeriod,
      log: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, string>) => log[level](msg, fields),
    };
    if (this.manager) {
      // The running manager keeps alert state across reloads; update() is all-or-nothing,
      // so a bad file leaves both the rules and the options as they were.
      await this.manager.update(config.rule_files, { options });
    } else {
      const m = new RuleManager(options);
      await m.update(config.rule_files);
      this.manager = m;
    }
    this.externalLabels = config.global.external_labels;
    this.alertRelabel = (config.alerting?.alert_relabel_configs ?? []).map(compileRelabel);
    this.targets = await alertmanagerTargets(config.alerting?.alertmanagers ?? []);
  }

  async stop(): Promise<void> {
    await this.manager?.stop();
    await this.notifier.stop();
  }
}

// Routes to http:// Alertmanagers behind a proxy, kept across config reloads (one keep-alive agent each).
const proxiedRoutes = new Map<string, Promise<ClientRoute>>();

function proxiedRoute(url: URL, am: AlertmanagerConfig): Promise<ClientRoute> {
  const key = `${url.href} ${am.proxy_url ?? ''} ${am.no_proxy ?? ''} ${String(am.proxy_from_environment ?? false)}`;
  let r = proxiedRoutes.get(key);
  if (!r) proxiedRoutes.set(key, (r = clientRoute(url, am)));
  return r;
}

async function alertmanagerTargets(configs: readonly AlertmanagerConfig[]): Promise<AlertmanagerTarget[]> {
  const out: AlertmanagerTarget[] = [];
  for (const am of configs) {
    const relabelConfigs = am.relabel_configs.map(compileRelabel);
    for (const sc of am.static_configs) {
      for (const addr of sc.targets) {
        const lb = new Map<string, string>([['__address__', addr], ['__scheme__', am.scheme], ['__alerts_path__', `${am.path_prefix}/api/v2/alerts`], ...Object.entries(sc.labels)]);
        if (relabelConfigs.length > 0 && !relabel(lb, relabelConfigs)) continue;
        const path = (lb.get('__alerts_path__') ?? '/api/v2/alerts').replace(/\/api\/v2\/alerts$/, '');
        const scheme = lb.get('__scheme__') ?? am.scheme;
        const url = `${scheme}://${lb.get('__address__')}${path}`;
        const u = new URL(url);
        // An http:// Alertmanager behind the proxy gets the absolute-form route; https:// a tunnel agent.
        // (routed for the URL the notifier posts to: the proxy gets it whole in the request line)
        const route = scheme === 'http' && proxyFor(am, u) ? await proxiedRoute(new URL(`${url.replace(/\/$/, '')}/api/v2/alerts`), am) : undefined;
        const headers = { ...route?.headers };
        out.push({
          url,
          timeoutMs: am.timeout,
          ...(Object.keys(headers).length > 0 ? { headers } : {}),
          ...(scheme === 'https' ? { agent: await httpsAgent(am, u) } : {}),
          ...(route ? { agent: route.agent, requestOptions: route.options } : {}),
          // Credentials and http_headers are read per request, so a rotated password_file applies at once.
          ...(am.http_headers || am.basic_auth || am.authorization ? { client: am } : {}),
        });
      }
    }
  }
  return out;
}
