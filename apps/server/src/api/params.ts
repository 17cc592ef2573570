// Request parameters as Prometheus reads them: the query string merged with a form-encoded POST
// body; times as float seconds or RFC 3339; durations as float seconds or Prometheus syntax.
import type { Context } from 'hono';
import { parseDuration } from '../config/duration.js';
import { badData } from './envelope.js';

/** Query-string and form parameters together (form values after query values, as Go's r.Form). */
export async function formParams(c: Context): Promise<URLSearchParams> {
  const params = new URL(c.req.url).searchParams;
  if (c.req.method === 'POST' || c.req.method === 'PUT') {
    const ct = c.req.header('content-type') ?? '';
    if (ct.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      const body = new URLSearchParams(await c.req.text());
      for (const [k, v] of body) params.append(k, v);
    }
  }
  return params;
}

// Prometheus' minTime/maxTime sentinels, as clients (e.g. Grafana) send them.
const MIN_TIME_TEXT = new Set(['-292273086-05-16T16:47:06Z', '0001-01-01T00:00:00Z']);
const MAX_TIME_TEXT = new Set(['292277025-08-18T07:12:54.999999999Z']);
export const MIN_TIME_MS = -9_223_309_901_257_974;
export const MAX_TIME_MS = 9_223_309_901_257_974;

/** Parses a time parameter to ms. */
export function parseTimeParam(name: string, text: string | null | undefined, def?: number): number {
  if (text === null || text === undefined || text === '') {
    if (def !== undefined) return def;
    throw badData(`invalid parameter "${name}": cannot parse "" to a valid timestamp`);
  }
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const s = Number(text);
    if (Number.isFinite(s)) return Math.round(s * 1000);
  }
  if (MIN_TIME_TEXT.has(text)) return MIN_TIME_MS;
  if (MAX_TIME_TEXT.has(text)) return MAX_TIME_MS;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  throw badData(`invalid parameter "${name}": cannot parse "${text}" to a valid timestamp`);
}

/** Parses a duration parameter (step, timeout, lookback_delta) to ms. */
export function parseDurationParam(name: string, text: string): number {
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const s = Number(text);
    if (Number.isFinite(s)) {
      if (s * 1000 > Number.MAX_SAFE_INTEGER) throw badData(`invalid parameter "${name}": cannot parse "${text}" to a valid duration. It overflows int64`);
      return Math.round(s * 1000);
    }
  }
  try {
    return parseDuration(text);
  } catch {
    throw badData(`invalid parameter "${name}": cannot parse "${text}" to a valid duration`);
  }
}
