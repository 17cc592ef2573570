import { describe, expect, it } from 'vitest';
import { MetadataCache } from './metadata.js';

function scrape(m: MetadataCache, lines: [string, 'type' | 'help' | 'unit', string][]): void {
  m.begin();
  for (const [name, kind, v] of lines) {
    if (kind === 'type') m.setType(name, v as 'counter');
    else if (kind === 'help') m.setHelp(name, v);
    else m.setUnit(name, v);
  }
  m.commit();
}

describe('MetadataCache', () => {
  it('shows exactly what the last scrape exposed', () => {
    const m = new MetadataCache();
    scrape(m, [['a', 'type', 'counter'], ['a', 'help', 'A.'], ['b', 'type', 'gauge'], ['b', 'unit', 'seconds']]);
    expect(m.list()).toEqual([
      ['a', { type: 'counter', help: 'A.', unit: '' }],
      ['b', { type: 'gauge', help: '', unit: 'seconds' }],
    ]);
    // b gone, a lost its TYPE and changed HELP, c new.
    scrape(m, [['a', 'help', 'A again.'], ['c', 'help', 'C.']]);
    expect(m.list()).toEqual([
      ['a', { type: 'unknown', help: 'A again.', unit: '' }],
      ['c', { type: 'unknown', help: 'C.', unit: '' }],
    ]);
    expect(m.get('b')).toBeUndefined();
    expect(m.size).toBe(2);
  });

  it('keeps what it had when a scrape never commits (failed mid-way)', () => {
    const m = new MetadataCache();
    scrape(m, [['a', 'type', 'counter'], ['b', 'type', 'gauge']]);
    m.begin();
    m.setType('a', 'counter');
    expect(m.get('b')).toEqual({ type: 'gauge', help: '', unit: '' });
    scrape(m, [['b', 'type', 'gauge']]);
    expect(m.list().map(([n]) => n)).toEqual(['b']);
  });

  it('hands out copies, so a caller cannot change the cache', () => {
    const m = new MetadataCache();
    scrape(m, [['a', 'type', 'counter']]);
    m.get('a')!.type = 'gauge';
    expect(m.get('a')!.type).toBe('counter');
  });
});
