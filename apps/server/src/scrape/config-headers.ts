// http_headers of a client config (Prometheus 3 common config): values and secrets as written,
// files re-read for every request as Prometheus' headers round tripper does.
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
