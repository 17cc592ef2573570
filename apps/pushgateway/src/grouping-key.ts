// Parses the push URL `/metrics/job/<job>{/<label>/<value>}` (after the route prefix) into a
// grouping key, with the real Pushgateway's status codes and messages.

export type GroupingKey = Record<string, string>;

/** A refusal of a push URL; `status` is what the real Pushgateway answers. */
export class GroupingKeyError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
    this.name = 'GroupingKeyError';
  }
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const BASE64_SUFFIX = '@base64';
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Go's strconv.Quote for the ASCII-ish strings that appear in these messages. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/**
 * Decodes RFC 4648 URL-safe base64; padding is optional (trailing "=" are trimmed, as the
 * real Pushgateway does), so "=" alone is the empty string. Errors read like Go's.
 */
export function decodeBase64Url(s: string): string {
  const trimmed = s.replace(/=+$/, '');
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed.charCodeAt(i);
    const ok =
      (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95;
    if (!ok) throw new Error(`illegal base64 data at input byte ${i}`);
  }
  if (trimmed.length % 4 === 1) throw new Error(`illegal base64 data at input byte ${trimmed.length - 1}`);
  const bytes = Buffer.from(trimmed, 'base64url');
  try {
    return utf8.decode(bytes);
  } catch {
    // The real one stores such values and then fails every later push; refuse them up front.
    throw new Error('decoded value is not valid UTF-8');
  }
}

/**
 * `segments` are the decoded, non-empty path segments after `/metrics/`.
 * Returns the grouping labels (job first in the URL, stored sorted by name).
 */
export function parseGroupingKey(segments: readonly string[]): GroupingKey {
  const [first, job] = segments;
  if ((first !== 'job' && first !== `job${BASE64_SUFFIX}`) || job === undefined) {
    throw new GroupingKeyError(404, '404 page not found');
  }
  let jobValue = job;
  if (first !== 'job') {
    try {
      jobValue = decodeBase64Url(job);
    } catch (e) {
      throw new GroupingKeyError(400, `invalid base64 encoding in job name "": ${(e as Error).message}`);
    }
  }
  if (jobValue === '') throw new GroupingKeyError(400, 'job name is required');
  const rest = segments.slice(2);
  if (rest.length % 2 !== 0) {
    throw new GroupingKeyError(400, `odd number of components in label string ${goQuote('/' + rest.join('/'))}`);
  }
  const pairs: [string, string][] = [['job', jobValue]];
  for (let i = 0; i < rest.length; i += 2) {
    let name = rest[i]!;
    let value = rest[i + 1]!;
    if (name.endsWith(BASE64_SUFFIX)) {
      name = name.slice(0, -BASE64_SUFFIX.length);
      try {
        value = decodeBase64Url(value);
      } catch (e) {
        throw new GroupingKeyError(
          400,
          `invalid base64 encoding for label ${name}=${goQuote(rest[i + 1]!)}: ${(e as Error).message}`,
        );
      }
    }
    if (!LABEL_NAME.test(name) || name.startsWith('__')) {
      throw new GroupingKeyError(400, `improper label name ${goQuote(name)}`);
    }
    pairs.push([name, value]);
  }
  const key: GroupingKey = {};
  for (const [n, v] of pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) key[n] = v;
  return key;
}

/** A canonical string for a grouping key, used as the store's map key. */
export function groupId(key: GroupingKey): string {
  let id = '';
  for (const name of Object.keys(key).sort()) id += `${name}\xff${key[name]}\xfe`;
  return id;
}

/**
 * Splits and decodes a raw (percent-encoded) URL path the way Go's server + router do:
 * the whole path is unescaped first (so %2F splits), then empty segments vanish.
 * Returns null for an undecodable path (Go answers "400 Bad Request").
 */
export function splitPath(rawPath: string): { segments: string[]; cleaned: boolean } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  const parts = decoded.split('/');
  const segments = parts.filter((p) => p !== '');
  return { segments, cleaned: segments.length + 1 !== parts.length };
}
