// The application shell: the session, the router (History API, bookmarkable paths) and the
// navigation bar. Each page is a module with `render(ctx)` that may return a cleanup function.

import * as api from './api.js';
import { clearFlash, h, main, mount, showError } from './dom.js';

const ROUTES = [
  ['/login', () => import('./pages/login.js')],
  ['/', () => import('./pages/dashboard.js'), 'dashboard'],
  ['/dags', () => import('./pages/dags.js'), 'dags'],
  ['/dags/:namespace/:name', () => import('./pages/dag.js'), 'dags'],
  ['/dags/:name', () => import('./pages/dag.js'), 'dags'],
  ['/runs', () => import('./pages/runs.js'), 'runs'],
  ['/runs/:id', () => import('./pages/run.js'), 'runs'],
  ['/editor', () => import('./pages/editor.js'), 'editor'],
  ['/dagtasks', () => import('./pages/dagtasks.js'), 'dagtasks'],
  ['/dagtasks/:namespace/:name', () => import('./pages/dagtasks.js'), 'dagtasks'],
  ['/pools', () => import('./pages/pools.js'), 'pools'],
  ['/users', () => import('./pages/users.js'), 'users'],
  ['/account', () => import('./pages/account.js'), 'account'],
];

const RANK = { viewer: 0, editor: 1, admin: 2 };

/** The session: who is signed in, and what their role allows. */
export const session = {
  user: null,
  sso: null, // the single sign-on provider's name, when the api has one
  can(role) {
    return this.user !== null && RANK[this.user.role] >= RANK[role];
  },
};

let cleanup = null;
let renderSeq = 0;

function match(path) {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  for (const [pattern, load, nav] of ROUTES) {
    const want = pattern.split('/').filter(Boolean);
    if (want.length !== parts.length) continue;
    const params = {};
    let ok = true;
    want.forEach((w, i) => {
      if (w.startsWith(':')) params[w.slice(1)] = parts[i];
      else if (w !== parts[i]) ok = false;
    });
    if (ok) return { load, params, nav };
  }
  return null;
}

/** Goes to `href` (a path of this app) without reloading the page. */
export function navigate(href, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  route();
}

/** A safe place to return to after login: a path of this app, never another site. */
function safeNext(next) {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

async function route() {
  const seq = ++renderSeq;
  if (cleanup) {
    try {
      cleanup();
    } catch (e) {
      console.error(e);
    }
    cleanup = null;
  }
  clearFlash();
  const path = location.pathname;
  const query = new URLSearchParams(location.search);
  if (path !== '/login' && session.user === null) {
    navigate(`/login?next=${encodeURIComponent(path + location.search)}`, { replace: true });
    return;
  }
  const found = match(path);
  updateChrome(found ? found.nav : null);
  const el = main();
  if (!found) {
    mount(el, h('h1', null, 'Not found'), h('p', null, `There is no page at ${path}.`), h('a', { href: '/' }, 'Dashboard'));
    return;
  }
  try {
    const page = await found.load();
    if (seq !== renderSeq) return;
    mount(el);
    const done = await page.render({
      el, params: found.params, query, session, navigate,
      next: safeNext(query.get('next')),
      isCurrent: () => seq === renderSeq,
    });
    if (seq !== renderSeq) {
      if (typeof done === 'function') done();
      return;
    }
    cleanup = typeof done === 'function' ? done : null;
    const heading = el.querySelector('h1');
    if (heading && document.activeElement === document.body) heading.setAttribute('tabindex', '-1');
  } catch (e) {
    if (seq !== renderSeq) return;
    if (e.status === 401) return;
    // The api's answer is shown on the page; only a failure of the page itself is worth the console.
    if (!e.status) console.error(e);
    showError(e, 'This page could not be shown');
  }
}

function updateChrome(nav) {
  const top = document.getElementById('top');
  top.hidden = session.user === null;
  if (session.user) {
    document.getElementById('who-name').textContent = session.user.username;
    document.getElementById('who-role').textContent = session.user.role;
  }
  for (const a of top.querySelectorAll('[data-nav]')) {
    a.hidden = Boolean(a.dataset.role) && !session.can(a.dataset.role);
    if (a.dataset.nav === nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

/** Called by the login page when the session is established. */
export async function signedIn(user, next) {
  session.user = user;
  navigate(safeNext(next), { replace: true });
}

function interceptLinks(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
      event.shiftKey || event.altKey) return;
  const a = event.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  event.preventDefault();
  if (url.pathname + url.search !== location.pathname + location.search) navigate(url.pathname + url.search);
}

async function start() {
  api.setUnauthorizedHandler(() => {
    if (session.user === null || location.pathname === '/login') return;
    session.user = null;
    navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
  });
  document.addEventListener('click', interceptLinks);
  window.addEventListener('popstate', route);
  // A page left for another (or kept in the back/forward cache) must not hold its event stream
  // and log streams open: the browser allows only six connections to this server.
  window.addEventListener('pagehide', () => {
    if (cleanup) {
      cleanup();
      cleanup = null;
    }
  });
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) route();
  });
  document.getElementById('logout').addEventListener('click', async () => {
    try {
      await api.logout();
    } catch (e) {
      showError(e, 'Log out');
    }
    session.user = null;
    navigate('/login', { replace: true });
  });
  try {
    const known = await api.session();
    session.user = known.authenticated ? { username: known.username, role: known.role } : null;
    session.sso = known.sso || null;
  } catch (e) {
    showError(e, 'The session could not be checked');
  }
  route();
}

start();
