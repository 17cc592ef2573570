import { describe, expect, it } from 'vitest';
import { isUlid, ulid, ulidTime } from './ulid.js';

describe('ulid', () => {
  it('encodes the time and sorts by creation order', () => {
    const t = 1_700_000_000_123;
    const ids = Array.from({ length: 50 }, () => ulid(t));
    for (const id of ids) {
      expect(isUlid(id)).toBe(true);
      expect(id).toHaveLength(26);
      expect(ulidTime(id)).toBe(t);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ulid(t + 1) > ids[ids.length - 1]!).toBe(true);
  });

  it('rejects non-ULIDs', () => {
    expect(isUlid('01BX6V6TY06G5MFQ0GPH7EMXRH')).toBe(true);
    expect(isUlid('01BX6V6TY06G5MFQ0GPH7EMXRI')).toBe(false);
    expect(isUlid('wal')).toBe(false);
  });
});
