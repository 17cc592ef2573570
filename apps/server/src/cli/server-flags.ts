// The server's flags, with Prometheus' names, defaults and help texts.
import { Matcher } from '@promethium/tsdb-core';
import { parseBytes, parseDuration } from '../config/duration.js';
import { parseListenAddress } from '../listen-address.js';
import type { ListenAddress } from '../listen-address.js';
import { boolFlag, customFlag, enumFlag, parseFlags, stringFlag, usage } from './flags.js';
import type { FlagValues, ParsedFlags } from './flags.js';

const duration = (name: string, help: string, def: string): ReturnType<typeof customFlag<number>> =>
  customFlag(name, help, def, '<duration>', parseDuration);

/** Optional values parse "" (unset) to undefined. */
const optional =
  <T>(parse: (s: string) => T) =>
  (s: string): T | undefined =>
    s === '' ? undefined : parse(s);

export const SERVER_FLAGS = {
  configFile: stringFlag('config.file', 'Prometheus configuration file path.', 'prometheus.yml'),
  listenAddress: customFlag<ListenAddress>(
    'web.listen-address',
    'Address to listen on for UI, API, and telemetry.',
    '0.0.0.0:9090',
    '<address>',
    parseListenAddress,
  ),
  externalUrl: customFlag<string | undefined>(
    'web.external-url',
    'The URL under which Prometheus is externally reachable (for example, if Prometheus is served via a reverse proxy). Used for generating relative and absolute links back to Prometheus itself. If the URL has a path portion, it will be used to prefix all HTTP endpoints served by Prometheus. If omitted, relevant URL components will be derived automatically.',
    '',
    '<URL>',
    optional(parseExternalUrl),
  ),
  routePrefix: customFlag<string | undefined>(
    'web.route-prefix',
    'Prefix for the internal routes of web endpoints. Defaults to path of --web.external-url.',
    '',
    '<path>',
    optional((s) => s),
  ),
  webConfigFile: stringFlag('web.config.file', 'Path to configuration file that can enable TLS or authentication.', '', '<path>'),
  corsOrigin: customFlag<Matcher>(
    'web.cors.origin',
    "Regex for CORS origin. It is fully anchored. Example: 'https?://(domain1|domain2)\\.com'",
    '.*',
    '"<regex>"',
    (s) => new Matcher('=~', 'origin', s),
  ),
  enableLifecycle: boolFlag('web.enable-lifecycle', 'Enable shutdown and reload via HTTP request.'),
  enableAdminApi: boolFlag('web.enable-admin-api', 'Enable API endpoints for admin control actions.'),
  enableRemoteWriteReceiver: boolFlag(
    'web.enable-remote-write-receiver',
    'Enable API endpoint accepting remote write requests.',
  ),
  tsdbPath: stringFlag('storage.tsdb.path', 'Base path for metrics storage. Use with server mode only.', 'data/', '<path>'),
  // Prometheus defaults to true; ours stays false because the Snappy encoder in JS costs scrape CPU
  // for disk space most setups do not need. Either way the WAL reader takes both forms.
  walCompression: boolFlag(
    'storage.tsdb.wal-compression',
    'Compress the tsdb WAL with Snappy, as Prometheus does by default. Use with server mode only.',
  ),
  agent: boolFlag('agent', 'Run in agent mode: scrape, WAL and remote write only (no queries, rules or local blocks).'),
  enableFeature: customFlag<string[]>(
    'enable-feature',
    'Comma separated feature names to enable. Promethium acts on: agent (the same as --agent); others are accepted and ignored.',
    '',
    '<features>',
    (s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''),
  ),
  agentPath: stringFlag('storage.agent.path', 'Base path for metrics storage. Use with agent mode only.', 'data-agent/', '<path>'),
  agentWalCompression: boolFlag('storage.agent.wal-compression', 'Compress the agent WAL with Snappy. Use with agent mode only.'),
  agentRetentionMinTime: duration(
    'storage.agent.retention.min-time',
    'Minimum age samples may be before being considered for deletion when the WAL is truncated Use with agent mode only.',
    '5m',
  ),
  agentRetentionMaxTime: duration(
    'storage.agent.retention.max-time',
    'Maximum age samples may be before being forcibly deleted when the WAL is truncated Use with agent mode only.',
    '4h',
  ),
  agentUseLockfile: boolFlag('storage.agent.use-lockfile', 'Create a lockfile in data directory. Use with agent mode only.'),
  remoteFlushDeadline: duration('storage.remote.flush-deadline', 'How long to wait flushing sample on shutdown or config reload.', '1m'),
  retentionTime: customFlag<number | undefined>(
    'storage.tsdb.retention.time',
    'How long to retain samples in storage. If neither this flag nor "storage.tsdb.retention.size" is set, the retention time defaults to 15d. Units Supported: y, w, d, h, m, s, ms.',
    '',
    '<duration>',
    optional(parseDuration),
  ),
  retentionSize: customFlag<number | undefined>(
    'storage.tsdb.retention.size',
    'Maximum number of bytes that can be stored for blocks. A unit is required, supported units: B, KB, MB, GB, TB, PB, EB. Ex: "512MB". Based on powers-of-2, so 1KB is 1024B.',
    '',
    '<size>',
    optional(parseBytes),
  ),
  queryTimeout: duration('query.timeout', 'Maximum time a query may take before being aborted.', '2m'),
  queryMaxSamples: customFlag(
    'query.max-samples',
    'Maximum number of samples a single query can load into memory. Note that queries will fail if they try to load more samples than this into memory, so this also limits the number of samples a query can return.',
    '50000000',
    '<int>',
    parsePositiveInt,
  ),
  lookbackDelta: duration(
    'query.lookback-delta',
    'The maximum lookback duration for retrieving metrics during expression evaluations and federation.',
    '5m',
  ),
  alertResendDelay: duration('rules.alert.resend-delay', 'Minimum amount of time to wait before resending an alert to Alertmanager.', '1m'),
  forOutageTolerance: duration('rules.alert.for-outage-tolerance', 'Max time to tolerate prometheus outage for restoring "for" state of alert.', '1h'),
  forGracePeriod: duration('rules.alert.for-grace-period', 'Minimum duration between alert and restored "for" state. This is maintained only for alerts with configured "for" time greater than grace period.', '10m'),
  notificationQueueCapacity: customFlag(
    'alertmanager.notification-queue-capacity',
    'The capacity of the queue for pending Alertmanager notifications.',
    '10000',
    '<int>',
    parsePositiveInt,
  ),
  logLevel: enumFlag('log.level', 'Only log messages with the given severity or above.', ['debug', 'info', 'warn', 'error'], 'info'),
  logFormat: enumFlag('log.format', 'Output format of log messages.', ['logfmt', 'json'], 'logfmt'),
};

