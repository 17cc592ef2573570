import { describe, expect, it } from 'vitest';
import { groupByPool, parseTargets } from './targets-api.js';

const target = {
  discoveredLabels: { __address__: '127.0.0.1:9100', job: 'node' },
  labels: { instance: '127.0.0.1:9100', job: 'node' },
  scrapePool: 'node',
  scrapeUrl: 'http://127.0.0.1:9100/metrics',
  globalUrl: 'http://host:9100/metrics',
  lastError: '',
  lastScrape: '2024-01-02T03:04:05.5Z',
  lastScrapeDuration: 0.012,
  health: 'up',
  scrapeInterval: '15s',
  scrapeTimeout: '10s',
};

describe('parseTargets', () => {
  it('reads active and dropped targets', () => {
    const d = parseTargets({ activeTargets: [target], droppedTargets: [{ discoveredLabels: { job: 'x', __address__: 'a' } }] });
    expect(d.activeTargets[0]!.lastScrape).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 500));
    expect(d.activeTargets[0]!.health).toBe('up');
    expect(d.droppedTargets[0]!.scrapePool).toBe('x');
  });
  it('treats the zero time as never scraped and odd health as unknown', () => {
    const d = parseTargets({ activeTargets: [{ ...target, lastScrape: '0001-01-01T00:00:00Z', health: 'weird' }] });
    expect(d.activeTargets[0]!.lastScrape).toBeNaN();
    expect(d.activeTargets[0]!.health).toBe('unknown');
  });
  it('names bad fields', () => {
    expect(() => parseTargets({ activeTargets: [{ ...target, labels: { a: 1 } }] })).toThrow(/activeTargets\[0\].labels.a/);
    expect(() => parseTargets({ activeTargets: [{ ...target, scrapeUrl: 3 }] })).toThrow(/activeTargets\[0\].scrapeUrl: expected a string/);
    expect(() => parseTargets({ activeTargets: 'x' })).toThrow(/activeTargets: expected an array/);
    expect(() => parseTargets([])).toThrow(/expected an object/);
  });
  it('groups by pool in name order', () => {
    const g = groupByPool([{ scrapePool: 'b' }, { scrapePool: 'a' }, { scrapePool: 'b' }]);
    expect([...g.keys()]).toEqual(['a', 'b']);
    expect(g.get('b')).toHaveLength(2);
  });
});
