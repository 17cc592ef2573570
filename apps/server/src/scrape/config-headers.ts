// The headers a client config adds to every request: http_headers (Prometheus 3 common config)
// and Authorization from basic_auth / authorization. Secret files are re-read for every request,
// as Prometheus' round trippers do, so a rotated secret applies without a reload.
import { readFile } from 'node:fs/promises';
import type { HttpClientConfig } from '../config/types.js';

export class HeaderFileError extends Error {}

/** The configured headers of one request, each with its values in order; undefined when none. */
export async function configHeaders(cfg: HttpClientConfig): Promise<Record<string, string[]> | undefined> {
  const hs = cfg.http_headers;
  if (!hs) return undefined;
  const out: Record<string, string[]> = {};
  for (const name in hs) {
    const h = hs[name]!;
    const values = [...h.values, ...h.secrets];
    for (const f of h.files) {
      let text: string;
      try {
        text = (await readFile(f, 'utf8')).trim();
      } catch (e) {
        throw new HeaderFileError(`unable to read headers file ${f}: ${(e as Error).message}`);
      }
      // A line break in the file would otherwise inject headers.
      if (/[\r\n\0]/.test(text)) throw new HeaderFileError(`net/http: invalid header field value for "${name}" (from ${f})`);
      values.push(text);
    }
    if (values.length > 0) out[name] = values;
  }
  return out;
}

async function fileText(path: string): Promise<string> {
  return (await readFile(path, 'utf8')).trim();
}

/** Authorization header for a config; secret files are re-read each request, as Prometheus does. */
export async function authorizationHeader(cfg: HttpClientConfig): Promise<string | undefined> {
  if (cfg.basic_auth) {
    const b = cfg.basic_auth;
    const user = b.username_file ? await fileText(b.username_file) : b.username;
    const pass = b.password_file ? await fileText(b.password_file) : (b.password ?? '');
    return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }
  if (cfg.authorization) {
    const a = cfg.authorization;
    const cred = a.credentials_file ? await fileText(a.credentials_file) : (a.credentials ?? '');
    const value = `${a.type} ${cred}`;
    // A secret with a line break would otherwise inject headers.
    if (/[\r\n\0]/.test(value)) throw new HeaderFileError('net/http: invalid header field value for "Authorization"');
    return value;
  }
  return undefined;
}

/**
 * http_headers plus Authorization, for clients that send nothing else of their own (remote write,
 * remote read, the notifier). A secret file that cannot be read is a HeaderFileError naming it.
 */
export async function clientHeaders(cfg: HttpClientConfig): Promise<Record<string, string | string[]>> {
  const out: Record<string, string | string[]> = { ...(await configHeaders(cfg)) };
  if (!cfg.basic_auth && !cfg.authorization) return out;
  let auth: string | undefined;
  try {
    auth = await authorizationHeader(cfg);
  } catch (e) {
    throw new HeaderFileError(`unable to read credentials: ${(e as Error).message}`);
  }
  if (auth !== undefined) out.Authorization = auth;
  return out;
}
