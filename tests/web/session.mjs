// Per-test-file setup: one server, one browser, helpers to act in the page and through the API.
import assert from 'node:assert/strict';
import { axeViolations, launch, startServer } from './harness.mjs';

export async function openSession(serverOptions) {
  const server = await startServer(serverOptions);
  const context = await launch();
  const problems = [];  // CSP violations, uncaught errors: each fails the test that caused it
  const s = {
    server, context, problems,
    async page({ width = 1280, height = 900 } = {}) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height });
      page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) problems.push(m.text()); });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      return page;
    },
    // A page signed in as a demo user through the development sign-in (clicks its button).
    async signedIn(name = 'Sam Seller', size) {
      const page = await s.page(size);
      await page.goto(`${server.base}/`);
      await page.getByRole('button', { name: new RegExp(name) }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      return page;
    },
    async token(userId) {
      const res = await fetch(`${server.base}/api/v1/dev/tokens`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user_id: userId }) });
      assert.equal(res.status, 200);
      return (await res.json()).token;
    },
    async api(userId, method, path, body, headers = {}) {
      const res = await fetch(`${server.base}${path}`, { method, headers: { Authorization: `Bearer ${await s.token(userId)}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers }, body: body ? JSON.stringify(body) : undefined });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return { status: res.status, body: text ? JSON.parse(text) : null, etag: res.headers.get('ETag') };
    },
    async accessible(page, where) {
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `${where}: WCAG 2.1 AA violations`);
    },
    // No horizontal scrolling: everything fits the viewport's width.
    async fits(page, where) {
      const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
      assert.ok(scroll <= width, `${where}: ${scroll}px wide in a ${width}px viewport`);
    },
    assertNoProblems() {
      const copy = problems.splice(0);
      assert.deepEqual(copy, [], 'console: CSP violations or page errors');
    },
    async close() {
      await context.close();
      assert.equal(await server.stop(), 0, 'oms serve exits 0 on SIGTERM');
    },
  };
  return s;
}

// A customer, a skill and a complete draft (everything submission needs), made through the API.
export async function fixtures(s) {
  const customer = (await s.api('sm-1', 'POST', '/api/v1/customers', { name: `Acme ${Date.now()}`, industry: 'Retail' })).body;
  const skills = (await s.api('sm-1', 'GET', '/api/v1/skills?limit=100')).body.items;
  return { customer, skills };
}

export const k_statement = `## The problem\n\nThe customer runs **three** data centres and wants to move their order system to the cloud `
  + 'within a year, without downtime during the holiday season.\n\n- keep latency low\n- keep the audit trail\n';

export async function completeDraft(s, userId, customerId, skillId, title = `Migration ${Math.random().toString(36).slice(2, 8)}`) {
  const o = (await s.api(userId, 'POST', '/api/v1/opportunities', { title, description: 'Move the order system', customer_id: customerId,
    priority: 'HIGH', annual_recurring_revenue: '125000.00', currency: 'USD',
    geographic_requirements: { region: 'EMEA', requires_physical_presence: false, allows_remote_work: true } })).body;
  await s.api(userId, 'PUT', `/api/v1/opportunities/${o.id}/problem-statement`, { content: k_statement });
  await s.api(userId, 'POST', `/api/v1/opportunities/${o.id}/skill-requirements`, { skill_id: skillId, importance: 'MUST_HAVE', minimum_proficiency: 'ADVANCED' });
  await s.api(userId, 'PUT', `/api/v1/opportunities/${o.id}/timeline`, { expected_start_date: '2031-03-01', expected_end_date: '2031-06-30', specific_required_days: [], is_flexible: false });
  return o;
}
