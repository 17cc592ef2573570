import { describe, expect, it } from 'vitest';
import { filterNames } from './metrics-explorer.js';

describe('filterNames', () => {
  const names = ['node_cpu_seconds_total', 'node_load1', 'up', 'prometheus_http_requests_total'];
  it('keeps names containing every word, case-insensitively', () => {
    expect(filterNames(names, 'cpu')).toEqual(['node_cpu_seconds_total']);
    expect(filterNames(names, 'NODE total')).toEqual(['node_cpu_seconds_total']);
    expect(filterNames(names, '  ')).toEqual(names);
    expect(filterNames(names, 'nope')).toEqual([]);
  });
});
