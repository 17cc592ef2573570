// Pushgateway URL paths: /metrics/job/<job>{/<label>/<value>}. A value that is empty or
// contains `/` (or a space) is sent as `<label>@base64/<url-safe base64>` exactly as
// client_python does, because the gateway's router would otherwise split or drop it.
import { validateLabelName } from './validation.js';

export type GroupingKey = Record<string, string | number>;

export class GroupingKeyError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'GroupingKeyError';
  }
}

/** One `/<name>/<value>` path pair, base64-encoding the value when it has to be. */
export function escapeGroupingPair(name: string, value: string): string {
  if (value === '') return `/${name}@base64/=`;
  if (value.includes('/') || value.includes(' ')) {
    return `/${name}@base64/${Buffer.from(value, 'utf8').toString('base64url')}${pad(value)}`;
  }
  return `/${name}/${encodeURIComponent(value)}`;
}

/** base64url without padding from Node; client_python sends it padded, so we do too. */
function pad(value: string): string {
  const r = Buffer.byteLength(value, 'utf8') % 3;
  return r === 1 ? '==' : r === 2 ? '=' : '';
}

/**
 * The path below the gateway URL for a job and grouping key. `sortKeys` follows client_python
 * (sorted label names); prom-client's Pushgateway keeps the object's order.
 */
export function groupingPath(job: string, groupingKey: GroupingKey = {}, sortKeys = true): string {
  if (typeof job !== 'string' || job === '') throw new GroupingKeyError('job name must be a non-empty string', 'job');
  let path = '/metrics' + escapeGroupingPair('job', job);
  const names = Object.keys(groupingKey);
  if (sortKeys) names.sort();
  for (const name of names) {
    if (!validateLabelName([name]) || name.startsWith('__')) {
      throw new GroupingKeyError(`grouping key label name "${name}" is not a valid label name`, name);
    }
    if (name === 'job') throw new GroupingKeyError('grouping key must not contain "job"; pass it as the job name', name);
    path += escapeGroupingPair(name, String(groupingKey[name]));
  }
  return path;
}

/** The gateway base URL as client_python reads it: http:// added when no scheme, no trailing /. */
export function gatewayBase(gateway: string): string {
  const g = /^https?:\/\//i.test(gateway) ? gateway : `http://${gateway}`;
  return g.replace(/\/+$/, '');
}
