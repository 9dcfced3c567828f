// Admin pages: the skills catalog (add, edit, deactivate, synonyms), customers, users
// (activate, deactivate) and the audit log with its verification.
import * as api from './api.js';
import { categories, loadCustomers, loadSkills } from './data.js';
import { clearErrors, date, field, h, label, page, select, showProblem, toast } from './ui.js';

const tabs = [['skills', 'Skills catalog'], ['customers', 'Customers'], ['users', 'Users'], ['audit', 'Audit log']];

function adminPage(current, title, ...children) {
  const nav = h('nav', { class: 'tabs', 'aria-label': 'Admin' }, tabs.map(([k, t]) =>
    h('a', { href: `#/admin/${k}`, 'aria-current': k === current ? 'page' : null }, t)));
  return page(title, nav, ...children);
}

function skillForm(skill, done) {
  const form = h('form', { class: 'card', novalidate: true });
  const name = h('input', { name: 'name', value: skill?.name || '' });
  const category = select(categories.map((c) => [c, label(c)]), skill?.category || 'TECHNICAL', { name: 'category' });
  const description = h('textarea', { name: 'description', rows: 2 }, skill?.description || '');
  const synonyms = h('input', { name: 'synonyms', value: (skill?.synonyms || []).join(', ') });
  form.append(h('h2', {}, skill ? `Edit ${skill.name}` : 'Add a skill'),
    h('div', { class: 'row' }, field('Name', name, { name: 'name' }), field('Category', category, { name: 'category' })),
    field('Description', description, { name: 'description' }),
    field('Synonyms', synonyms, { name: 'synonyms', hint: 'Separated by commas' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, skill ? 'Save skill' : 'Add skill')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = { name: name.value.trim(), category: category.value, description: description.value.trim(),
      synonyms: synonyms.value.split(',').map((s) => s.trim()).filter(Boolean) };
    try {
      await api.api(skill ? 'PATCH' : 'POST', skill ? `/api/v1/skills/${skill.id}` : '/api/v1/skills', { body });
      toast(skill ? 'Skill saved.' : 'Skill added.');
      done();
    } catch (err) { showProblem(form, err); }
  });
  return form;
}

export async function skillsAdmin() {
  await loadSkills(true);  // so the create form's picker sees the catalog as it is now
  const all = await api.all('/api/v1/skills', { include_inactive: 'true' });
  const reload = () => skillsAdmin();
  const editSlot = h('div');
  const rows = all.map((s) => h('tr', {},
    h('td', { 'data-label': 'Name' }, s.name), h('td', { 'data-label': 'Category' }, label(s.category)),
    h('td', { 'data-label': 'Synonyms' }, s.synonyms.join(', ') || '—'),
    h('td', { 'data-label': 'State' }, s.is_active ? 'Active' : 'Inactive'),
    h('td', { 'data-label': 'Actions' },
      h('button', { type: 'button', class: 'link', 'aria-label': `Edit ${s.name}`, onclick: () => { editSlot.replaceChildren(skillForm(s, reload)); editSlot.querySelector('input').focus(); } }, 'Edit'),
      h('button', { type: 'button', class: 'link', 'aria-label': `${s.is_active ? 'Deactivate' : 'Activate'} ${s.name}`, onclick: async () => {
        try { await api.api('PATCH', `/api/v1/skills/${s.id}`, { body: { is_active: !s.is_active } }); toast('Saved.'); reload(); } catch (err) { showProblem(editSlot, err); }
      } }, s.is_active ? 'Deactivate' : 'Activate'))));
  adminPage('skills', 'Skills catalog', skillForm(null, reload), editSlot,
    h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['Name', 'Category', 'Synonyms', 'State', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows)));
}

