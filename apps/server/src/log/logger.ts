// Structured logging: one line per event, logfmt or JSON (--log.format), with a level filter
// (--log.level) and a component field, the way Prometheus' logs read.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'logfmt' | 'json';
export type LogFields = Record<string, unknown>;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface LogSink {
  write(line: string): unknown;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  sink?: LogSink;
  /** Clock for the ts field; tests pin it. */
  now?: () => Date;
}

export class Logger {
  private readonly min: number;
  private readonly format: LogFormat;
  private readonly sink: LogSink;
  private readonly now: () => Date;

  constructor(
    opts: LoggerOptions = {},
    private readonly context: LogFields = {},
  ) {
    this.min = RANK[opts.level ?? 'info'];
    this.format = opts.format ?? 'logfmt';
    this.sink = opts.sink ?? process.stderr;
    this.now = opts.now ?? (() => new Date());
  }

  /** A child logger whose lines carry extra fields, e.g. { component: 'scrape manager' }. */
  with(fields: LogFields): Logger {
    return new Logger(
      { level: levelOf(this.min), format: this.format, sink: this.sink, now: this.now },
      { ...this.context, ...fields },
    );
  }

  debug(msg: string, fields?: LogFields): void {
    this.log('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.log('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.log('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.log('error', msg, fields);
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] >= this.min;
  }

  log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (RANK[level] < this.min) return;
    const all: LogFields = { ts: this.now().toISOString(), level, ...this.context, msg, ...fields };
    this.sink.write((this.format === 'json' ? JSON.stringify(all, jsonValue) : logfmt(all)) + '\n');
  }
}

function levelOf(rank: number): LogLevel {
  return (Object.keys(RANK) as LogLevel[]).find((l) => RANK[l] === rank) ?? 'info';
}

function jsonValue(_key: string, v: unknown): unknown {
  if (v instanceof Error) return v.message;
  if (typeof v === 'bigint') return v.toString();
  return v;
}

function logfmt(fields: LogFields): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    parts.push(`${k}=${logfmtValue(v)}`);
  }
  return parts.join(' ');
}

function logfmtValue(v: unknown): string {
  let s: string;
  if (v instanceof Error) s = v.message;
  else if (typeof v === 'string') s = v;
  else if (v === null) s = 'null';
  else if (typeof v === 'object') s = JSON.stringify(v);
  else s = typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : typeof v;
  return s === '' || /[\s"=\\]/.test(s) || /[^\x20-\x7e]/.test(s) ? JSON.stringify(s) : s;
}

/** A logger that drops everything (embedding, tests that do not look at logs). */
export const NOP_LOGGER = new Logger({ level: 'error', sink: { write: () => undefined } });
