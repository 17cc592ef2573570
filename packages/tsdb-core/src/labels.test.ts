import { describe, expect, it } from 'vitest';
import { Labels } from './index.js';

describe('Labels', () => {
  it('sorts by name and looks up values', () => {
    const l = new Labels([['job', 'a'], ['__name__', 'up']]);
    expect(l.toString()).toBe('{__name__="up", job="a"}');
    expect(l.get('job')).toBe('a');
    expect(l.get('missing')).toBe('');
  });
});