// The fields of a customer (add and edit); `c` null for a new one.
function customerFields(c) {
  const input = (name, value, attrs = {}) => h('input', { name, value: value || '', ...attrs });
  const f = {
    name: input('name', c?.name), industry: input('industry', c?.industry), website: input('website', c?.website, { type: 'url' }),
    description: h('textarea', { name: 'description', rows: 2 }, c?.description || ''),
    contactName: input('contact_name', c?.primary_contact?.name), contactEmail: input('contact_email', c?.primary_contact?.email, { type: 'email' }),
    contactPhone: input('contact_phone', c?.primary_contact?.phone, { type: 'tel' }),
  };
  f.nodes = [
    h('div', { class: 'row' }, field('Name', f.name, { name: 'name' }), field('Industry', f.industry, { name: 'industry' }), field('Website', f.website, { name: 'website' })),
    field('Description', f.description, { name: 'description' }),
    h('fieldset', {}, h('legend', {}, 'Primary contact (optional)'),
      h('div', { class: 'row' }, field('Contact name', f.contactName, { name: 'primary_contact.name' }),
        field('Contact email', f.contactEmail, { name: 'primary_contact.email' }), field('Contact phone', f.contactPhone, { name: 'primary_contact.phone' }))),
  ];
  f.body = () => {
    const contact = f.contactName.value.trim() || f.contactEmail.value.trim() || f.contactPhone.value.trim()
      ? { name: f.contactName.value.trim(), email: f.contactEmail.value.trim(), phone: f.contactPhone.value.trim() } : null;
    return { name: f.name.value.trim(), industry: f.industry.value.trim(), website: f.website.value.trim() || null,
      description: f.description.value.trim() || null, primary_contact: contact };
  };
  return f;
}

// Edit one customer: read it for its ETag, send only what changed with If-Match.
async function customerEditor(id, done) {
  const { data: c, etag } = await api.api('GET', `/api/v1/customers/${id}`);
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'ce-h' });
  const f = customerFields(c);
  form.append(h('h2', { id: 'ce-h' }, `Edit ${c.name}`), ...f.nodes,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save customer'),
      h('button', { type: 'button', class: 'secondary', onclick: () => form.remove() }, 'Close')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = f.body();
    for (const k of Object.keys(body)) if (JSON.stringify(body[k]) === JSON.stringify(c[k] ?? null)) delete body[k];
    if (!Object.keys(body).length) { toast('Nothing changed.'); return; }
    try {
      await api.api('PATCH', `/api/v1/customers/${c.id}`, { body, etag });
      toast('Customer saved.');
      done();
    } catch (err) { conflictAware(form, err, done); }
  });
  return form;
}

// A problem next to its fields; a 412 says someone else changed the customer and offers a reload.
function conflictAware(root, err, reload) {
  const summary = showProblem(root, err);
  if (err.code === 'PRECONDITION_FAILED') {
    summary.querySelector('p').textContent = 'This customer was changed by someone else since you opened it. Reload to see their change, then make yours again.';
    summary.append(h('button', { type: 'button', onclick: reload }, 'Reload'));
  }
}

