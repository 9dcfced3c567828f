// The page, story by story, in Debian's chromium against the real `oms serve` (OMS_WEB_STORE:
// sqlite or postgres). Each test signs in through the development sign-in like a person would.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { completeDraft, fixtures, k_statement, openSession } from './session.mjs';

let s;
let f;
let technical;
before(async () => {
  s = await openSession();
  f = await fixtures(s);
  technical = f.skills.find((k) => k.category === 'TECHNICAL' && k.is_active);
});
after(async () => { await s?.close(); });

test('sign-in: the development sign-in lists the demo users; sign-out returns to it', async () => {
  const page = await s.page();
  await page.goto(`${s.server.base}/`);
  for (const name of ['Sam Seller', 'Sue Second', 'Ada Admin']) await page.getByRole('button', { name: new RegExp(name) }).waitFor();
  await page.getByRole('button', { name: /Sam Seller/ }).click();
  await page.getByRole('heading', { name: 'My opportunities' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Admin' }).count(), 0, 'a sales manager has no admin link');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  // Tokens live in memory only: nothing in storage.
  assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);
  s.assertNoProblems();
});

// US-SM-3, 4, 5 and 7 with the keyboard only: Tab to each control, type, Space, Enter.
test('create and submit with the keyboard only', async () => {
  const page = await s.signedIn('Sam Seller');
  const tabTo = async (label) => {
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press('Tab');
      const here = await page.evaluate(() => {
        const el = document.activeElement;
        const byFor = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
        return (byFor || el.getAttribute('aria-label') || el.textContent || '').trim();
      });
      if (here === label) return;
    }
    assert.fail(`Tab never reached ${label}`);
  };
  // Arrow keys through a closed select until the option is chosen (type-ahead resets after a
  // pause, which a loaded machine may take between keys).
  const choose = async (text) => {
    for (let i = 0; i < 200; i++) {
      const chosen = await page.evaluate(() => document.activeElement.selectedOptions[0]?.textContent);
      if (chosen.startsWith(text)) return;
      await page.keyboard.press('ArrowDown');
    }
    assert.fail(`no option ${text}`);
  };
  await tabTo('New');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'New opportunity' }).waitFor();
  await tabTo('Customer');
  await choose(f.customer.name);
  await tabTo('Title');
  await page.keyboard.type('Keyboard-only migration');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Move the order system to the cloud');
  await tabTo('Annual recurring revenue');
  await page.keyboard.type('250000.00');
  await tabTo('Region');
  await page.keyboard.type('EMEA');
  await tabTo('Problem statement (Markdown)');
  await page.keyboard.type(k_statement.slice(0, 60));
  assert.match(await page.locator('.count').textContent(), /more needed/);
  await page.keyboard.type(k_statement.slice(60));
  assert.match(await page.locator('.count').textContent(), /✓/);
  assert.equal(await page.locator('.preview strong').textContent(), 'three', 'the Markdown preview renders');
  await tabTo('Skill');
  await choose(`${technical.name} (`);
  await tabTo('Add skill');
  await page.keyboard.press('Enter');
  await page.locator('.requirements li').first().waitFor();
  assert.match(await page.locator('#must-rule').textContent(), /At least one skill is a Must Have/);
  await tabTo('Expected start');
  await page.keyboard.type('03012031');
  await tabTo('Expected end');  // Tab steps through a date's month, day and year first
  await page.keyboard.type('06302031');
  await tabTo('Submit');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Keyboard-only migration' }).waitFor();
  assert.equal(await page.locator('.facts .badge').textContent(), 'Submitted');
  s.assertNoProblems();
});

