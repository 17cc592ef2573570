// Structured logs, one line per event, as Prometheus' go-kit loggers write them:
// logfmt (`ts=… level=info component=… msg="…" key=value`) or JSON (--log.format).
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'logfmt' | 'json';
export type LogFields = Record<string, string | number | boolean | undefined>;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

function logfmtValue(v: string): string {
  return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
}

export function createLogger(options: { level?: LogLevel; format?: LogFormat; write?: (line: string) => void } = {}): Logger {
  const min = RANK[options.level ?? 'info'];
  const format = options.format ?? 'logfmt';
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const log = (level: LogLevel, msg: string, fields: LogFields = {}): void => {
    if (RANK[level] < min) return;
    const entry: Record<string, string> = { ts: new Date().toISOString(), level, msg };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) entry[k] = String(v);
    if (format === 'json') {
      write(JSON.stringify(entry));
      return;
    }
    write(
      Object.entries(entry)
        .map(([k, v]) => `${k}=${logfmtValue(v)}`)
        .join(' '),
    );
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}

/** A logger that drops everything (embedding, tests). */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });
