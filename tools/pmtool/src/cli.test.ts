import { describe, expect, it } from 'vitest';
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
});