test('submit lists every unmet prerequisite at once, each next to its field', async () => {
  const page = await s.signedIn('Sam Seller');
  await page.goto(`${s.server.base}/#/new`);
  await page.getByRole('heading', { name: 'New opportunity' }).waitFor();
  // Nothing filled in: Save draft shows the server's field errors beside the fields.
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.locator('.error-summary').waitFor();
  for (const label of ['Customer', 'Title', 'Annual recurring revenue', 'Region'])
    assert.ok(await page.locator(`[data-field] .field-error:not([hidden])`).filter({ has: page.locator(':scope') }).count() > 0, label);
  assert.notEqual(await page.getByLabel('Title').getAttribute('aria-invalid'), null);
  assert.match(await page.locator('[data-field="title"] .field-error').textContent(), /\S/);
  // Details only, then Submit: the statement, the skills and the timeline are all listed.
  await page.getByLabel('Customer', { exact: true }).selectOption(f.customer.id);
  await page.getByLabel('Title').fill('Only the details');
  await page.getByLabel('Short description').fill('Details but nothing else');
  await page.getByLabel('Annual recurring revenue').fill('1000.00');
  await page.getByLabel('Region').fill('Nordics');
  await page.getByLabel('Problem statement (Markdown)').fill('Too short.');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByText('It cannot be submitted yet').waitFor();
  const errorOf = (field) => page.locator(`[data-field="${field}"] .field-error`).textContent();
  assert.match(await errorOf('problem_statement'), /140/);
  assert.match(await errorOf('skill_requirements'), /skill requirement/);
  assert.match(await errorOf('timeline'), /timeline/);
  s.assertNoProblems();
});

// The new customer goes inline with the opportunity (one request, one transaction): its
// problems are shown next to its fields, and nothing is created until the whole request is valid.
test('add a customer while creating: sent with the opportunity in one request', async () => {
  const page = await s.signedIn('Sam Seller');
  await page.goto(`${s.server.base}/#/new`);
  await page.getByRole('button', { name: 'Add a new customer' }).click();
  assert.equal(await page.getByLabel('Customer', { exact: true }).isDisabled(), true, 'either pick or add');
  const name = `Inline Customer ${Date.now()}`;
  await page.getByLabel('Title').fill('With a new customer');
  await page.getByLabel('Short description').fill('The customer is added here');
  await page.getByLabel('Annual recurring revenue').fill('5000.00');
  await page.getByLabel('Region').fill('EMEA');
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST' && /\/api\/v1\/(customers|opportunities)$/.test(new URL(r.url()).pathname)) posts.push(r.url()); });
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.locator('.add-customer [data-field="customer.name"] .field-error:not([hidden])').waitFor();
  await s.accessible(page, 'create with a new customer and its errors');
  const before = (await s.api('sm-1', 'GET', `/api/v1/customers?query=${encodeURIComponent(name)}`)).body.items;
  assert.deepEqual(before, [], 'a refused request created no customer');
  await page.getByLabel('Customer name').fill(name);
  await page.getByLabel('Industry').fill('Energy');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByRole('heading', { name: 'With a new customer' }).waitFor();
  await page.locator('.facts', { hasText: name }).waitFor();
  assert.ok(posts.every((u) => new URL(u).pathname === '/api/v1/opportunities'), `no separate POST /customers: ${posts.join(', ')}`);
  assert.equal(posts.length, 2, 'the refused request and the accepted one');
  const created = (await s.api('sm-1', 'GET', `/api/v1/customers?query=${encodeURIComponent(name)}`)).body.items;
  assert.equal(created.length, 1);
  s.assertNoProblems();
});

