// The credential cache: bcrypt's cost paid once per credential.
import { describe, expect, it } from 'vitest';
import { Authenticator, hashPassword } from './authenticator.js';

describe('Authenticator cache', () => {
  it('runs bcrypt once per credential, even for concurrent first requests', async () => {
    const auth = new Authenticator();
    const users = new Map([['alice', hashPassword('pw', 4)]]);
    const first = await Promise.all(Array.from({ length: 10 }, () => auth.verify(users, 'alice', 'pw')));
    expect(first.every(Boolean)).toBe(true);
    expect(auth.stats.bcryptChecks).toBe(1);
    for (let i = 0; i < 5; i++) expect(await auth.verify(users, 'alice', 'pw')).toBe(true);
    expect(auth.stats).toEqual({ bcryptChecks: 1, cacheHits: 5 });
    expect(await auth.verify(users, 'alice', 'other')).toBe(false);
    expect(await auth.verify(users, 'mallory', 'pw')).toBe(false);
    expect(auth.stats.bcryptChecks).toBe(3);
  });
});
