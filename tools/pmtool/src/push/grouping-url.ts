// The Pushgateway URL of a group: /metrics/job/<job>{/<name>/<value>}. Values containing
// '/' (or empty) go base64url-encoded under <name>@base64, as client_python does; everything
// else is percent-encoded.
import { validLabelName } from '@promethium/exposition';

export class GroupingKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GroupingKeyError';
  }
}

function segment(name: string, value: string): string {
  if (value === '') return `${name}@base64/=`;
  if (value.includes('/')) return `${name}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`;
  return `${name}/${encodeURIComponent(value)}`;
}

/** Parses `--label name=value` arguments, rejecting what the Pushgateway would reject. */
export function parseLabelArgs(args: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new GroupingKeyError(`invalid --label "${a}": expected name=value`);
    const name = a.slice(0, eq);
    if (!validLabelName(name) || name.startsWith('__')) throw new GroupingKeyError(`invalid --label "${a}": "${name}" is not a valid grouping label name`);
    if (name === 'job') throw new GroupingKeyError(`invalid --label "${a}": the job is given as an argument`);
    if (seen.has(name)) throw new GroupingKeyError(`invalid --label "${a}": label "${name}" given twice`);
    seen.add(name);
    out.push([name, a.slice(eq + 1)]);
  }
  return out;
}

export function groupingUrl(gateway: string, job: string, labels: readonly [string, string][]): string {
  if (job === '') throw new GroupingKeyError('job name is required');
  let base = gateway.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base)) base = `http://${base}`;
  return `${base}/metrics/${[segment('job', job), ...labels.map(([n, v]) => segment(n, v))].join('/')}`;
}

/** Moves user:password@ from the URL into a Basic Authorization header (fetch refuses credentials in URLs). */
export function splitCredentials(url: string): { url: string; authorization?: string } {
  const u = new URL(url);
  if (!u.username && !u.password) return { url };
  const cred = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  u.username = '';
  u.password = '';
  return { url: u.toString(), authorization: `Basic ${Buffer.from(cred).toString('base64')}` };
}
