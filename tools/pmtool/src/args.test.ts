import { describe, expect, it } from 'vitest';
import { flag, parseArgs, UsageError, type FlagSpec } from './args.js';

const specs: FlagSpec[] = [
  { name: 'format', short: 'o', help: 'output', value: 'FORMAT', default: 'promql' },
  { name: 'match', help: 'selector', value: 'MATCH', repeatable: true },
  { name: 'lint', help: 'lint', boolean: true },
];

describe('parseArgs', () => {
  it('takes --f=v, --f v, -o v, -ov and positionals in any order', () => {
    const p = parseArgs(['http://x', '--match=up', '--match', 'a', '-o', 'json', 'expr'], specs);
    expect(p.positional).toEqual(['http://x', 'expr']);
    expect(p.flags.get('match')).toEqual(['up', 'a']);
    expect(flag(p, 'format')).toBe('json');
    expect(flag(parseArgs(['-ojson'], specs), 'format')).toBe('json');
    expect(flag(parseArgs([], specs), 'format')).toBe('promql');
  });
  it('handles boolean flags and negation', () => {
    expect(flag(parseArgs(['--lint'], specs), 'lint')).toBe('true');
    expect(flag(parseArgs(['--no-lint'], specs), 'lint')).toBe('false');
  });
  it('rejects unknown or incomplete flags clearly', () => {
    expect(() => parseArgs(['--nope'], specs)).toThrow(new UsageError("unknown long flag '--nope'"));
    expect(() => parseArgs(['--format'], specs)).toThrow("expected argument for flag '--format'");
    expect(() => parseArgs(['-o', 'a', '-o', 'b'], specs)).toThrow('cannot be repeated');
  });
  it('treats negative numbers as positionals', () => {
    expect(parseArgs(['-5'], specs).positional).toEqual(['-5']);
  });
});
