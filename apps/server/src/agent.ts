// Agent mode (--agent, or --enable-feature=agent as Prometheus 2.x spells it): scrape, WAL and
// remote write only. The config may not ask for what an agent does not do, and the WAL is
// truncated once remote write has sent it, keeping at least --storage.agent.retention.min-time
// and at most --storage.agent.retention.max-time of data, as Prometheus' agent does.
import * as fs from 'node:fs';
import type { DB } from '@promethium/tsdb-core';
import { segmentName } from '@promethium/tsdb-core';
import type { ServerFlags } from './cli/server-flags.js';
import type { LoadedConfig } from './config/types.js';
import { ConfigError } from './config/yaml-walk.js';
import type { Logger } from './log/logger.js';
import type { RemoteStorage } from './remote/remote-storage.js';

/** Prometheus rejects these sections in agent mode with the same words. */
export function checkAgentConfig(loaded: LoadedConfig): void {
  const c = loaded.config;
  const fail = (field: string): never => {
    throw new ConfigError(loaded.file, 0, 0, '', `field ${field} is not allowed in agent mode`);
  };
  if (c.rule_files.length > 0) fail('rule_files');
  if (c.alerting && (c.alerting.alertmanagers.length > 0 || c.alerting.alert_relabel_configs.length > 0)) fail('alerting');
  if (c.remote_read.length > 0) fail('remote_read');
}

/** Prometheus' agent truncates every 2 h. */
export const AGENT_TRUNCATE_INTERVAL_MS = 2 * 3600_000;

export class AgentTruncator {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: DB,
    private readonly remote: RemoteStorage,
    private readonly flags: Pick<ServerFlags, 'agentRetentionMinTime' | 'agentRetentionMaxTime'>,
    private readonly log: Logger,
    private readonly intervalMs = AGENT_TRUNCATE_INTERVAL_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.truncate(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Drops what every queue has sent (minus min-time), or anything older than max-time. */
  truncate(now = Date.now()): boolean {
    const queues = this.remote.queueList();
    let lowestSent = Infinity;
    for (const q of queues) lowestSent = Math.min(lowestSent, q.metrics.highestSentTs * 1000);
    if (!Number.isFinite(lowestSent)) lowestSent = 0;
    let ts = Math.max(0, lowestSent - this.flags.agentRetentionMinTime);
    const maxTs = now - this.flags.agentRetentionMaxTime;
    if (ts < maxTs) ts = maxTs;
    // The checkpoint deletes every segment so far: only when each queue has read them all,
    // unless a queue has been stuck for longer than max-time (then a long-dead receiver loses
    // the oldest data, as in Prometheus, rather than the disk filling up).
    const cur = this.db.wal.segment();
    let size = 0;
    try {
      size = fs.statSync(segmentName(this.db.wal.dir, cur)).size;
    } catch {
      // A fresh segment.
    }
    const lagging = queues.filter((q) => {
      const p = q.progress();
      return !p || p.segment < cur || (p.segment === cur && p.offset < size);
    });
    const stuck = lagging.some((q) => now - q.lastProgressAt > this.flags.agentRetentionMaxTime);
    if (lagging.length > 0 && !stuck) {
      this.log.debug('WAL truncation postponed: remote write has not sent the whole WAL yet');
      return false;
    }
    this.db.truncateHead(ts);
    return true;
  }
}
