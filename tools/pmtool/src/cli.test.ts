import { describe, expect, it } from 'vitest';
import { commandNames } from './cli.js';
import { ANALYZE_SPEC } from './commands/tsdb-analyze.js';
import { CREATE_BLOCKS_SPEC } from './commands/tsdb-create-blocks.js';
import { DUMP_SPEC } from './commands/tsdb-dump.js';
import { LIST_SPEC } from './commands/tsdb-list.js';
import { PUSH_SPEC } from './commands/push.js';
import { runCli } from './index.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdin: () => Promise.resolve(Buffer.alloc(0)), stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) },
  };
}

describe('pmtool cli', () => {
  it('prints help', async () => {
    const t = io();
    expect(await runCli(['--help'], t.io)).toBe(0);
    expect(t.out.join('')).toContain('usage: pmtool');
  });
  it('rejects unknown commands like promtool', async () => {
    const t = io();
    expect(await runCli(['frobnicate'], t.io)).toBe(1);
    expect(t.err.join('')).toContain('expected command but got "frobnicate"');
  });
  it('lists every command in the top-level help', async () => {
    const t = io();
    await runCli(['--help'], t.io);
    for (const name of commandNames()) expect(t.out.join('')).toContain(`  ${name}  `);
  });
  it('answers --help on every command with its usage', async () => {
    for (const name of commandNames()) {
      const t = io();
      expect(await runCli([...name.split(' '), ...(name === 'promql' ? ['test'] : []), '--help'], t.io), name).toBe(0);
      expect(t.out.join(''), name).toContain(`usage: pmtool ${name}`);
      expect(t.err.join(''), name).toBe('');
    }
  });
  it('lists each flag and argument in the help of the tsdb and push commands', async () => {
    for (const spec of [CREATE_BLOCKS_SPEC, LIST_SPEC, ANALYZE_SPEC, DUMP_SPEC, PUSH_SPEC]) {
      const t = io();
      await runCli([...spec.name.split(' '), '-h'], t.io);
      const out = t.out.join('');
      for (const f of spec.flags) expect(out, spec.name).toContain(`--${f.name}`);
      for (const a of spec.args) expect(out, spec.name).toContain(a.required ? `<${a.name}>` : `[<${a.name}>]`);
    }
  });
  it('lists the commands of a group, and asks for one without --help', async () => {
    const t = io();
    expect(await runCli(['tsdb', '--help'], t.io)).toBe(0);
    for (const n of ['tsdb create-blocks-from openmetrics', 'tsdb list', 'tsdb analyze', 'tsdb dump']) expect(t.out.join('')).toContain(n);
    const u = io();
    expect(await runCli(['tsdb'], u.io)).toBe(1);
    expect(u.err.join('')).toBe("pmtool: error: must select a subcommand of 'tsdb', try --help\n");
    const v = io();
    expect(await runCli(['tsdb', 'frob'], v.io)).toBe(1);
    expect(v.err.join('')).toBe('pmtool: error: expected command but got "tsdb frob", try --help\n');
  });
});
