// Runs the real promethium binary (src/main.ts through tsx) as a child process for CLI,
// signal and crash tests.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const MAIN = join(REPO_ROOT, 'apps/server/src/main.ts');

export interface Child {
  proc: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function runServer(args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--conditions=@promethium/source', MAIN, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return { proc, output: () => out, exited };
}
