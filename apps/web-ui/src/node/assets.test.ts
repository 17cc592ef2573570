import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUiAsset, resolveUiPath, uiAssetsDir, uiResponse, UI_ROUTES } from './assets.js';

describe('uiAssetsDir', () => {
  it('points at the package dist directory', () => {
    expect(uiAssetsDir()).toMatch(/apps[/\\]web-ui[/\\]dist$/);
  });
});

describe('readUiAsset', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'web-ui-assets-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>x</title>');
    await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(join(dir, 'assets', 'index-abc123.css'), 'body{}');
    await writeFile(join(dir, 'secret.txt'), 'nope');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers index.html for every client route, with and without a trailing slash', async () => {
    for (const route of [...UI_ROUTES, '/targets/', '/graph?g0.expr=up']) {
      const r = await readUiAsset(route, dir);
      expect(r, route).toBeDefined();
      expect(r!.headers['Content-Type']).toBe('text/html; charset=utf-8');
      expect(r!.headers['Cache-Control']).toBe('no-cache');
      expect(new TextDecoder().decode(r!.body)).toContain('<title>x</title>');
    }
  });

  it('serves hashed assets with their type and an immutable cache', async () => {
    const js = await readUiAsset('/assets/index-abc123.js', dir);
    expect(js?.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(js?.headers['Cache-Control']).toContain('immutable');
    const css = await readUiAsset('/assets/index-abc123.css', dir);
    expect(css?.headers['Content-Type']).toBe('text/css; charset=utf-8');
  });

  it('refuses traversal, unknown paths, missing files and bad escapes', async () => {
    for (const bad of [
      '/assets/../secret.txt',
      '/assets/%2e%2e/secret.txt',
      '/assets/..%2fsecret.txt',
      '/secret.txt',
      '/api/v1/query',
      '/assets/missing.js',
      '/assets/',
      '/assets/%E0%A4%A',
      'assets/index-abc123.js',
      '/assets/a\\..\\..\\secret.txt',
    ]) {
      expect(await readUiAsset(bad, dir), bad).toBeUndefined();
    }
  });

  it('answers as a fetch Response', async () => {
    const r = await uiResponse('/alerts', dir);
    expect(r?.status).toBe(200);
    expect(r?.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await r?.text()).toContain('<title>x</title>');
    expect(await uiResponse('/api/v1/query', dir)).toBeUndefined();
  });

  it('resolves without touching the disk', () => {
    expect(resolveUiPath('/x', '/query')).toEqual({ file: join('/x', 'index.html'), immutable: false });
    expect(resolveUiPath('/x', '/nope')).toBeUndefined();
  });
});
