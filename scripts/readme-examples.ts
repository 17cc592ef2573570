// Runs the ```ts examples of a package README as tests, so a README cannot drift from the API.
// A package's src/readme.test.ts calls `testReadmeExamples(<package dir>)`. Every ```ts block is
// typechecked with the package's tsconfig and then run as its own ES module under tsx with the
// @promethium/source condition; failures name the README line. Info-string flags:
//   ```ts no-run    typechecked, not run (fragments that need a live system or stdin)
//   ```ts no-check  neither (pseudo-code such as interface sketches)
// Blocks assert their own results (node:assert), so a wrong example fails its test.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

export interface ReadmeBlock {
  /** 1-based README line of the block's first code line (the one after the fence). */
  line: number;
  code: string;
  run: boolean;
  check: boolean;
}

/** The ```ts / ```typescript blocks of a markdown text, with their flags. */
export function extractTsBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(\S*)\s*(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '```', lang = '', rest = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j] ?? '';
      const t = l.trim();
      if (t.length >= fence.length && [...t].every((ch) => ch === fence[0])) break;
      body.push(l.startsWith(indent) ? l.slice(indent.length) : l);
    }
    if (lang === 'ts' || lang === 'typescript') {
      const flags = new Set(rest.split(/\s+/).filter(Boolean));
      const check = !flags.has('no-check');
      blocks.push({ line: i + 2, code: body.join('\n'), check, run: check && !flags.has('no-run') });
    }
    i = j;
  }
  return blocks;
}

/** Rewrites `block-<line>.ts:<l>:<c>` locations (under `dir`) in a message to `README.md:<line+l-1>:<c>`. */
export function toReadmeLocations(text: string, dir: string): string {
  return text
    .replaceAll(pathToFileURL(dir).href + '/', '')
    .replaceAll(dir + '/', '')
    .replace(/block-(\d+)\.ts:(\d+)(?::(\d+))?/g, (_m, start: string, l: string, c?: string) =>
      `README.md:${Number(start) + Number(l) - 1}${c === undefined ? '' : `:${c}`}`);
}

function typecheck(pkgDir: string, files: string[], dir: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(pkgDir, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!config) throw new Error(`cannot read ${pkgDir}/tsconfig.json`);
  const program = ts.createProgram(files, { ...config.options, noEmit: true, skipLibCheck: true });
  const wanted = new Set(files);
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || wanted.has(resolve(d.file.fileName)))
    .map((d) => {
      const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!d.file || d.start === undefined) return `error TS${d.code}: ${msg}`;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      const where = toReadmeLocations(`${resolve(d.file.fileName)}:${line + 1}:${character + 1}`, dir);
      return `${where} error TS${d.code}: ${msg}`;
    });
}

// Child output is quoted so vitest does not take its `at ...` lines for frames of this test.
const quote = (text: string): string => text.trimEnd().split('\n').map((l) => `| ${l}`).join('\n');

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function runBlock(file: string, cwd: string, timeoutMs: number): Promise<{ code: number | null; signal: string | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, '--conditions=@promethium/source', file], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0' },
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, output }));
  });
}

export interface ReadmeTestOptions {
  /** README file name inside the package dir. */
  readme?: string;
  /** Per-block run timeout in ms. */
  timeoutMs?: number;
}

/** Registers vitest tests for every ```ts block of `<pkgDir>/README.md`. */
export function testReadmeExamples(pkgDir: string, options: ReadmeTestOptions = {}): void {
  const readme = options.readme ?? 'README.md';
  const timeoutMs = options.timeoutMs ?? 25_000;
  const blocks = extractTsBlocks(readFileSync(join(pkgDir, readme), 'utf8'));
  // Inside the package (node_modules/.cache is ignored by git, eslint and tsc) so the block's
  // imports resolve through the package's own dependencies and "type": "module".
  const dir = join(pkgDir, 'node_modules', '.cache', `readme-examples-${process.pid}`);
  const fileOf = (b: ReadmeBlock): string => join(dir, `block-${b.line}.ts`);
  let work = '';

  describe(`${readme} examples`, () => {
    beforeAll(() => {
      // Node stops its package.json lookup at node_modules: give the blocks their own ESM scope
      // and reach the package itself by its name through a link.
      const name = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { name: string }).name;
      const link = join(dir, 'node_modules', name);
      mkdirSync(dirname(link), { recursive: true });
      writeFileSync(join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
      symlinkSync(pkgDir, link, 'dir');
      // A trailing `export {}` makes each block a module (top-level await, no shared globals)
      // without moving its lines.
      for (const b of blocks) if (b.check) writeFileSync(fileOf(b), `${b.code}\nexport {};\n`);
      work = join(tmpdir(), `promethium-readme-${process.pid}`);
      mkdirSync(work, { recursive: true });
    });
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('has examples', () => {
      expect(blocks.filter((b) => b.run).length).toBeGreaterThan(0);
    });

    it('typecheck', { timeout: 60_000 }, () => {
      const files = blocks.filter((b) => b.check).map(fileOf);
      const errors = typecheck(pkgDir, files, dir);
      if (errors.length > 0) throw new Error(`${readme} examples do not typecheck:\n${errors.join('\n')}`);
    });

    for (const b of blocks.filter((x) => x.run)) {
      it(`${readme}:${b.line} runs`, { timeout: timeoutMs + 5_000 }, async () => {
        // Each block gets its own empty working directory: relative paths it writes vanish with it.
        const cwd = join(work, `block-${b.line}`);
        mkdirSync(cwd, { recursive: true });
        const r = await runBlock(fileOf(b), cwd, timeoutMs);
        if (r.code !== 0) {
          const why = r.signal ? `killed by ${r.signal} (timeout ${timeoutMs} ms?)` : `exit code ${r.code}`;
          throw new Error(`${readme}:${b.line}: example failed (${why}):\n${quote(toReadmeLocations(r.output, dir))}`);
        }
      });
    }
  });
}
