import { describe, expect, it } from 'vitest';
import { RegexSyntaxError, compileAnchored, expandTemplate } from './regex.js';

describe('Go regex translation', () => {
  it('handles RE2 syntax JS lacks', () => {
    expect(compileAnchored('(?i)FOO').test('foo')).toBe(true);
    expect(compileAnchored('(?P<x>a)b').exec('ab')?.groups?.x).toBe('a');
    expect(compileAnchored('[[:digit:]]+').test('123')).toBe(true);
    expect(compileAnchored('[[:alpha:]_]+').test('ab_c')).toBe(true);
    expect(compileAnchored('\\Qa.b\\E').test('a.b')).toBe(true);
    expect(compileAnchored('\\Qa.b\\E').test('axb')).toBe(false);
    expect(compileAnchored('a|b').test('ab')).toBe(false);
  });
  it('rejects what RE2 rejects', () => {
    expect(() => compileAnchored('a(?=b)')).toThrow(RegexSyntaxError);
    expect(() => compileAnchored('(a)\\1')).toThrow(/backreferences/);
    expect(() => compileAnchored('(')).toThrow(RegexSyntaxError);
  });
  it('expands templates like Go', () => {
    const m = /^(?<g>a)(b)$/.exec('ab')!;
    expect(expandTemplate('$1-$2-${2}x-$g-$$-$', m)).toBe('a-b-bx-a-$-$');
    expect(expandTemplate('$2x', m)).toBe('');
    expect(expandTemplate('${nope}', m)).toBe('');
  });
});