export type ServerFlags = FlagValues<typeof SERVER_FLAGS>;
export type ParsedServerFlags = ParsedFlags<typeof SERVER_FLAGS>;

/** Retention applied when neither retention flag is set, as Prometheus does. */
export const DEFAULT_RETENTION_MS = 15 * 86_400_000;

export function parseServerFlags(argv: readonly string[]): ParsedServerFlags {
  return parseFlags(SERVER_FLAGS, argv);
}

/** Agent mode: --agent, or --enable-feature=agent as Prometheus 2.x spells it. */
export function isAgent(flags: Pick<ServerFlags, 'agent' | 'enableFeature'>): boolean {
  return flags.agent || flags.enableFeature.includes('agent');
}

/** The data directory of the mode the server runs in. */
export function dataPath(flags: Pick<ServerFlags, 'agent' | 'enableFeature' | 'tsdbPath' | 'agentPath'>): string {
  return isAgent(flags) ? flags.agentPath : flags.tsdbPath;
}

export function serverUsage(): string {
  return usage(SERVER_FLAGS, 'promethium', 'The Promethium monitoring server (Prometheus-compatible).');
}

function parsePositiveInt(s: string): number {
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw new Error(`expected a non-negative integer, got "${s}"`);
  return Number(s);
}

function parseExternalUrl(s: string): string {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new Error(`expected an absolute URL such as http://example.com/prometheus, got "${s}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`expected an http or https URL, got "${s}"`);
  return u.toString().replace(/\/$/, '');
}

/** The effective route prefix: --web.route-prefix, else the external URL's path; "" for none. */
export function routePrefix(flags: Pick<ServerFlags, 'routePrefix' | 'externalUrl'>): string {
  let p = flags.routePrefix ?? (flags.externalUrl ? new URL(flags.externalUrl).pathname : '/');
  if (!p.startsWith('/')) p = `/${p}`;
  return p.replace(/\/+$/, '');
}
