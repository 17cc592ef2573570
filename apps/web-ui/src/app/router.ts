// Client-side routes. Every route is one path segment under the UI's mount point, so relative links
// ("targets") and relative assets ("./assets/...") work under any route prefix.
export interface PageContext {
  /** Aborted when the user navigates away: pages cancel requests and timers with it. */
  signal: AbortSignal;
}

export type PageFn = (root: HTMLElement, ctx: PageContext) => void | Promise<void>;

export interface RouteDef {
  path: string;
  title: string;
  aliases?: readonly string[];
}

export const ROUTES = {
  query: { path: 'query', title: 'Query', aliases: ['', 'graph'] },
  alerts: { path: 'alerts', title: 'Alerts' },
  rules: { path: 'rules', title: 'Rules' },
  targets: { path: 'targets', title: 'Targets' },
  'service-discovery': { path: 'service-discovery', title: 'Service discovery' },
  status: { path: 'status', title: 'Runtime & build information' },
  'tsdb-status': { path: 'tsdb-status', title: 'TSDB status' },
  flags: { path: 'flags', title: 'Command-line flags' },
  config: { path: 'config', title: 'Configuration' },
} as const satisfies Record<string, RouteDef>;

export type RouteName = keyof typeof ROUTES;

/** The route for a location's last path segment; undefined for an unknown page. */
export function routeFor(pathname: string): RouteName | undefined {
  const segment = pathname.slice(pathname.lastIndexOf('/') + 1);
  for (const [name, def] of Object.entries(ROUTES) as [RouteName, RouteDef][]) {
    if (def.path === segment || def.aliases?.includes(segment)) return name;
  }
  return undefined;
}
