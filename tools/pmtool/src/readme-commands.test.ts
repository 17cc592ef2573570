// The README's shell command lines name real commands with flags those commands accept.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandNames } from './cli.js';
import { CREATE_BLOCKS_SPEC } from './commands/tsdb-create-blocks.js';
import { ANALYZE_SPEC } from './commands/tsdb-analyze.js';
import { DUMP_SPEC } from './commands/tsdb-dump.js';
import { LIST_SPEC } from './commands/tsdb-list.js';
import { PUSH_SPEC } from './commands/push.js';

const README = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

function commandLines(): string[] {
  const out: string[] = [];
  for (const block of README.split('```').filter((_, i) => i % 2 === 1)) {
    for (const line of block.split('\n')) {
      const m = /(?:^|\| |\$ )(pmtool .*)$/.exec(line.trim());
      if (m) out.push(m[1]!.replace(/\s+#.*$/, ''));
    }
  }
  return out;
}

describe('README', () => {
  const lines = commandLines();
  it('shows every tsdb and push command', () => {
    for (const name of ['tsdb create-blocks-from openmetrics', 'tsdb list', 'tsdb analyze', 'tsdb dump', 'push']) {
      expect(lines.some((l) => l.startsWith(`pmtool ${name} `)), name).toBe(true);
    }
  });
  it('uses only commands and flags that exist', () => {
    const names = commandNames().sort((a, b) => b.length - a.length);
    const specs = new Map([CREATE_BLOCKS_SPEC, ANALYZE_SPEC, DUMP_SPEC, LIST_SPEC, PUSH_SPEC].map((s) => [s.name, s]));
    for (const line of lines) {
      if (line === 'pmtool --help') continue;
      const name = names.find((n) => line.startsWith(`pmtool ${n} `) || line === `pmtool ${n}`);
      expect(name, line).toBeDefined();
      const spec = specs.get(name!);
      if (!spec) continue;
      for (const [, flagName] of line.matchAll(/\s--([a-z-]+)/g)) {
        expect(spec.flags.map((f) => f.name), `${line}: --${flagName}`).toContain(flagName);
      }
      for (const [, short] of line.matchAll(/\s-([a-z])\b/g)) {
        expect(spec.flags.map((f) => f.short), `${line}: -${short}`).toContain(short);
      }
    }
  });
});
