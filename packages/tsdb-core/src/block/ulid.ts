// ULIDs name block directories, as in Prometheus: 48-bit millisecond time + 80 random bits,
// Crockford base32, 26 characters. Lexical order = creation order, which block listing
// and compaction planning rely on. Within one millisecond the random part is incremented
// (monotonic), so blocks cut in a tight loop still sort in creation order.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID_RE = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

let lastTime = -1;
let lastRandom: Uint8Array = new Uint8Array(10);

/** A new ULID for time `now` (ms). Monotonic within a process. */
export function ulid(now: number = Date.now()): string {
  let rnd: Uint8Array;
  if (now === lastTime) {
    rnd = Uint8Array.from(lastRandom);
    for (let i = 9; i >= 0; i--) {
      rnd[i] = (rnd[i]! + 1) & 0xff;
      if (rnd[i] !== 0) break;
    }
  } else {
    rnd = randomBytes(10);
  }
  lastTime = now;
  lastRandom = rnd;
  let out = '';
  // Time: 10 chars of 5 bits each (top 2 bits of the first are zero).
  let t = now;
  const timeChars: string[] = [];
  for (let i = 0; i < 10; i++) {
    timeChars.push(ALPHABET[t % 32]!);
    t = Math.floor(t / 32);
  }
  out += timeChars.reverse().join('');
  // Randomness: 80 bits = 16 chars.
  let acc = 0;
  let bits = 0;
  for (const b of rnd) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(acc >>> (bits - 5)) & 31]!;
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

export function isUlid(s: string): boolean {
  return ULID_RE.test(s);
}

/** The millisecond timestamp encoded in a ULID. */
export function ulidTime(id: string): number {
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + ALPHABET.indexOf(id[i]!);
  return t;
}
