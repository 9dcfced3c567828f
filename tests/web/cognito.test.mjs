// The production profile's sign-in: the page goes to the Hosted UI with a PKCE challenge, comes
// back with a code, exchanges it (with the verifier) for tokens it keeps in memory, refreshes
// them before they expire, and signs out through the Hosted UI. The Hosted UI is a stand-in on
// 127.0.0.1 that checks what the real one checks (client id, redirect URI, state is echoed, the
// S256 challenge against the verifier) and hands out tokens signed with the key the server trusts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { binary } from './harness.mjs';
import { openSession } from './session.mjs';

const k_client = 'oms';  // the server's --jwt-client-id, which the page is told to use
let s;
let idp;
const seen = { authorize: [], token: [], logout: 0 };

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

function hostedUi(dataDir) {
  const codes = new Map();  // code -> { challenge, redirect }
  const mint = () => execFileSync(binary, ['token', '--data-dir', dataDir, '--role', 'SALES_MANAGER', '--sub', 'cora',
    '--name', 'Cora Cognito', '--email', 'cora@example.com', '--ttl', '600'], { encoding: 'utf8' }).trim();
  return createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (url.pathname === '/oauth2/authorize') {
      const q = url.searchParams;
      seen.authorize.push(Object.fromEntries(q));
      if (q.get('client_id') !== k_client || q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256'
        || !q.get('state') || !q.get('code_challenge')) {
        res.writeHead(400);
        return res.end('bad authorize request');
      }
      const code = randomBytes(8).toString('hex');
      codes.set(code, { challenge: q.get('code_challenge'), redirect: q.get('redirect_uri') });
      res.writeHead(302, { Location: `${q.get('redirect_uri')}?code=${code}&state=${encodeURIComponent(q.get('state'))}` });
      return res.end();
    }
    if (url.pathname === '/oauth2/token' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const p = new URLSearchParams(body);
      seen.token.push(Object.fromEntries(p));
      let ok = p.get('client_id') === k_client;
      if (p.get('grant_type') === 'authorization_code') {
        const c = codes.get(p.get('code'));
        codes.delete(p.get('code'));
        const s256 = createHash('sha256').update(p.get('code_verifier') || '').digest('base64url');
        ok = ok && c && c.challenge === s256 && c.redirect === p.get('redirect_uri');
      } else {
        ok = ok && p.get('grant_type') === 'refresh_token' && p.get('refresh_token') === 'refresh-1';
      }
      if (!ok) { res.writeHead(400, { 'Content-Type': 'application/json' }); return res.end('{"error":"invalid_grant"}'); }
      const token = mint();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // expires_in 66: the page refreshes a minute before, so within seconds.
      return res.end(JSON.stringify({ id_token: token, access_token: token, token_type: 'Bearer', expires_in: 66,
        ...(p.get('grant_type') === 'authorization_code' ? { refresh_token: 'refresh-1' } : {}) }));
    }
    if (url.pathname === '/logout') {
      if (url.searchParams.get('client_id') === k_client) seen.logout += 1;
      res.writeHead(302, { Location: url.searchParams.get('logout_uri') });
      return res.end();
    }
    res.writeHead(404);
    res.end();
  });
}

before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'oms-web-cognito-'));
  // `oms token` (embedded) makes the key; the production server trusts its JWKS file.
  execFileSync(binary, ['token', '--data-dir', dataDir, '--role', 'ADMIN'], { encoding: 'utf8' });
  idp = hostedUi(dataDir);
  const port = await listen(idp);
  s = await openSession({ dataDir, profile: 'production', args: ['--jwt-issuer', 'oms-local', '--jwt-client-id', 'oms',
    '--jwks-url', `file://${dataDir}/jwks.json`, '--cognito-domain', `http://127.0.0.1:${port}`, '--metrics-port', '0'] });
});
after(async () => { await s?.close(); idp?.close(); });

test('production: Hosted UI sign-in with PKCE, tokens in memory, silent refresh, sign-out', async () => {
  const page = await s.page();
  await page.goto(`${s.server.base}/`);
  assert.equal(await page.getByRole('button', { name: /Sam Seller/ }).count(), 0, 'no development sign-in in production');
  await page.getByRole('button', { name: 'Sign in with your company account' }).click();
  await page.getByRole('heading', { name: 'My opportunities' }).waitFor();
  assert.equal(await page.locator('#who').textContent(), 'Cora CognitoSign out');
  assert.equal(new URL(page.url()).search, '', 'the code is removed from the address');
  const [grant] = seen.token;
  assert.equal(grant.grant_type, 'authorization_code');
  assert.equal(grant.redirect_uri, `${s.server.base}/`);
  assert.ok(grant.code_verifier.length >= 43);
  assert.notEqual(seen.authorize[0].code_challenge, grant.code_verifier, 'the challenge is not the verifier');
  assert.equal(await page.evaluate(() => localStorage.length), 0, 'no token in storage');
  // Silent refresh a minute before expiry (66 s), with the refresh token; the page stays signed in.
  for (let i = 0; i < 200 && !seen.token.some((t) => t.grant_type === 'refresh_token'); i++) await page.waitForTimeout(100);
  assert.ok(seen.token.some((t) => t.grant_type === 'refresh_token' && t.refresh_token === 'refresh-1'), 'refreshed');
  await page.getByRole('link', { name: 'New', exact: true }).click();
  await page.getByRole('heading', { name: 'New opportunity' }).waitFor();
  // Sign-out goes through the Hosted UI and back to the sign-in.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in with your company account' }).waitFor();
  assert.equal(seen.logout, 1);
  s.assertNoProblems();
});

test('production without a Hosted UI: a pasted token signs in, a bad one is refused', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'oms-web-token-'));
  const token = execFileSync(binary, ['token', '--data-dir', dataDir, '--role', 'ADMIN', '--sub', 'ada', '--name', 'Ada Pasted'],
    { encoding: 'utf8' }).trim();
  const other = await openSession({ dataDir, profile: 'production', args: ['--jwt-issuer', 'oms-local', '--jwt-client-id', 'oms',
    '--jwks-url', `file://${dataDir}/jwks.json`, '--metrics-port', '0'] });
  try {
    const page = await other.page();
    await page.goto(`${other.server.base}/`);
    await page.getByLabel('Bearer token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.error-summary').waitFor();
    await page.getByLabel('Bearer token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My opportunities' }).waitFor();
    assert.equal(await page.locator('#who').textContent(), 'Ada PastedSign out');
    await other.accessible(page, 'dashboard in production');
    other.assertNoProblems();
  } finally {
    await other.close();
  }
});
