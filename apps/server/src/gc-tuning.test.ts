import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tuneHeapGrowth } from './gc-tuning.js';

describe('heap growth tuning', () => {
  it('leaves a headroom the operator chose on the node command line alone', () => {
    expect(tuneHeapGrowth(['--heap-growing-percent=20'])).toBe(false);
    expect(tuneHeapGrowth(['--heap_growing_percent=20'])).toBe(false);
    expect(tuneHeapGrowth(['--max-old-space-size=4096'])).toBe(true);
  });

  it('is a flag this Node accepts (an unknown one would be ignored silently)', () => {
    const out = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(out).toContain('--heap-growing-percent');
  });
});
