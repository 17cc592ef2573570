import { describe, expect, it } from 'vitest';
import { helpText, parseBytes, parseDuration, parseFlags } from './flags.js';

describe('flags', () => {
  it('has the real defaults', () => {
    const { flags, raw } = parseFlags([]);
    expect(flags['web.listen-address']).toBe(':9091');
    expect(flags['web.telemetry-path']).toBe('/metrics');
    expect(flags['persistence.interval']).toBe(300_000);
    expect(flags['push.disable-consistency-check']).toBe(false);
    expect(flags['push.max-body-bytes']).toBe(16 * 1024 * 1024);
    expect(raw['persistence.interval']).toBe('5m');
  });
  it('parses both forms, booleans and --no-', () => {
    const { flags } = parseFlags(['--web.listen-address', '127.0.0.1:0', '--persistence.interval=1h30m', '--web.enable-admin-api', '--no-web.enable-lifecycle', '--log.format=json', '--push.max-body-bytes=1KiB']);
    expect(flags).toMatchObject({ 'web.listen-address': '127.0.0.1:0', 'persistence.interval': 5_400_000, 'web.enable-admin-api': true, 'web.enable-lifecycle': false, 'log.format': 'json', 'push.max-body-bytes': 1024 });
    expect(parseFlags(['--web.external-url=http://x/pg/']).flags['web.route-prefix']).toBe('/pg/');
  });
  it('refuses bad input, naming the flag', () => {
    expect(() => parseFlags(['--nope'])).toThrow("unknown long flag '--nope'");
    expect(() => parseFlags(['--persistence.interval=5x'])).toThrow('--persistence.interval: not a valid duration string: "5x"');
    expect(() => parseFlags(['--log.level=loud'])).toThrow(/--log.level: enum value must be one of debug,info,warn,error/);
    expect(() => parseFlags(['--web.telemetry-path'])).toThrow("expected argument for flag '--web.telemetry-path'");
    expect(() => parseBytes('1 parsec')).toThrow(/not a valid byte size/);
    expect(parseDuration('500ms')).toBe(500);
  });
  it('lists every flag in --help', () => {
    const h = helpText('promethium-pushgateway');
    for (const f of ['--web.listen-address', '--web.telemetry-path', '--web.route-prefix', '--persistence.file', '--persistence.interval', '--push.disable-consistency-check', '--log.level', '--log.format', '--push.max-body-bytes', '--web.enable-admin-api', '--web.enable-lifecycle']) {
      expect(h).toContain(f);
    }
  });
});
