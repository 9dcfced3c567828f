// Writes the README's screenshots (docs/screenshots/*.png): the dashboard, the create form with
// its validation messages, the detail page and an admin page, at desktop and phone widths,
// from the real server with a little demo data. Not a test:
//   OMS_BINARY=build/release/oms node tests/web/screenshots.mjs
import { mkdirSync } from 'node:fs';
import { completeDraft, fixtures, openSession } from './session.mjs';

const out = new URL('../../docs/screenshots/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const s = await openSession();
try {
  const f = await fixtures(s);
  f.customer = (await s.api('sm-1', 'POST', '/api/v1/customers', { name: 'Northwind Retail', industry: 'Retail' })).body;
  const technical = f.skills.find((k) => k.category === 'TECHNICAL' && k.is_active);
  const titles = ['Cloud migration for the order system', 'Data platform modernisation', 'Contact centre AI pilot',
    'SAP landscape assessment', 'Zero-trust network rollout'];
  let detail;
  for (const [i, title] of titles.entries()) {
    const o = await completeDraft(s, 'sm-1', f.customer.id, technical.id, title);
    if (i % 2 === 0) await s.api('sm-1', 'POST', `/api/v1/opportunities/${o.id}/submit`, {});
    if (i === 0) {
      detail = o;
      await s.api('sm-1', 'PATCH', `/api/v1/opportunities/${o.id}`, { priority: 'CRITICAL', reason: 'Board-level sponsor since this week' });
    }
    if (i === 3) await s.api('sm-1', 'POST', `/api/v1/opportunities/${o.id}/cancel`, { reason: 'Budget moved to next year' });
  }
  for (const [suffix, size] of [['desktop', { width: 1280, height: 860 }], ['phone', { width: 375, height: 812 }]]) {
    const shot = async (page, name) => {
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: `${out}${name}-${suffix}.png` });
    };
    let page = await s.signedIn('Sam Seller', size);
    await page.getByRole('link', { name: titles[0] }).waitFor();
    await shot(page, 'dashboard');
    await page.goto(`${s.server.base}/#/new`);
    await page.getByLabel('Title').fill('Analytics');
    await page.getByLabel('Problem statement (Markdown)').fill('## Goal\n\nA **short** statement.');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.locator('.error-summary').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'create');
    await page.goto(`${s.server.base}/#/opportunities/${detail.id}`);
    await page.getByRole('heading', { name: titles[0] }).waitFor();
    await shot(page, 'detail');
    await page.close();
    page = await s.signedIn('Ada Admin', size);
    await page.goto(`${s.server.base}/#/admin/skills`);
    await page.getByRole('heading', { name: 'Skills catalog' }).waitFor();
    await shot(page, 'admin-skills');
    await page.close();
  }
} finally {
  await s.close();
}
