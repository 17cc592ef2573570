// The storage engine's log sink: one structured line per event. The server passes its own
// logger; the default writes logfmt to stderr.
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

function fmt(v: string | number | boolean): string {
  const s = String(v);
  return /^[\w.:/@+-]+$/.test(s) ? s : JSON.stringify(s);
}

function line(level: string, msg: string, fields: LogFields = {}): string {
  let out = `ts=${new Date().toISOString()} level=${level} component=tsdb msg=${fmt(msg)}`;
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out += ` ${k}=${fmt(v)}`;
  return out + '\n';
}

export const stderrLogger: Logger = {
  info: (msg, fields) => process.stderr.write(line('info', msg, fields)),
  warn: (msg, fields) => process.stderr.write(line('warn', msg, fields)),
  error: (msg, fields) => process.stderr.write(line('error', msg, fields)),
};

export const nopLogger: Logger = { info() {}, warn() {}, error() {} };
