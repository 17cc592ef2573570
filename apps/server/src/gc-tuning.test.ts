import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS, tuneHeapGrowth } from './gc-tuning.js';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');
const flags = SERVER_NODE_FLAGS.join(' ');

describe('heap tuning', () => {
  it('leaves a headroom the operator chose on the node command line alone', () => {
    expect(tuneHeapGrowth(['--heap-growing-percent=20'])).toBeUndefined();
    expect(tuneHeapGrowth(['--heap_growing_percent=20'])).toBeUndefined();
    expect(tuneHeapGrowth(['--max-old-space-size=4096'])).toBe('--heap-growing-percent=50');
  });

  it('uses flags this Node knows (an unknown V8 flag would be ignored silently)', () => {
    const out = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(out).toContain('--heap-growing-percent');
    expect(out).toContain('--memory-reducer');
    // And node starts with them.
    expect(execFileSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' })).toBe('ok');
  });

  it('is what every production start passes to node', () => {
    expect(readFileSync(join(app, 'src/main.ts'), 'utf8').split('\n')[0]).toBe(`#!/usr/bin/env -S node ${flags}`);
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe(`node ${flags} dist/main.js`);
    const docker = readFileSync(join(app, '../../docker/server.Dockerfile'), 'utf8');
    expect(docker).toContain(`ENTRYPOINT ["node", ${SERVER_NODE_FLAGS.map((f) => `"${f}"`).join(', ')}, "/app/dist/main.js"]`);
  });
});
