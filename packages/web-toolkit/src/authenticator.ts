// Basic-auth verification against bcrypt hashes. bcrypt is slow by design, so verified
// (user, hash, password) triples are cached, as exporter-toolkit does: the cost is paid once
// per credential. Unknown users are checked against a dummy hash of the same cost, so the
// answer time does not reveal which users exist.
import bcrypt from 'bcryptjs';
import { createHash, timingSafeEqual } from 'node:crypto';

const DUMMY_HASH = bcrypt.hashSync('promethium-dummy-password', 10);
const CACHE_LIMIT = 1024;

export class Authenticator {
  private readonly cache = new Map<string, boolean>();
  // Concurrent requests with the same new credential (a scraper opening several connections)
  // share one bcrypt check instead of each paying for it.
  private readonly pending = new Map<string, Promise<boolean>>();
  /** How many bcrypt comparisons ran and how many answers came from the cache. */
  readonly stats = { bcryptChecks: 0, cacheHits: 0 };

  /** Resolves true when the credentials match the user's bcrypt hash. */
  async verify(users: ReadonlyMap<string, string>, user: string, password: string): Promise<boolean> {
    const known = users.get(user);
    const hash = known ?? DUMMY_HASH;
    const key = createHash('sha256').update(user).update('\0').update(hash).update('\0').update(password).digest('hex');
    let ok = this.cache.get(key);
    if (ok !== undefined) this.stats.cacheHits++;
    else {
      let check = this.pending.get(key);
      if (!check) {
        this.stats.bcryptChecks++;
        check = bcrypt.compare(password, hash).finally(() => this.pending.delete(key));
        this.pending.set(key, check);
      }
      ok = await check;
      if (!this.cache.has(key)) {
        if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
        this.cache.set(key, ok);
      }
    }
    return ok && known !== undefined;
  }
}

/** Parses an Authorization: Basic header; undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  if (!header) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Constant-time string comparison for tokens. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** A bcrypt hash for basic_auth_users (cost 10 unless told: what exporter-toolkit's docs use). */
export function hashPassword(password: string, cost = 10): string {
  return bcrypt.hashSync(password, cost);
}
