// Client for the Prometheus-compatible HTTP API v1. Every answer is checked against the envelope
// ({status, data} or {status:"error", errorType, error}) before the pages trust it.
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errorType: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Base URL of the API, relative to where the UI is mounted (works under a route prefix). */
export function apiBase(loc: { origin: string; pathname: string } = window.location): string {
  const dir = loc.pathname.slice(0, loc.pathname.lastIndexOf('/') + 1);
  return `${loc.origin}${dir}`;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Unwraps an API envelope; throws ApiError naming what was wrong. */
export function unwrapEnvelope(body: unknown, httpStatus: number, path: string): unknown {
  if (!isRecord(body)) throw new ApiError(`${path}: expected a JSON object, got ${typeof body}`, httpStatus, 'bad_response', path);
  if (body.status === 'success') {
    if (!('data' in body)) throw new ApiError(`${path}: "data" missing from a success response`, httpStatus, 'bad_response', path);
    return body.data;
  }
  if (body.status === 'error') {
    const msg = typeof body.error === 'string' ? body.error : 'unknown error';
    const type = typeof body.errorType === 'string' ? body.errorType : 'unknown';
    throw new ApiError(msg, httpStatus, type, path);
  }
  throw new ApiError(`${path}: "status" must be "success" or "error"`, httpStatus, 'bad_response', path);
}

async function request(path: string, init: RequestInit, params: Record<string, string | undefined>, method: 'GET' | 'POST'): Promise<[unknown, number]> {
  const url = new URL(`api/v1/${path}`, apiBase());
  const defined = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  if (method === 'GET') for (const [k, v] of defined) url.searchParams.set(k, v);
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      method,
      headers: { Accept: 'application/json' },
      ...(method === 'POST' ? { body: new URLSearchParams(defined) } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(`cannot reach the server: ${(err as Error).message}`, 0, 'network', path);
  }
  const text = await res.text();
  try {
    return [JSON.parse(text), res.status];
  } catch {
    throw new ApiError(`${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 200) || '(empty body)'}`, res.status, 'bad_response', path);
  }
}

export async function apiGet(path: string, params: Record<string, string | undefined> = {}, signal?: AbortSignal): Promise<unknown> {
  const [body, status] = await request(path, { signal: signal ?? null }, params, 'GET');
  return unwrapEnvelope(body, status, path);
}

/** Strings from the envelope's "warnings" and "infos" (Prometheus 2.x sends warnings; 3.x adds infos). */
export function envelopeNotes(body: unknown): { warnings: string[]; infos: string[] } {
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return isRecord(body) ? { warnings: strings(body.warnings), infos: strings(body.infos) } : { warnings: [], infos: [] };
}

export interface QueryAnswer {
  data: unknown;
  warnings: string[];
  infos: string[];
}

/** A query endpoint: long expressions go in a POST body (URLs have length limits along the way). */
export async function apiQuery(path: 'query' | 'query_range', params: Record<string, string>, signal: AbortSignal): Promise<QueryAnswer> {
  const method = (params.query ?? '').length > 1500 ? 'POST' : 'GET';
  const [body, status] = await request(path, { signal }, params, method);
  return { data: unwrapEnvelope(body, status, path), ...envelopeNotes(body) };
}

export function asString(v: unknown, where: string): string {
  if (typeof v !== 'string') throw new ApiError(`${where}: expected a string`, 200, 'bad_response', where);
  return v;
}

export function asArray(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new ApiError(`${where}: expected an array`, 200, 'bad_response', where);
  return v;
}

export function asLabels(v: unknown, where: string): Record<string, string> {
  if (!isRecord(v)) throw new ApiError(`${where}: expected a label object`, 200, 'bad_response', where);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') throw new ApiError(`${where}.${k}: label value must be a string`, 200, 'bad_response', where);
    out[k] = val;
  }
  return out;
}
