// Entry point: the app shell (top bar, navigation, theme switch) and the client-side router.
import './styles.css';
import { h } from './lib/dom.js';
import { applyTheme, nextChoice, setTheme, storedChoice, watchSystemTheme, type ThemeChoice } from './lib/theme.js';
import { alertsPage } from './pages/alerts.js';
import { configPage } from './pages/config.js';
import { flagsPage } from './pages/flags.js';
import { rulesPage } from './pages/rules.js';
import { serviceDiscoveryPage } from './pages/service-discovery.js';
import { statusPage } from './pages/status.js';
import { targetsPage } from './pages/targets.js';
import { tsdbStatusPage } from './pages/tsdb-status.js';
import { ROUTES, routeFor, type PageFn, type RouteName } from './router.js';

const PAGES: Record<RouteName, PageFn> = {
  // The query page carries CodeMirror and uPlot: its own chunk, so the other pages load light.
  query: async (root, ctx) => (await import('./pages/query.js')).queryPage(root, ctx),
  alerts: alertsPage,
  rules: rulesPage,
  targets: targetsPage,
  'service-discovery': serviceDiscoveryPage,
  status: statusPage,
  'tsdb-status': tsdbStatusPage,
  flags: flagsPage,
  config: configPage,
};

const MAIN_NAV: RouteName[] = ['query', 'alerts', 'rules', 'targets', 'service-discovery'];
const STATUS_NAV: RouteName[] = ['status', 'tsdb-status', 'flags', 'config'];
const THEME_LABEL: Record<ThemeChoice, string> = { auto: 'Theme: auto', light: 'Theme: light', dark: 'Theme: dark' };
const THEME_ICON: Record<ThemeChoice, string> = { auto: '◐', light: '☀', dark: '☾' };

applyTheme();
watchSystemTheme();

const navLinks = new Map<RouteName, HTMLAnchorElement>();
function link(name: RouteName, label: string = ROUTES[name].title): HTMLAnchorElement {
  const a = h('a', { href: ROUTES[name].path, class: 'nav-link', 'data-route': name }, label);
  navLinks.set(name, a);
  return a;
}

const statusMenu = h(
  'details',
  { class: 'nav-menu' },
  h('summary', { class: 'nav-link' }, 'Status'),
  h('div', { class: 'nav-menu-list' }, STATUS_NAV.map((n) => link(n))),
);
const nav = h('nav', { class: 'nav', id: 'main-nav', 'aria-label': 'Main' }, MAIN_NAV.map((n) => link(n)), statusMenu);
const menuToggle = h('button', { type: 'button', class: 'btn btn-icon menu-toggle', 'aria-controls': 'main-nav', 'aria-expanded': 'false', 'aria-label': 'Menu' }, '☰');
const themeButton = h('button', { type: 'button', class: 'btn btn-icon theme-toggle', 'data-testid': 'theme-toggle' });
function syncThemeButton(): void {
  const c = storedChoice();
  themeButton.textContent = THEME_ICON[c];
  themeButton.title = `${THEME_LABEL[c]} (click for ${nextChoice(c)})`;
  themeButton.setAttribute('aria-label', THEME_LABEL[c]);
}
themeButton.addEventListener('click', () => {
  setTheme(nextChoice(storedChoice()));
  syncThemeButton();
});
syncThemeButton();
menuToggle.addEventListener('click', () => {
  const open = !nav.classList.contains('open');
  nav.classList.toggle('open', open);
  menuToggle.setAttribute('aria-expanded', String(open));
});

const main = h('main', { id: 'page', class: 'page', tabindex: '-1' });
const app = document.getElementById('app') ?? document.body;
app.replaceChildren(
  h('a', { href: '#page', class: 'skip-link' }, 'Skip to content'),
  h('header', { class: 'topbar' }, h('a', { href: ROUTES.query.path, class: 'brand', 'data-route': 'query' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Promethium'), menuToggle, nav, themeButton),
  main,
);

let current: AbortController | undefined;
let firstRender = true;

function render(): void {
  current?.abort();
  const ctrl = new AbortController();
  current = ctrl;
  const name = routeFor(location.pathname);
  for (const [n, a] of navLinks) {
    if (n === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  statusMenu.classList.toggle('active', name !== undefined && STATUS_NAV.includes(name));
  statusMenu.open = false;
  nav.classList.remove('open');
  menuToggle.setAttribute('aria-expanded', 'false');
  main.replaceChildren();
  if (name === undefined) {
    document.title = 'Not found · Promethium';
    main.append(h('div', { class: 'page-header' }, h('h1', null, 'Page not found')), h('p', null, 'Go to the ', h('a', { href: ROUTES.query.path }, 'query page'), '.'));
    return;
  }
  document.title = `${ROUTES[name].title} · Promethium`;
  const done = () => {
    if (firstRender) {
      firstRender = false;
      // The bench and the browser tests read this mark: the first page has its data on screen.
      performance.mark('promethium:first-render');
      document.documentElement.dataset.rendered = 'true';
      // Warm the query page's chunk once the first page is up, so switching to it is instant.
      setTimeout(() => void import('./pages/query.js'), 500);
    }
  };
  Promise.resolve(PAGES[name](main, { signal: ctrl.signal }))
    .catch((err: unknown) => {
      if (!ctrl.signal.aborted) main.append(h('div', { class: 'notice notice-error', role: 'alert' }, String(err)));
    })
    .finally(done);
}

document.addEventListener('click', (ev) => {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = (ev.target as Element | null)?.closest?.('a[data-route]');
  if (!(a instanceof HTMLAnchorElement)) return;
  ev.preventDefault();
  if (a.href !== location.href) history.pushState(null, '', a.href);
  render();
  main.focus({ preventScroll: true });
});
window.addEventListener('popstate', render);
document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape' && statusMenu.open) {
    statusMenu.open = false;
    statusMenu.querySelector('summary')?.focus();
  }
});
render();
