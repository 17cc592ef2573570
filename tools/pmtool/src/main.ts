#!/usr/bin/env node
import { runCli } from './cli.js';

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

// A reader that went away (`pmtool tsdb dump | head`) ends us quietly, as SIGPIPE ends promtool.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(141);
});

const code = await runCli(process.argv.slice(2), {
  stdin: readStdin,
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
});
process.exitCode = code;