test('dashboard: filters, search, sort, needs attention and paging that keeps its place', async () => {
  for (let i = 0; i < 23; i++) {
    await s.api('sm-2', 'POST', '/api/v1/opportunities', { title: `Paging ${String(i).padStart(2, '0')} zebra`, description: 'For the dashboard test',
      customer_id: f.customer.id, priority: i % 4 === 0 ? 'CRITICAL' : 'LOW', annual_recurring_revenue: '10.00', currency: 'EUR',
      geographic_requirements: { region: 'APAC', requires_physical_presence: false, allows_remote_work: true } });
  }
  const page = await s.signedIn('Sue Second');
  await page.getByLabel('Sort by').selectOption('title');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('link', { name: 'Paging 00 zebra' }).waitFor();
  assert.equal(await page.locator('tbody tr').count(), 20);
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByRole('link', { name: 'Paging 20 zebra' }).waitFor();
  await page.getByRole('link', { name: 'Paging 21 zebra' }).click();
  await page.getByRole('heading', { name: 'Paging 21 zebra' }).waitFor();
  await page.goBack();
  await page.getByRole('link', { name: 'Paging 20 zebra' }).waitFor();  // the same page, same order
  assert.equal(await page.locator('tbody tr').count(), 3);
  await page.getByRole('button', { name: 'Previous page' }).click();
  await page.getByRole('link', { name: 'Paging 00 zebra' }).waitFor();
  // Filters: priority, status, search; needs attention (fresh drafts need none).
  await page.getByLabel('Priority').selectOption('CRITICAL');
  await page.getByLabel('Search title and description').fill('zebra 12');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('link', { name: 'Paging 12 zebra' }).waitFor();
  assert.deepEqual(await page.locator('tbody td[data-label="Title"]').allTextContents(), ['Paging 12 zebra']);
  await page.getByLabel('Needs attention only').check();
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByText('Nothing needs your attention.').waitFor();
  // A bad filter value is explained next to its field.
  await page.goto(`${s.server.base}/#/?created_from=x&from=2031-13-45`);
  await page.locator('[data-field="created_from"] .field-error:not([hidden])').waitFor();
  s.assertNoProblems();
});

test('detail: history, modify with a reason, and an If-Match conflict explained', async () => {
  const o = await completeDraft(s, 'sm-1', f.customer.id, technical.id, 'Detail story');
  await s.api('sm-1', 'POST', `/api/v1/opportunities/${o.id}/submit`, {});
  const page = await s.signedIn('Sam Seller');
  await page.goto(`${s.server.base}/#/opportunities/${o.id}`);
  await page.getByRole('heading', { name: 'Detail story' }).waitFor();
  assert.equal(await page.locator('.markdown h4').first().textContent(), 'The problem');
  assert.match(await page.locator('.history').textContent(), /Draft → Submitted/);
  // Submitted: a change needs a reason, shown next to the reason field.
  await page.getByLabel('Title').fill('Detail story, renamed');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('[data-field="reason"] .field-error:not([hidden])').waitFor();
  await page.getByLabel('Reason for the change (required)').fill('The customer renamed the project');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('heading', { name: 'Detail story, renamed' }).waitFor();
  const history = await page.locator('table.list').last().textContent();
  assert.match(history, /The customer renamed the project/);
  assert.match(history, /Detail story, renamed/);
  // Someone else changes it while the page is open: the save is refused and explained.
  await s.api('sm-1', 'PATCH', `/api/v1/opportunities/${o.id}`, { priority: 'LOW', reason: 'elsewhere' });
  await page.getByLabel('Title').fill('Mine');
  await page.getByLabel('Reason for the change (required)').fill('late');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('changed by someone else').waitFor();
  await page.getByRole('button', { name: 'Reload' }).click();
  await page.locator('.facts', { hasText: 'Low' }).waitFor();  // their change, and not mine
  assert.equal(await page.getByRole('heading', { name: 'Detail story, renamed' }).count(), 1);
  s.assertNoProblems();
});

test('cancel with a reason, then reactivate within the 90-day window', async () => {
  const o = await completeDraft(s, 'sm-1', f.customer.id, technical.id, 'Cancel story');
  const page = await s.signedIn('Sam Seller');
  await page.goto(`${s.server.base}/#/opportunities/${o.id}`);
  await page.getByRole('button', { name: 'Cancel opportunity' }).click();
  await page.locator('[data-field="reason"] .field-error:not([hidden])').first().waitFor();
  await page.getByLabel('Reason for cancelling').fill('Budget frozen');
  await page.getByRole('button', { name: 'Cancel opportunity' }).click();
  await page.locator('.facts .badge', { hasText: 'Cancelled' }).waitFor();
  assert.match(await page.getByText('It can be reactivated until').textContent(), /90 days left|89 days left/);
  await page.getByRole('button', { name: 'Reactivate' }).click();
  await page.locator('.facts .badge', { hasText: 'Draft' }).waitFor();
  s.assertNoProblems();
});

