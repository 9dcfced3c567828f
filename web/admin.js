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

export async function customersAdmin() {
  const customers = await loadCustomers(true);
  const form = h('form', { class: 'card', novalidate: true });
  const name = h('input', { name: 'name' });
  const industry = h('input', { name: 'industry' });
  const website = h('input', { name: 'website', type: 'url' });
  form.append(h('h2', {}, 'Add a customer'),
    h('div', { class: 'row' }, field('Name', name, { name: 'name' }), field('Industry', industry, { name: 'industry' }), field('Website', website, { name: 'website' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add customer')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.api('POST', '/api/v1/customers', { body: { name: name.value.trim(), industry: industry.value.trim(), website: website.value.trim() || null } });
      toast('Customer added.');
      customersAdmin();
    } catch (err) { showProblem(form, err); }
  });
  adminPage('customers', 'Customers', form,
    h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['Name', 'Industry', 'Website', 'State', 'Created'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, customers.map((c) => h('tr', {}, h('td', { 'data-label': 'Name' }, c.name), h('td', { 'data-label': 'Industry' }, c.industry),
        h('td', { 'data-label': 'Website' }, c.website || '—'), h('td', { 'data-label': 'State' }, c.is_active ? 'Active' : 'Inactive'),
        h('td', { 'data-label': 'Created' }, date(c.created_at)))))));
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
