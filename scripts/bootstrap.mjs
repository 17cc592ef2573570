#!/usr/bin/env node
// Makes `npm start` / `npm test` work on a machine that has only Node.js and npm:
// it brings pnpm (pinned, via npx, no global install), installs the workspace when
// the lockfile changed since the last install, then runs the requested task.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PNPM_VERSION = '12.21.0';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', npm_config_yes: 'true' };

function pnpmCommand() {
  // Prefer a pnpm already on PATH when it is the pinned major; else fetch it with npx.
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env });
  if (probe.status === 0 && probe.stdout.trim().split('.')[0] === PNPM_VERSION.split('.')[0]) {
    return ['pnpm'];
  }
  return ['npx', '-y', `pnpm@${PNPM_VERSION}`];
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.error) {
    console.error(`bootstrap: could not run ${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  return r.status ?? 1;
}

function needsInstall() {
  const marker = join(root, 'node_modules', '.pm-bootstrap');
  if (!existsSync(marker)) return true;
  const lock = join(root, 'pnpm-lock.yaml');
  return readFileSync(marker, 'utf8') !== String(statSync(lock).mtimeMs) + ':' + readFileSync(lock, 'utf8').length;
}

const [pm, ...pmArgs] = pnpmCommand();
if (needsInstall()) {
  const code = run(pm, [...pmArgs, 'install', '--frozen-lockfile']);
  if (code !== 0) process.exit(code);
  const lock = join(root, 'pnpm-lock.yaml');
  writeFileSync(join(root, 'node_modules', '.pm-bootstrap'), String(statSync(lock).mtimeMs) + ':' + readFileSync(lock, 'utf8').length);
}

const task = process.argv[2];
const extra = process.argv.slice(3);
switch (task) {
  case 'start':
    // The server serves the web UI from its built bundle; build it once.
    if (!existsSync(join(root, 'apps', 'web-ui', 'dist', 'index.html'))) {
      const code = run(pm, [...pmArgs, '--filter', '@promethium/web-ui', 'run', 'build:ui']);
      if (code !== 0) process.exit(code);
    }
    process.exit(run(pm, [...pmArgs, 'exec', 'node', 'scripts/stack.mjs', ...extra]));
    break;
  case 'test':
    process.exit(run(pm, [...pmArgs, 'exec', 'turbo', 'run', 'test', ...extra]));
    break;
  case 'install':
    process.exit(0);
    break;
  default:
    console.error(`bootstrap: unknown task ${task ?? '(none)'}; use start, test or install`);
    process.exit(2);
}