test('admin: skills catalog, customers, users and the audit log with verification', async () => {
  const page = await s.signedIn('Ada Admin');
  await page.getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('heading', { name: 'Skills catalog' }).waitFor();
  // Add: an empty name is refused next to the field; then a real one with synonyms.
  await page.getByRole('button', { name: 'Add skill' }).click();
  await page.locator('[data-field="name"] .field-error:not([hidden])').first().waitFor();
  await page.getByLabel('Name').first().fill('Quantum Plumbing');
  await page.getByLabel('Description').first().fill('Pipes in superposition');
  await page.getByLabel('Synonyms').first().fill('qp, quantum pipes');
  await page.getByRole('button', { name: 'Add skill' }).click();
  const row = page.locator('tr', { hasText: 'Quantum Plumbing' });
  await row.waitFor();
  assert.match(await row.textContent(), /qp, quantum pipes/);
  await page.getByRole('button', { name: 'Edit Quantum Plumbing' }).click();
  await page.getByLabel('Synonyms').last().fill('qp');
  await page.getByRole('button', { name: 'Save skill' }).click();
  await page.locator('tr', { hasText: 'Quantum Plumbing' }).locator('td[data-label="Synonyms"]', { hasText: /^qp$/ }).waitFor();
  // exact: a name is otherwise matched as a substring, and "Deactivate …" contains "activate …".
  await page.getByRole('button', { name: 'Deactivate Quantum Plumbing', exact: true }).click();
  await page.getByRole('button', { name: 'Activate Quantum Plumbing', exact: true }).waitFor();
  // Customers.
  await page.getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('heading', { name: 'Customers' }).waitFor();
  await page.locator('td', { hasText: f.customer.name }).first().waitFor();
  // Users: deactivate and activate Sue.
  await s.api('sm-2', 'GET', '/api/v1/me');  // users are recorded on first sight
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'Deactivate Sue Second', exact: true }).click();
  await page.getByRole('button', { name: 'Activate Sue Second', exact: true }).click();
  await page.getByRole('button', { name: 'Deactivate Sue Second', exact: true }).waitFor();
  // Later stories sign in as Sue: she must end this one active.
  const sue = (await s.api('admin-1', 'GET', '/api/v1/users')).body.items.find((u) => u.id === 'sm-2');
  assert.equal(sue.is_active, true);
  // Audit log and its verification.
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.locator('td[data-label="Action"]').first().waitFor();
  await page.getByRole('button', { name: 'Verify the chain' }).click();
  await page.getByText(/The chain is intact: \d+ entries checked/).waitFor();
  s.assertNoProblems();
});

test('/docs: the API reference, and "try it" against this server', async () => {
  const page = await s.page();
  await page.goto(`${s.server.base}/docs`);
  await page.getByRole('heading', { name: /Opportunity Management Service/ }).waitFor();
  await page.getByRole('button', { name: 'Use this demo user\'s token' }).click();
  await page.waitForFunction(() => document.querySelector('input[name=token]').value.split('.').length === 3);
  const op = page.locator('details#getMe');
  await op.locator('summary').click();
  await op.getByRole('button', { name: 'Send GET' }).click();
  await op.locator('pre.out', { hasText: '200' }).waitFor();
  assert.match(await op.locator('pre.out').textContent(), /"role": "SALES_MANAGER"/);
  s.assertNoProblems();
});

// Both widths, for views that only exist after some clicks.
async function accessibleAtBothWidths(page, where) {
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await s.accessible(page, `${where} at ${width}px`);
    await s.fits(page, `${where} at ${width}px`);
  }
}

