// Locating and reading the built UI for the server: the framework-free part of "serve the UI",
// so the server (Hono) and the tests serve it the same way.
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = '@promethium/web-ui';

/** Client-side routes: each answers with index.html (SPA fallback). `/graph` is the classic Prometheus path. */
export const UI_ROUTES: readonly string[] = [
  '/',
  '/query',
  '/graph',
  '/targets',
  '/service-discovery',
  '/status',
  '/tsdb-status',
  '/flags',
  '/config',
  '/rules',
  '/alerts',
];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Walks up from this module (src/node or dist/node/node) to the package root. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (parsed.name === PACKAGE_NAME) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${PACKAGE_NAME}: package root not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** Absolute path of the built UI (index.html + assets/). Build it with `pnpm --filter @promethium/web-ui build`. */
export function uiAssetsDir(): string {
  return join(packageRoot(), 'dist');
}

/** True when `dir` holds a built UI. */
export function uiAssetsBuilt(dir: string = uiAssetsDir()): boolean {
  return existsSync(join(dir, 'index.html'));
}

export interface UiResponse {
  status: 200;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
}

/** Where a request path (already stripped of any route prefix) points in the built UI, or undefined. */
export function resolveUiPath(dir: string, urlPath: string): { file: string; immutable: boolean } | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0] ?? '');
  } catch {
    return undefined;
  }
  if (!path.startsWith('/') || path.includes('\0')) return undefined;
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (UI_ROUTES.includes(trimmed) || trimmed === '/index.html') return { file: join(dir, 'index.html'), immutable: false };
  if (!trimmed.startsWith('/assets/')) return undefined;
  const segments = trimmed.split('/').slice(1);
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\'))) return undefined;
  const file = resolve(dir, ...segments);
  if (!file.startsWith(resolve(dir) + sep)) return undefined;
  // Vite names every file under assets/ by content hash, so it can be cached forever.
  return { file, immutable: true };
}

/**
 * Reads the answer for a GET of `urlPath` (prefix stripped): index.html for every UI route,
 * the file for /assets/*, undefined for anything else (the caller answers 404 or routes on).
 */
export async function readUiAsset(urlPath: string, dir: string = uiAssetsDir()): Promise<UiResponse | undefined> {
  const target = resolveUiPath(dir, urlPath);
  if (!target) return undefined;
  try {
    const info = await stat(target.file);
    if (!info.isFile()) return undefined;
  } catch {
    return undefined;
  }
  const body = await readFile(target.file);
  const ext = target.file.slice(target.file.lastIndexOf('.'));
  return {
    status: 200,
    headers: {
      'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'Cache-Control': target.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    },
    body,
  };
}

/**
 * The same as readUiAsset as a fetch Response, which a Hono (or any fetch-style) handler returns as is:
 * `app.get('*', async (c) => (await uiResponse(path)) ?? c.notFound())`.
 */
export async function uiResponse(urlPath: string, dir: string = uiAssetsDir()): Promise<Response | undefined> {
  const asset = await readUiAsset(urlPath, dir);
  return asset ? new Response(asset.body, { status: asset.status, headers: asset.headers }) : undefined;
}
