import { describe, expect, it } from 'vitest';
import { routeFor } from './router.js';

describe('routeFor', () => {
  it('maps the last path segment, under any prefix', () => {
    expect(routeFor('/')).toBe('query');
    expect(routeFor('/graph')).toBe('query');
    expect(routeFor('/query')).toBe('query');
    expect(routeFor('/prometheus/targets')).toBe('targets');
    expect(routeFor('/prometheus/')).toBe('query');
    expect(routeFor('/tsdb-status')).toBe('tsdb-status');
    expect(routeFor('/service-discovery')).toBe('service-discovery');
  });
  it('returns undefined for unknown pages', () => {
    expect(routeFor('/nope')).toBeUndefined();
    expect(routeFor('/targets/extra')).toBeUndefined();
  });
});
