import { describe, expect, it } from 'vitest';
import { Logger } from './logger.js';

function capture(format: 'logfmt' | 'json', level: 'debug' | 'info' | 'warn' | 'error' = 'info') {
  const lines: string[] = [];
  const log = new Logger({ format, level, sink: { write: (l: string) => lines.push(l) }, now: () => new Date(0) });
  return { log, lines };
}

describe('Logger', () => {
  it('writes logfmt with component and quoting', () => {
    const { log, lines } = capture('logfmt');
    log.with({ component: 'scrape manager' }).info('Scrape failed', { target: 'http://a:1/metrics', err: new Error('x "y"'), n: 3 });
    expect(lines).toEqual([
      'ts=1970-01-01T00:00:00.000Z level=info component="scrape manager" msg="Scrape failed" target=http://a:1/metrics err="x \\"y\\"" n=3\n',
    ]);
  });
  it('writes JSON', () => {
    const { log, lines } = capture('json');
    log.with({ component: 'web' }).warn('hi', { a: 1 });
    expect(JSON.parse(lines[0]!)).toEqual({ ts: '1970-01-01T00:00:00.000Z', level: 'warn', component: 'web', msg: 'hi', a: 1 });
  });
  it('filters by level, also in children', () => {
    const { log, lines } = capture('logfmt', 'warn');
    log.info('no');
    log.with({ component: 'x' }).debug('no');
    log.with({ component: 'x' }).error('yes');
    expect(lines).toHaveLength(1);
    expect(log.enabled('debug')).toBe(false);
  });
});
