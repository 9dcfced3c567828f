// The page's entry: sign-in, navigation and the hash router (#/, #/new, #/opportunities/ID,
// #/customers, #/admin/skills|customers|users|audit).
import { auditAdmin, customersAdmin, skillsAdmin, usersAdmin } from './admin.js';
import * as auth from './auth.js';
import { createPage } from './create.js';
import { forget } from './data.js';
import { dashboard } from './dashboard.js';
import { detailPage } from './detail.js';
import { field, h, page, showProblem } from './ui.js';

async function signInPage(message) {
  const c = await auth.config();
  const main = page('Sign in');
  if (message) main.append(h('p', { class: 'error-summary', role: 'alert' }, message));
  if (c.sign_in === 'development') {
    const users = await auth.demoUsers();
    main.append(h('p', {}, 'Development sign-in (embedded profile only): choose a demo user.'),
      h('ul', { class: 'users' }, users.map((u) => h('li', {}, h('button', { type: 'button', onclick: async () => {
        try { await auth.signInAs(u.id); } catch (err) { showProblem(main, err); }
      } }, `${u.name}`, h('span', { class: 'role' }, ` ${u.role.replace(/_/g, ' ').toLowerCase()}`))))));
  } else if (c.sign_in === 'cognito') {
    main.append(h('p', {}, h('button', { type: 'button', onclick: () => auth.signInWithCognito() }, 'Sign in with your company account')));
  } else {
    // No sign-in of its own (production without --cognito-domain, or the embedded profile on a
    // non-loopback address): a token from `oms token` or the identity provider can be pasted.
    const input = h('input', { type: 'password', name: 'token', autocomplete: 'off' });
    const form = h('form', { class: 'card' }, h('p', {}, 'This server has no sign-in page configured. Paste a bearer token (for example from `oms token`).'),
      field('Bearer token', input, { name: 'token' }), h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try { await auth.signInWithToken(input.value); } catch (err) { showProblem(form, err); }
    });
    main.append(form);
  }
}

function renderChrome() {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  const u = auth.user();
  nav.replaceChildren();
  who.replaceChildren();
  if (!u) return;
  nav.append(h('a', { href: '#/' }, 'My opportunities'), h('a', { href: '#/new' }, 'New'));
  if (u.role === 'ADMIN') nav.append(h('a', { href: '#/admin/skills' }, 'Admin'));
  else if (u.role === 'SALES_MANAGER') nav.append(h('a', { href: '#/customers' }, 'Customers'));
  nav.append(h('a', { href: '/docs' }, 'API'));
  who.append(h('span', {}, u.name), h('button', { type: 'button', class: 'secondary', onclick: () => auth.signOut() }, 'Sign out'));
}

async function routeNow() {
  renderChrome();
  if (!auth.signedIn()) return signInPage();
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query || '');
  const parts = (path || '/').split('/').filter(Boolean);
  try {
    if (parts.length === 0) await dashboard(params);
    else if (parts[0] === 'new') await createPage();
    else if (parts[0] === 'opportunities' && parts[1]) await detailPage(parts[1]);
    else if (parts[0] === 'admin' && parts[1] === 'skills') await skillsAdmin();
    else if (parts[0] === 'admin' && parts[1] === 'customers') await customersAdmin();
    else if (parts[0] === 'customers') await customersAdmin({ admin: auth.user()?.role === 'ADMIN' });
    else if (parts[0] === 'admin' && parts[1] === 'users') await usersAdmin();
    else if (parts[0] === 'admin' && parts[1] === 'audit') await auditAdmin(params);
    else page('Not found', h('p', {}, h('a', { href: '#/' }, 'Back to my opportunities')));
  } catch (err) {
    if (!auth.signedIn()) return signInPage('Your session ended; sign in again.');
    page('Something went wrong', h('p', { role: 'alert' }, err.message));
  }
  const main = document.getElementById('main');
  if (!main.contains(document.activeElement) || document.activeElement === document.body) main.focus({ preventScroll: true });
}

// One route at a time, in order: a slow page that finishes after a later navigation never
// paints over it (the later one runs after it and paints last).
let chain = Promise.resolve();
function route() {
  chain = chain.then(routeNow, routeNow);
  return chain;
}

auth.onChange(() => { forget(); route(); });
window.addEventListener('hashchange', route);
(async () => {
  try {
    const back = await auth.completeRedirect();
    if (back) location.hash = back;
  } catch (err) {
    return signInPage(err.message);
  }
  route();
})();
