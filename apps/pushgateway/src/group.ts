// One group of the store: the metrics pushed under one grouping key.
import type { MetricFamily } from '@promethium/exposition';
import type { GroupingKey } from './grouping-key.js';

export interface StoredFamily extends MetricFamily {
  /** When the push that stored this family happened (ms since the epoch): API v1 time_stamp. */
  pushedAtMs: number;
  /** Text exposition lines of the samples, rendered on first scrape and reused. */
  textCache?: string;
}

export interface Group {
  /** Canonical id of the grouping key (see groupId). */
  readonly id: string;
  /** The grouping key, labels sorted by name. */
  readonly labels: GroupingKey;
  /** Families by name. Samples carry the grouping labels and instance="" already. */
  families: Map<string, StoredFamily>;
  /** Unix seconds of the last successful change; 0 = never. */
  pushTimeSeconds: number;
  /** Unix seconds of the last failed change; 0 = never. */
  pushFailureTimeSeconds: number;
  /** ms of the last change of either time: the time_stamp of the two gauges in API v1. */
  lastChangeMs: number;
}

export const PUSH_TIME = 'push_time_seconds';
export const PUSH_FAILURE_TIME = 'push_failure_time_seconds';
export const PUSH_TIME_HELP = 'Last Unix time when changing this group in the Pushgateway succeeded.';
export const PUSH_FAILURE_TIME_HELP = 'Last Unix time when changing this group in the Pushgateway failed.';
