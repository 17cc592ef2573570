// Offline checks of docker/: there is no Docker engine on CI machines, so this
// (1) validates compose.yaml with docker-compose when present, (2) checks that every
// COPY source in each Dockerfile exists in the repo, (3) emulates the build with
// `pnpm deploy` and runs the image's exact ENTRYPOINT + CMD (paths mapped to temp dirs,
// port moved to a free loopback port), then its HEALTHCHECK command.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.cwd();
let passed = 0;
let failed = 0;
const ok = (msg) => { passed++; console.log(`ok   ${msg}`); };
const fail = (msg) => { failed++; console.log(`FAIL ${msg}`); };

function parseDockerfile(text) {
  // Join continuation lines, drop comments.
  const lines = text.replace(/\\\n/g, ' ').split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  const out = { copies: [], entrypoint: [], cmd: [], healthcheck: [], volume: [] };
  for (const l of lines) {
    const [instr, ...rest] = l.trim().split(/\s+/);
    const args = rest.join(' ');
    switch (instr.toUpperCase()) {
      case 'COPY':
        if (!/--from=/.test(args)) out.copies.push(args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1));
        break;
      case 'ENTRYPOINT': out.entrypoint = JSON.parse(args); break;
      case 'CMD': out.cmd = JSON.parse(args); break;
      case 'HEALTHCHECK': out.healthcheck = JSON.parse(args.slice(args.indexOf('CMD') + 3).trim()); break;
      case 'VOLUME': out.volume = JSON.parse(args); break;
    }
  }
  return out;
}

const freePort = () => new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});

async function waitHealthy(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { if ((await fetch(url)).ok) return true; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

// 1. compose
const compose = join(root, 'docker/compose.yaml');
if (spawnSync('docker-compose', ['--version']).status === 0) {
  const r = spawnSync('docker-compose', ['-f', compose, 'config', '-q'], { encoding: 'utf8' });
  r.status === 0 ? ok('docker/compose.yaml is valid (docker-compose config)') : fail(`compose.yaml invalid: ${r.stderr}`);
} else {
  console.log('skip compose validation: docker-compose not installed');
}

const pnpm = existsSync('/usr/bin/pnpm') ? ['pnpm'] : ['npx', '-y', 'pnpm@12.21.0'];
execFileSync(pnpm[0], [...pnpm.slice(1), 'exec', 'turbo', 'run', 'build'], { stdio: 'ignore', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } });

for (const app of ['server', 'pushgateway']) {
  const file = join(root, `docker/${app}.Dockerfile`);
  const df = parseDockerfile(readFileSync(file, 'utf8'));
  // 2. COPY sources exist
  const missing = df.copies.flat().filter((src) => !existsSync(join(root, src)));
  missing.length === 0 ? ok(`${app}.Dockerfile: all ${df.copies.flat().length} COPY sources exist`) : fail(`${app}.Dockerfile: missing COPY sources ${missing.join(', ')}`);
  // 3. deploy + run the exact entrypoint
  const tmp = mkdtempSync(join(tmpdir(), `pm-docker-${app}-`));
  const appDir = join(tmp, 'app');
  execFileSync(pnpm[0], [...pnpm.slice(1), `--filter=@promethium/${app}`, 'deploy', '--prod', '--legacy', appDir], { stdio: 'ignore' });
  const port = await freePort();
  const dataDir = join(tmp, 'data');
  const map = (a) => a
    .replace('/app/', `${appDir}/`)
    .replace('/etc/promethium/prometheus.yml', join(root, 'docker/prometheus.yml'))
    .replace(new RegExp(`=${df.volume[0]}`), `=${dataDir}`)
    .replace(/--web\.listen-address=:\d+/, `--web.listen-address=127.0.0.1:${port}`);
  const argv = [...df.entrypoint, ...df.cmd].map(map);
  const child = spawn(argv[0], argv.slice(1), { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const healthy = await waitHealthy(`http://127.0.0.1:${port}/-/healthy`, 20_000);
  healthy ? ok(`${app}: image entrypoint \`${argv.join(' ')}\` serves /-/healthy`) : fail(`${app}: entrypoint did not become healthy\n${log}`);
  if (healthy) {
    const hc = df.healthcheck.map((a) => a.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`));
    const r = spawnSync(hc[0], hc.slice(1), { encoding: 'utf8', timeout: 5000 });
    r.status === 0 ? ok(`${app}: HEALTHCHECK command passes`) : fail(`${app}: HEALTHCHECK failed: ${r.stderr}`);
    const page = await fetch(`http://127.0.0.1:${port}/`).then(async (res) => [res.status, await res.text()]).catch((e) => [0, String(e)]);
    page[0] === 200 && /<html/i.test(page[1])
      ? ok(`${app}: the image serves its web page at /`)
      : fail(`${app}: GET / answered ${page[0]}: ${String(page[1]).slice(0, 200)}`);
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
