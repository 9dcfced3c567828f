// Sign-in. Tokens live in memory only (never in storage): a reload signs in again.
// Embedded profile: the development sign-in lists the demo users (/api/v1/dev/*).
// Production: Cognito Hosted UI, authorization code + PKCE, silent refresh, sign-out.
const state = { token: null, refresh: null, expiresAt: 0, user: null, config: null, timer: null };
const listeners = new Set();

export function onChange(fn) { listeners.add(fn); }
function changed() { for (const fn of listeners) fn(); }

export async function config() {
  if (!state.config) state.config = await (await fetch('/web-config.json')).json();
  return state.config;
}

export function token() { return state.token; }
export function user() { return state.user; }
export function signedIn() { return state.token !== null; }

// Who the token is, as the service sees it (role from cognito:groups or custom:role).
async function loadMe() {
  const res = await fetch('/api/v1/me', { headers: { Authorization: `Bearer ${state.token}` } });
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}));
    state.token = null;
    throw new Error(problem.detail || 'The service refused the sign-in.');
  }
  const me = await res.json();
  state.user = { id: me.id, name: me.name || me.email || me.id, role: me.role };
}

async function accept(idToken, refresh, expiresIn) {
  state.token = idToken;
  if (refresh) state.refresh = refresh;
  state.expiresAt = Date.now() + expiresIn * 1000;
  clearTimeout(state.timer);
  // Refresh a minute before expiry (Cognito only: development tokens last 12 hours).
  if (state.refresh) state.timer = setTimeout(refreshNow, Math.max(5, expiresIn - 60) * 1000);
  const known = state.user !== null;
  await loadMe();
  if (!known) changed();  // a silent refresh does not re-render the page
}

export async function demoUsers() {
  const res = await fetch('/api/v1/dev/users');
  if (!res.ok) throw new Error('The development sign-in is not available.');
  return (await res.json()).items;
}

export async function signInAs(userId) {
  const res = await fetch('/api/v1/dev/tokens', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user_id: userId }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(body.detail || 'Sign-in failed.');
  await accept(body.token, null, body.expires_in);
}

// A token from elsewhere (`oms token`), when the page has no sign-in of its own.
export async function signInWithToken(token) {
  await accept(token.trim(), null, 3600);
}

function b64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function randomString() { return b64url(crypto.getRandomValues(new Uint8Array(32))); }
function redirectUri() { return location.origin + '/'; }

// Step 1: to the Hosted UI with a PKCE challenge; the verifier waits in sessionStorage for the
// redirect back (it is not a token: useless without the one-time code).
export async function signInWithCognito() {
  const c = await config();
  const verifier = randomString();
  const stateValue = randomString();
  sessionStorage.setItem('oms.pkce', JSON.stringify({ verifier, state: stateValue, back: location.hash }));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const q = new URLSearchParams({
    response_type: 'code', client_id: c.client_id, redirect_uri: redirectUri(), scope: 'openid email profile',
    code_challenge_method: 'S256', code_challenge: b64url(digest), state: stateValue,
  });
  location.assign(`${c.cognito_domain}/oauth2/authorize?${q}`);
}

async function tokenRequest(params) {
  const c = await config();
  const res = await fetch(`${c.cognito_domain}/oauth2/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: c.client_id, ...params }),
  });
  if (!res.ok) throw new Error('The identity provider refused the sign-in.');
  return res.json();
}

// Step 2: back from the Hosted UI with ?code=…&state=…; returns the hash to go back to.
export async function completeRedirect() {
  const q = new URLSearchParams(location.search);
  if (!q.has('code')) return null;
  const saved = JSON.parse(sessionStorage.getItem('oms.pkce') || 'null');
  sessionStorage.removeItem('oms.pkce');
  history.replaceState(null, '', '/' + (saved?.back || ''));
  if (!saved || saved.state !== q.get('state')) throw new Error('The sign-in answer did not match; sign in again.');
  const t = await tokenRequest({ grant_type: 'authorization_code', code: q.get('code'), redirect_uri: redirectUri(),
    code_verifier: saved.verifier });
  await accept(t.id_token, t.refresh_token, t.expires_in);
  return saved.back;
}

async function refreshNow() {
  try {
    const t = await tokenRequest({ grant_type: 'refresh_token', refresh_token: state.refresh });
    await accept(t.id_token, null, t.expires_in);
  } catch {
    expired();
  }
}

export function expired() {
  state.token = null;
  state.user = null;
  changed();
}

export async function signOut() {
  const c = await config();
  clearTimeout(state.timer);
  state.token = state.refresh = state.user = null;
  if (c.sign_in === 'cognito') {
    const q = new URLSearchParams({ client_id: c.client_id, logout_uri: redirectUri() });
    location.assign(`${c.cognito_domain}/logout?${q}`);
    return;
  }
  changed();
}
