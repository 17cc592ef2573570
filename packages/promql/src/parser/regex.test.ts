import { describe, expect, it } from 'vitest';
import { compileAnchored, PromMatcher, re2ToJs } from './regex.js';

describe('RE2 translation', () => {
  it('supports inline case-insensitive flags', () => {
    const re = compileAnchored('(?i:PRO).*');
    expect(re.test('production')).toBe(true);
    expect(re.test('xproduction')).toBe(false);
    expect(compileAnchored('(?i)abc').test('AbC')).toBe(true);
    expect(compileAnchored('a(?i)b').test('aB')).toBe(true);
    expect(compileAnchored('a(?i)b').test('AB')).toBe(false);
    expect(compileAnchored('(?i)[a-c]+').test('aBC')).toBe(true);
  });

  it('translates named groups and anchors, and keeps `.` matching newlines', () => {
    expect(re2ToJs('(?P<x>a)')).toBe('(?<x>a)');
    expect(compileAnchored('a.b').test('a\nb')).toBe(true);
    expect(compileAnchored('\\Aab\\z').test('ab')).toBe(true);
  });

  it('PromMatcher keeps the RE2 pattern as value and matches with it', () => {
    const m = new PromMatcher('=~', 'group', '(?i)canary');
    expect(m.value).toBe('(?i)canary');
    expect(m.matches('CANARY')).toBe(true);
    expect(new PromMatcher('!~', 'group', '(?i)canary').matches('Canary')).toBe(false);
    expect(new PromMatcher('=', 'a', 'b').matches('b')).toBe(true);
    expect(() => new PromMatcher('=~', 'a', '(')).toThrow('error parsing regexp');
  });
});