test('customers: the creator edits, a conflict is explained, deactivation hides it from new opportunities', async () => {
  const c = (await s.api('sm-1', 'POST', '/api/v1/customers', { name: `Editable ${Date.now()}`, industry: 'Retail' })).body;
  const page = await s.signedIn('Sam Seller');
  await page.getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('heading', { name: 'Customers' }).waitFor();
  const row = () => page.locator('tr', { hasText: c.name });
  // Edit: only the changed field is sent, with If-Match.
  await page.getByRole('button', { name: `Edit ${c.name}` }).click();
  await page.getByRole('heading', { name: `Edit ${c.name}` }).waitFor();
  await accessibleAtBothWidths(page, 'customer editor');
  await page.getByLabel('Industry').last().fill('Logistics');
  await page.getByLabel('Contact name').last().fill('Lee Buyer');
  await page.getByLabel('Contact email').last().fill('lee@example.com');
  await page.getByRole('button', { name: 'Save customer' }).click();
  await row().locator('td[data-label="Industry"]', { hasText: 'Logistics' }).waitFor();
  const saved = (await s.api('sm-1', 'GET', `/api/v1/customers/${c.id}`));
  assert.equal(saved.etag, '"2"');
  assert.deepEqual(saved.body.primary_contact, { name: 'Lee Buyer', email: 'lee@example.com', phone: '' });
  // Someone else changes it while the editor is open: refused (412) and explained.
  await page.getByRole('button', { name: `Edit ${c.name}` }).click();
  await page.getByRole('heading', { name: `Edit ${c.name}` }).waitFor();  // read, with its ETag
  await s.api('admin-1', 'PATCH', `/api/v1/customers/${c.id}`, { industry: 'Energy' });
  await page.getByLabel('Industry').last().fill('Mining');
  await page.getByRole('button', { name: 'Save customer' }).click();
  await page.getByText('This customer was changed by someone else').waitFor();
  await page.getByRole('button', { name: 'Reload' }).click();
  await row().locator('td[data-label="Industry"]', { hasText: 'Energy' }).waitFor();
  // Deactivate: it leaves the create form's choices; reactivate brings it back.
  await page.getByRole('button', { name: `Deactivate ${c.name}` }).click();
  await row().locator('td[data-label="State"]', { hasText: 'Inactive' }).waitFor();
  await page.getByRole('link', { name: 'New', exact: true }).click();
  await page.getByRole('heading', { name: 'New opportunity' }).waitFor();
  assert.equal(await page.locator(`select[name=customer_id] option[value="${c.id}"]`).count(), 0);
  await page.getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('button', { name: `Reactivate ${c.name}` }).click();
  await row().locator('td[data-label="State"]', { hasText: 'Active' }).waitFor();
  // Another Sales Manager may see it but not change it: the server's reason is shown.
  const other = await s.signedIn('Sue Second');
  await other.getByRole('link', { name: 'Customers' }).click();
  await other.getByRole('button', { name: `Deactivate ${c.name}` }).click();
  await other.getByText('Only the Sales Manager who created this customer').waitFor();
  await accessibleAtBothWidths(other, 'customers with a refusal');
  s.assertNoProblems();
});

test('attachments: upload with progress through the signed URL, download, remove', async () => {
  const o = await completeDraft(s, 'sm-1', f.customer.id, technical.id, 'Attachment story');
  const page = await s.signedIn('Sam Seller');
  await page.goto(`${s.server.base}/#/opportunities/${o.id}`);
  await page.getByRole('heading', { name: 'Attachments' }).waitFor();
  await page.getByText('No attachments.').waitFor();
  const content = Buffer.from(`meeting notes ${Date.now()}\n`.repeat(2000));
  await page.getByLabel('File to attach').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: content });
  const put = page.waitForRequest((r) => r.method() === 'PUT' && r.url().includes('/objects/attachments/'));
  // What the progress line said along the way (the upload's progress events drive it).
  await page.evaluate(() => {
    const line = document.querySelector('form.inline [role=status]');
    window.progressSeen = [];
    new MutationObserver(() => window.progressSeen.push(line.textContent)).observe(line, { childList: true, characterData: true, subtree: true });
  });
  await page.getByRole('button', { name: 'Upload' }).click();
  const sent = await put;
  assert.equal(sent.headers()['content-type'], 'text/plain', 'with the signed headers');
  await page.locator('td[data-label="File"]', { hasText: 'notes.txt' }).waitFor();
  await page.getByText('notes.txt attached.', { exact: true }).first().waitFor();
  const seen = await page.evaluate(() => window.progressSeen);
  assert.ok(seen.some((t) => /^Uploading notes\.txt: \d+ %$/.test(t)), `progress shown: ${seen.join(' | ')}`);
  const listed = (await s.api('sm-1', 'GET', `/api/v1/opportunities/${o.id}/attachments`)).body.items;
  assert.equal(listed.length, 1);
  assert.equal(listed[0].checksum_sha256, createHash('sha256').update(content).digest('hex'), 'the SHA-256 computed in the browser');
  await accessibleAtBothWidths(page, 'detail with an attachment');
  await page.setViewportSize({ width: 1280, height: 900 });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download notes.txt' }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), 'notes.txt');
  assert.ok(readFileSync(await file.path()).equals(content), 'the same bytes come back');
  await page.getByRole('button', { name: 'Remove notes.txt' }).click();
  await page.getByText('No attachments.').waitFor();
  assert.equal((await s.api('sm-1', 'GET', `/api/v1/opportunities/${o.id}/attachments`)).body.items.length, 0);
  s.assertNoProblems();
});

