// Baseline suite: label-set construction, the first thing every appended series pays for.
import { Labels } from '@promethium/tsdb-core';
import { defineSuite } from '../src/harness.js';

export default defineSuite({
  name: 'labels',
  description: 'label set construction and lookup (tsdb-core)',
  async run(ctx) {
    const pairs: [string, string][] = [
      ['__name__', 'node_cpu_seconds_total'],
      ['cpu', '0'],
      ['instance', 'localhost:9100'],
      ['job', 'node'],
      ['mode', 'idle'],
    ];
    const built = Labels.from(pairs);
    await ctx.bench([
      { name: 'construct 5-label set', impl: 'promethium', fn: () => Labels.from(pairs) },
      { name: 'get("job")', impl: 'promethium', fn: () => built.get('job') },
    ]);
  },
});