// Customers: every SM and admin may add one; the admin, or the SM who created it while no other
// SM's opportunity uses it, may edit, deactivate (it then cannot be chosen for new opportunities)
// and reactivate it; the server decides and its refusal is shown.
export async function customersAdmin({ admin = true } = {}) {
  const customers = await loadCustomers(true);
  const reload = () => customersAdmin({ admin });
  const form = h('form', { class: 'card', novalidate: true });
  const f = customerFields(null);
  form.append(h('h2', {}, 'Add a customer'), ...f.nodes,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add customer')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.api('POST', '/api/v1/customers', { body: f.body() });
      toast('Customer added.');
      reload();
    } catch (err) { showProblem(form, err); }
  });
  const editSlot = h('div');
  const rows = customers.map((c) => h('tr', {}, h('td', { 'data-label': 'Name' }, c.name), h('td', { 'data-label': 'Industry' }, c.industry),
    h('td', { 'data-label': 'Website' }, c.website || '—'), h('td', { 'data-label': 'State' }, c.is_active ? 'Active' : 'Inactive'),
    h('td', { 'data-label': 'Created' }, date(c.created_at)),
    h('td', { 'data-label': 'Actions' },
      h('button', { type: 'button', class: 'link', 'aria-label': `Edit ${c.name}`, onclick: async () => {
        try {
          editSlot.replaceChildren(await customerEditor(c.id, reload));
          editSlot.querySelector('input').focus();
        } catch (err) { showProblem(editSlot, err); }
      } }, 'Edit'),
      h('button', { type: 'button', class: 'link', 'aria-label': `${c.is_active ? 'Deactivate' : 'Reactivate'} ${c.name}`, onclick: async () => {
        try {
          await api.api('PATCH', `/api/v1/customers/${c.id}`, { body: { is_active: !c.is_active }, etag: `"${c.version}"` });
          toast(c.is_active ? `${c.name} deactivated: it can no longer be chosen for new opportunities.` : `${c.name} reactivated.`);
          reload();
        } catch (err) { conflictAware(editSlot, err, reload); }
      } }, c.is_active ? 'Deactivate' : 'Reactivate'))));
  const children = [form, editSlot,
    h('table', { class: 'list' }, h('caption', { class: 'sr-only' }, 'Customers'),
      h('thead', {}, h('tr', {}, ['Name', 'Industry', 'Website', 'State', 'Created', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows))];
  if (admin) adminPage('customers', 'Customers', ...children);
  else page('Customers', ...children);
}

export async function usersAdmin() {
  const users = await api.all('/api/v1/users');
  const slot = h('div');
  adminPage('users', 'Users', slot,
    h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['Name', 'Email', 'Role', 'State', 'Last seen', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, users.map((u) => h('tr', {}, h('td', { 'data-label': 'Name' }, u.name), h('td', { 'data-label': 'Email' }, u.email),
        h('td', { 'data-label': 'Role' }, label(u.role)), h('td', { 'data-label': 'State' }, u.is_active ? 'Active' : 'Inactive'),
        h('td', { 'data-label': 'Last seen' }, date(u.last_seen_at)),
        h('td', { 'data-label': 'Actions' }, h('button', { type: 'button', class: 'link', 'aria-label': `${u.is_active ? 'Deactivate' : 'Activate'} ${u.name}`, onclick: async () => {
          try { await api.api('PATCH', `/api/v1/users/${encodeURIComponent(u.id)}`, { body: { is_active: !u.is_active } }); toast('Saved.'); usersAdmin(); } catch (err) { showProblem(slot, err); }
        } }, u.is_active ? 'Deactivate' : 'Activate')))))));
}

export async function auditAdmin(params) {
  const cursor = params.get('cursor') || undefined;
  const { data } = await api.api('GET', '/api/v1/admin/audit', { query: { limit: 50, cursor } });
  const result = h('p', { role: 'status', 'aria-live': 'polite' });
  const verify = h('button', { type: 'button', onclick: async () => {
    result.textContent = 'Verifying…';
    try {
      const { data: v } = await api.api('GET', '/api/v1/admin/audit/verify');
      result.textContent = v.valid ? `✓ The chain is intact: ${v.entries_checked} entries checked.`
        : `✗ The chain is broken at entry ${v.first_broken_seq}: ${v.problem}`;
      result.className = v.valid ? 'rule ok' : 'rule short';
    } catch (err) { result.textContent = err.message; }
  } }, 'Verify the chain');
  adminPage('audit', 'Audit log', h('div', { class: 'actions' }, verify), result,
    h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['#', 'When', 'Actor', 'Action', 'Entity', 'Hash'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, data.items.map((a) => h('tr', {}, h('td', { 'data-label': '#' }, String(a.seq)), h('td', { 'data-label': 'When' }, date(a.at)),
        h('td', { 'data-label': 'Actor' }, a.actor_id), h('td', { 'data-label': 'Action' }, a.action),
        h('td', { 'data-label': 'Entity' }, `${a.entity_type} ${a.entity_id}`), h('td', { 'data-label': 'Hash' }, h('code', {}, a.hash.slice(0, 12))))))),
    data.next_cursor ? h('nav', { class: 'pager', 'aria-label': 'Pages' }, h('a', { class: 'button', href: `#/admin/audit?cursor=${encodeURIComponent(data.next_cursor)}` }, 'Next page')) : null);
}