test('detail: a required skill\'s importance and proficiency are changed in place', async () => {
  const o = await completeDraft(s, 'sm-1', f.customer.id, technical.id, 'In-place skill story');
  const page = await s.signedIn('Sam Seller');
  await page.goto(`${s.server.base}/#/opportunities/${o.id}`);
  await page.getByLabel(`Importance of ${technical.name}`).selectOption('NICE_TO_HAVE');
  await page.getByLabel(`Minimum proficiency for ${technical.name}`).selectOption('EXPERT');
  await page.getByRole('button', { name: `Save ${technical.name}` }).click();
  await page.getByText(`${technical.name} saved.`).waitFor();
  const r = (await s.api('sm-1', 'GET', `/api/v1/opportunities/${o.id}`)).body.skill_requirements[0];
  assert.deepEqual([r.importance, r.minimum_proficiency], ['NICE_TO_HAVE', 'EXPERT']);
  s.assertNoProblems();
});

test('dashboard: several statuses at once', async () => {
  const marker = `multistatus${Date.now()}`;
  await completeDraft(s, 'sm-1', f.customer.id, technical.id, `${marker} draft`);
  const submitted = await completeDraft(s, 'sm-1', f.customer.id, technical.id, `${marker} submitted`);
  await s.api('sm-1', 'POST', `/api/v1/opportunities/${submitted.id}/submit`, {});
  const cancelled = await completeDraft(s, 'sm-1', f.customer.id, technical.id, `${marker} cancelled`);
  await s.api('sm-1', 'POST', `/api/v1/opportunities/${cancelled.id}/cancel`, { reason: 'not now' });
  const page = await s.signedIn('Sam Seller');
  await page.getByLabel('Search title and description').fill(marker);
  await page.getByLabel('Draft', { exact: true }).check();
  await page.getByLabel('Submitted', { exact: true }).check();
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('link', { name: `${marker} submitted` }).waitFor();
  assert.match(page.url(), /status=DRAFT&status=SUBMITTED/);
  assert.deepEqual((await page.locator('tbody td[data-label="Title"]').allTextContents()).sort(),
    [`${marker} draft`, `${marker} submitted`]);
  // The place is in the address: away and back shows the same view, boxes still ticked.
  await page.getByRole('link', { name: 'New', exact: true }).click();
  await page.getByRole('heading', { name: 'New opportunity' }).waitFor();
  await page.goBack();
  await page.getByRole('link', { name: `${marker} draft` }).waitFor();
  assert.equal(await page.getByLabel('Submitted', { exact: true }).isChecked(), true);
  assert.equal(await page.getByLabel('Cancelled', { exact: true }).isChecked(), false);
  assert.equal(await page.locator('tbody tr').count(), 2);
  await accessibleAtBothWidths(page, 'dashboard with several statuses');
  s.assertNoProblems();
});

// The names of the controls Tab visits, in order, from the top of the page (bounded).
async function tabStops(page, limit = 200) {
  await page.evaluate(() => document.activeElement?.blur());
  const names = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const byFor = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
      return (el.getAttribute('aria-label') || byFor || el.textContent || '').trim();
    });
    if (name === null || names.includes(name) && name === names[0]) break;
    names.push(name);
  }
  return names;
}

