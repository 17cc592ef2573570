// Builds the UI into a temp dir so the browser tests always run the current source.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function buildUi(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'web-ui-dist-'));
  await build({ root: PACKAGE_DIR, configFile: join(PACKAGE_DIR, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}
