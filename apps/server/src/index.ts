// Public API: embed the server in another process, reuse the config loader (pmtool check
// config), the flag parser and relabeling.
export { createApp } from './app.js';
export type { ApiContext, ReloadResult } from './api/context.js';
export { PromethiumServer } from './server.js';
export type { ServerOptions } from './server.js';
export { parseListenAddress } from './listen-address.js';
export type { ListenAddress } from './listen-address.js';
export { FlagError, boolFlag, customFlag, enumFlag, parseFlags, stringFlag, usage } from './cli/flags.js';
export type { FlagDef, FlagDefs, FlagValues, ParsedFlags } from './cli/flags.js';
export { SERVER_FLAGS, parseServerFlags, serverUsage } from './cli/server-flags.js';
export type { ServerFlags } from './cli/server-flags.js';
export { Logger, NOP_LOGGER } from './log/logger.js';
export type { LogFormat, LogLevel, LoggerOptions } from './log/logger.js';
export { formatBytes, formatDuration, parseBytes, parseDuration } from './config/duration.js';
export { DEFAULT_GLOBAL, loadConfigFile, parseConfig } from './config/load.js';
export { configToYaml } from './config/serialize.js';
export { ConfigError } from './config/yaml-walk.js';
export type * from './config/types.js';
export { RELABEL_ACTIONS, compileRelabel, relabel } from './relabel/relabel.js';
export type { CompiledRelabel, RelabelAction, RelabelConfig } from './relabel/relabel.js';
export { ScrapeManager } from './scrape/manager.js';
export { parseTargetGroupFile } from './discovery/file-sd.js';
