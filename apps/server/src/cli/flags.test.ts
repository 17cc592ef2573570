import { describe, expect, it } from 'vitest';
import { FlagError, boolFlag, enumFlag, parseFlags, stringFlag, usage } from './flags.js';

const defs = {
  file: stringFlag('config.file', 'Config file.', 'prometheus.yml'),
  lifecycle: boolFlag('web.enable-lifecycle', 'Lifecycle.'),
  on: boolFlag('feature.on', 'Default on.', true),
  format: enumFlag('log.format', 'Format.', ['logfmt', 'json'], 'logfmt'),
};

describe('parseFlags', () => {
  it('applies defaults', () => {
    const p = parseFlags(defs, []);
    expect(p.values).toEqual({ file: 'prometheus.yml', lifecycle: false, on: true, format: 'logfmt' });
    expect(p.raw).toEqual({ 'config.file': 'prometheus.yml', 'web.enable-lifecycle': 'false', 'feature.on': 'true', 'log.format': 'logfmt' });
    expect(p.set.size).toBe(0);
  });
  it('accepts --flag=v, --flag v, --flag and --no-flag', () => {
    const p = parseFlags(defs, ['--config.file', 'a.yml', '--web.enable-lifecycle', '--no-feature.on', '--log.format=json']);
    expect(p.values).toEqual({ file: 'a.yml', lifecycle: true, on: false, format: 'json' });
    expect([...p.set].sort()).toEqual(['config.file', 'feature.on', 'log.format', 'web.enable-lifecycle']);
    expect(parseFlags(defs, ['--web.enable-lifecycle=false']).values.lifecycle).toBe(false);
    expect(parseFlags(defs, ['--config.file=']).values.file).toBe('');
    expect(parseFlags(defs, ['--config.file=a=b']).values.file).toBe('a=b');
  });
  it('recognises --help', () => {
    expect(parseFlags(defs, ['--help']).help).toBe(true);
    expect(parseFlags(defs, ['-h']).help).toBe(true);
  });
  it('rejects unknown flags, missing and bad values, positionals', () => {
    expect(() => parseFlags(defs, ['--nope'])).toThrow(FlagError);
    expect(() => parseFlags(defs, ['--nope'])).toThrow("unknown long flag '--nope', try --help");
    expect(() => parseFlags(defs, ['--no-config.file'])).toThrow(/unknown long flag '--no-config.file'/);
    expect(() => parseFlags(defs, ['--config.file'])).toThrow("expected argument for flag '--config.file'");
    expect(() => parseFlags(defs, ['--log.format=xml'])).toThrow(
      'invalid value "xml" for flag --log.format: expected one of logfmt, json, got "xml"',
    );
    expect(() => parseFlags(defs, ['--web.enable-lifecycle=yes'])).toThrow(/expected true or false/);
    expect(() => parseFlags(defs, ['stray'])).toThrow(/unexpected argument "stray"/);
    expect(() => parseFlags(defs, ['--config.file=a', '--config.file=b'])).toThrow(/cannot be repeated/);
  });
  it('renders usage with every flag and its default', () => {
    const text = usage(defs, 'app', 'Does things.');
    expect(text).toContain('--config.file=<string>');
    expect(text).toContain('Default: prometheus.yml');
    expect(text).toContain('--[no-]web.enable-lifecycle');
    expect(text).toContain('One of: [logfmt, json]');
  });
});
