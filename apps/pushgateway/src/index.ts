// Public API: embed the Pushgateway in another process or test it.
export { createApp, type AppOptions } from './app.js';
export { createPushgateway, flagsToOptions, type Pushgateway, type PushgatewayOptions } from './pushgateway.js';
export { MetricStore, INCONSISTENT_PREFIX, type MetricStoreOptions, type PushMethod, type PushResult } from './store.js';
export type { Group, StoredFamily } from './group.js';
export { parseGroupingKey, GroupingKeyError, groupId, decodeBase64Url, type GroupingKey } from './grouping-key.js';
export { Persistence, decodeSnapshot, encodeSnapshot, writeFileAtomic, PersistenceError } from './persistence.js';
export { parseFlags, helpText, FlagError, type Flags } from './flags.js';
export { createLogger, silentLogger, type Logger, type LogLevel, type LogFormat } from './logger.js';
export { OwnMetrics, OWN_METRIC_TYPES } from './own-metrics.js';
export { parseListenAddress } from './listen-address.js';
