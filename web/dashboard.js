// US-SM-6: my opportunities with filters, search, sort, the needs-attention view and cursor
// paging. The filters and the page's cursor live in the address (#/?status=…&cursor=…), so going
// back from an opportunity returns to the same page of the same view.
import * as api from './api.js';
import { customerName, loadCustomers, priorities, statuses } from './data.js';
import { badge, date, field, h, label, page, select, showProblem } from './ui.js';

const sorts = [['-created_at', 'Newest first'], ['created_at', 'Oldest first'], ['-updated_at', 'Recently updated'],
  ['-priority', 'Priority, highest first'], ['title', 'Title A–Z'], ['expected_start_date', 'Start date, soonest first']];
const previous = [];  // cursors of the pages before this one, for "Previous"

export async function dashboard(params) {
  const customers = await loadCustomers();
  const q = Object.fromEntries(params);
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter opportunities' });
  const search = h('input', { type: 'search', name: 'query', value: q.query || '' });
  // Several statuses at once (status=A&status=B): any of them.
  const chosen = params.getAll('status');
  const status = h('fieldset', { class: 'statuses', 'data-field': 'status' }, h('legend', {}, 'Status (any of)'),
    statuses.map((s) => h('div', { class: 'field check' },
      h('input', { type: 'checkbox', name: 'status', value: s, id: `st-${s}`, checked: chosen.includes(s) }),
      h('label', { for: `st-${s}` }, label(s)))),
    h('p', { class: 'field-error', hidden: true }));
  const priority = select([['', 'Any priority'], ...priorities.map((s) => [s, label(s)])], q.priority || '', { name: 'priority' });
  const customer = select([['', 'Any customer'], ...customers.map((c) => [c.id, c.name])], q.customer_id || '', { name: 'customer_id' });
  const from = h('input', { type: 'date', name: 'from', value: q.from || '' });
  const to = h('input', { type: 'date', name: 'to', value: q.to || '' });
  const sort = select(sorts, q.sort || '-created_at', { name: 'sort' });
  const attention = h('input', { type: 'checkbox', name: 'needs_attention', id: 'needs-attention', checked: q.needs_attention === 'true' });
  form.append(
    field('Search title and description', search, { name: 'query' }),
    status, field('Priority', priority, { name: 'priority' }),
    field('Customer', customer, { name: 'customer_id' }),
    field('Created from', from, { name: 'created_from' }), field('Created to', to, { name: 'created_to' }),
    field('Sort by', sort, { name: 'sort' }),
    h('div', { class: 'field check' }, attention, h('label', { for: 'needs-attention' }, 'Needs attention only')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Apply'),
      h('a', { href: '#/', class: 'button secondary' }, 'Clear')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) next.append(k, v === 'on' ? 'true' : v);
    previous.length = 0;
    location.hash = `#/?${next}`;
  });

  // On a phone the filters fold away (open when some are in use), so the list comes first.
  const filtered = ['query', 'status', 'priority', 'customer_id', 'from', 'to', 'needs_attention'].some((k) => q[k]);
  const box = h('details', { class: 'filter-box', open: filtered || matchMedia('(min-width: 40rem)').matches },
    h('summary', {}, filtered ? 'Filters (in use)' : 'Filters and sort'), form);
  const main = page('My opportunities', h('p', {}, h('a', { href: '#/new', class: 'button' }, 'New opportunity')), box);
  const results = h('section', { 'aria-label': 'Results', 'aria-live': 'polite' });
  main.append(results);
  const query = {
    query: q.query, status: chosen, priority: q.priority, customer_id: q.customer_id, sort: q.sort,
    needs_attention: q.needs_attention, cursor: q.cursor, limit: 20,
    created_from: q.from ? `${q.from}T00:00:00Z` : undefined, created_to: q.to ? `${q.to}T23:59:59Z` : undefined,
  };
  let data;
  try {
    ({ data } = await api.api('GET', '/api/v1/opportunities', { query }));
  } catch (err) {
    showProblem(form, err, { prefix: '' });
    return;
  }
  if (!data.items.length) {
    results.append(h('p', { class: 'empty' }, q.needs_attention === 'true' ? 'Nothing needs your attention.' : 'No opportunities match.'));
  } else {
    results.append(h('table', { class: 'list' },
      h('caption', { class: 'sr-only' }, 'Opportunities'),
      h('thead', {}, h('tr', {}, ['Title', 'Customer', 'Status', 'Priority', 'Created', 'Updated'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, data.items.map((o) => h('tr', {},
        h('td', { 'data-label': 'Title' }, h('a', { href: `#/opportunities/${o.id}` }, o.title)),
        h('td', { 'data-label': 'Customer' }, customerName(o.customer_id)),
        h('td', { 'data-label': 'Status' }, badge(o.status)),
        h('td', { 'data-label': 'Priority' }, h('span', { class: `priority p-${o.priority.toLowerCase()}` }, label(o.priority))),
        h('td', { 'data-label': 'Created' }, date(o.created_at)),
        h('td', { 'data-label': 'Updated' }, date(o.updated_at)))))));
  }
  const nav = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  if (q.cursor) {
    nav.append(h('button', { type: 'button', class: 'secondary', onclick: () => {
      const p = new URLSearchParams(params);
      const back = previous.pop();
      if (back) p.set('cursor', back); else p.delete('cursor');
      location.hash = `#/?${p}`;
    } }, 'Previous page'));
  }
  if (data.next_cursor) {
    nav.append(h('button', { type: 'button', onclick: () => {
      const p = new URLSearchParams(params);
      previous.push(q.cursor || '');
      p.set('cursor', data.next_cursor);
      location.hash = `#/?${p}`;
    } }, 'Next page'));
  }
  results.append(nav);
}
