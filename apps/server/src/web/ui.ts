// Serves the built web UI (apps/web-ui) at the UI routes and /assets/, after every API route.
// Without a build, the UI routes say how to build it instead of a bare 404.
import { UI_ROUTES, readUiAsset, uiAssetsBuilt, uiAssetsDir } from '@promethium/web-ui';
import type { Hono } from 'hono';

export function registerUiRoutes(app: Hono, dir: string = uiAssetsDir()): void {
  app.get('*', async (c, next) => {
    // c.req.path includes any route prefix; the UI wants the path below it.
    const prefix = c.req.routePath.replace(/\/?\*$/, '');
    const path = c.req.path.slice(prefix.length) || '/';
    if (!uiAssetsBuilt(dir)) {
      const route = path.replace(/\/$/, '') || '/';
      if (UI_ROUTES.includes(route)) {
        return c.text('The Promethium web UI is not built. Run: pnpm --filter @promethium/web-ui build\n', 404);
      }
      return next();
    }
    const asset = await readUiAsset(path, dir);
    return asset ? c.body(asset.body, asset.status, asset.headers) : next();
  });
}