test('the new controls are reachable with the keyboard', async () => {
  const c = (await s.api('sm-1', 'POST', '/api/v1/customers', { name: `Keyboard ${Date.now()}`, industry: 'Retail' })).body;
  const o = await completeDraft(s, 'sm-1', f.customer.id, technical.id, 'Keyboard story');
  const page = await s.signedIn('Sam Seller');
  await page.goto(`${s.server.base}/#/customers`);
  await page.getByRole('button', { name: `Edit ${c.name}` }).waitFor();
  let stops = await tabStops(page);
  for (const name of [`Edit ${c.name}`, `Deactivate ${c.name}`, 'Add customer']) assert.ok(stops.includes(name), `${name} in ${stops.join(' | ')}`);
  await page.goto(`${s.server.base}/#/opportunities/${o.id}`);
  await page.getByRole('heading', { name: 'Attachments' }).waitFor();
  stops = await tabStops(page);
  for (const name of ['File to attach', 'Upload', `Importance of ${technical.name}`, `Minimum proficiency for ${technical.name}`, `Save ${technical.name}`])
    assert.ok(stops.includes(name), `${name} in ${stops.join(' | ')}`);
  await page.goto(`${s.server.base}/#/`);
  await page.getByRole('heading', { name: 'My opportunities' }).waitFor();
  stops = await tabStops(page);
  for (const name of ['Draft', 'Submitted', 'Cancelled']) assert.ok(stops.includes(name), `${name} in ${stops.join(' | ')}`);
  s.assertNoProblems();
});

// Every page, at a 375 px phone width and a desktop width: 0 WCAG 2.1 AA violations (axe-core)
// and nothing wider than the screen.
test('every page is accessible and fits a phone and a desktop', async () => {
  const o = await completeDraft(s, 'admin-1', f.customer.id, technical.id, 'Accessibility story');
  const pages = [
    ['sign-in', null, '/'],
    ['dashboard', 'Ada Admin', '/#/'],
    ['create', 'Ada Admin', '/#/new'],
    ['detail', 'Ada Admin', `/#/opportunities/${o.id}`],
    ['skills', 'Ada Admin', '/#/admin/skills'],
    ['customers', 'Ada Admin', '/#/admin/customers'],
    ['customers (sales manager)', 'Sam Seller', '/#/customers'],
    ['users', 'Ada Admin', '/#/admin/users'],
    ['audit', 'Ada Admin', '/#/admin/audit'],
    ['docs', null, '/docs'],
  ];
  for (const size of [{ width: 375, height: 812 }, { width: 1280, height: 900 }]) {
    for (const [name, who, path] of pages) {
      const page = who ? await s.signedIn(who, size) : await s.page(size);
      await page.goto(`${s.server.base}${path}`);
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      if (name === 'create') {  // with its validation messages showing
        await page.getByRole('button', { name: 'Save draft' }).click();
        await page.locator('.error-summary').waitFor();
      }
      await s.accessible(page, `${name} at ${size.width}px`);
      await s.fits(page, `${name} at ${size.width}px`);
      await page.close();
    }
  }
  s.assertNoProblems();
});

// The checks above can fail: axe finds a missing alt text and a missing label, and the width
// check finds a page wider than the phone.
test('the accessibility and width checks catch a bad page', async () => {
  const page = await s.page({ width: 375, height: 812 });
  await page.setContent('<html lang="en"><head><title>bad</title></head><body><main><h1>Bad</h1><img src="x.png">'
    + '<input type="text"><div style="width:600px">wide</div></main></body></html>');
  const ids = (await (await import('./harness.mjs')).axeViolations(page)).map((v) => v.split(':')[0]);
  assert.ok(ids.includes('image-alt') && ids.includes('label'), ids.join(', '));
  await assert.rejects(s.fits(page, 'bad page'), /600px wide|wide in a 375px viewport/);
  s.problems.splice(0);
});
