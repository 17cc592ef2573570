// Public API: run pmtool's commands in-process (used by tests and embedding).
export { runCli } from './cli.js';
export type { CliIo } from './cli.js';
