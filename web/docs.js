// /docs: the API reference rendered from the served OpenAPI document, with "try it" against
// this server. The bearer token is kept in memory; in the embedded profile a demo user's
// token can be taken from the development sign-in.
import * as auth from './auth.js';
import { field, h, select } from './ui.js';

let bearer = '';

function schemaName(s) {
  if (!s) return '';
  if (s.$ref) return s.$ref.split('/').pop();
  if (s.type === 'array') return `${schemaName(s.items)}[]`;
  return Array.isArray(s.type) ? s.type.join(' | ') : s.type || '';
}

function tokenBox(config) {
  const box = h('section', { class: 'card', 'aria-labelledby': 'tok-h' }, h('h2', { id: 'tok-h' }, 'Authorization'));
  const input = h('input', { name: 'token', type: 'password', autocomplete: 'off' });
  input.addEventListener('input', () => { bearer = input.value.trim(); });
  box.append(field('Bearer token', input, { hint: 'Kept in this page only; used by every "Send".' }));
  if (config.sign_in === 'development') {
    auth.demoUsers().then((users) => {
      const pick = select(users.map((u) => [u.id, `${u.name} (${u.role})`]), users[0]?.id, { name: 'demo_user' });
      box.append(h('div', { class: 'row' }, field('Demo user', pick),
        h('div', { class: 'actions' }, h('button', { type: 'button', onclick: async () => {
          await auth.signInAs(pick.value);
          bearer = auth.token();
          input.value = bearer;
        } }, 'Use this demo user\'s token'))));
    });
  }
  return box;
}

function operation(path, method, op, doc) {
  const params = [...(doc.paths[path].parameters || []), ...(op.parameters || [])]
    .map((p) => (p.$ref ? doc.components.parameters[p.$ref.split('/').pop()] : p));
  const inputs = new Map();
  const paramRows = params.map((p) => {
    const input = h('input', { name: p.name });
    inputs.set(p, input);
    return field(`${p.name} (${p.in}${p.required ? ', required' : ''})`, input, { hint: p.description });
  });
  const body = op.requestBody ? h('textarea', { name: 'body', rows: 6, spellcheck: 'false' }, '{}') : null;
  const out = h('pre', { class: 'out', 'aria-live': 'polite', tabindex: '0' });
  const send = async (e) => {
    e.preventDefault();
    let url = path;
    const query = new URLSearchParams();
    const headers = { Accept: 'application/json' };
    for (const [p, input] of inputs) {
      const v = input.value;
      if (!v) continue;
      if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(v));
      else if (p.in === 'query') query.append(p.name, v);
      else if (p.in === 'header') headers[p.name] = v;
    }
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (body) headers['Content-Type'] = 'application/json';
    const q = query.toString();
    out.textContent = 'Sending…';
    try {
      const res = await fetch(q ? `${url}?${q}` : url, { method: method.toUpperCase(), headers, body: body ? body.value : undefined });
      const text = await res.text();
      let pretty = text;
      try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch { /* not JSON */ }
      out.textContent = `${res.status} ${res.statusText}\n\n${pretty}`;
    } catch (err) { out.textContent = err.message; }
  };
  const responses = Object.entries(op.responses || {}).map(([code, r]) => {
    const resolved = r.$ref ? doc.components.responses[r.$ref.split('/').pop()] : r;
    const schema = resolved.content ? Object.values(resolved.content)[0].schema : null;
    return h('li', {}, h('strong', {}, code), ` ${resolved.description || ''} `, schema ? h('code', {}, schemaName(schema)) : null);
  });
  const reqSchema = op.requestBody ? Object.values(op.requestBody.content)[0].schema : null;
  return h('details', { class: 'op', id: op.operationId },
    h('summary', {}, h('span', { class: 'method' }, method.toUpperCase()), h('span', { class: 'path' }, path), h('span', {}, op.summary || '')),
    h('div', { class: 'body' }, h('p', {}, op.description || ''),
      reqSchema ? h('p', {}, 'Request body: ', h('code', {}, schemaName(reqSchema))) : null,
      h('h3', {}, 'Responses'), h('ul', {}, responses),
      h('form', { onsubmit: send }, h('h3', {}, 'Try it'), paramRows, body ? field('Request body (JSON)', body) : null,
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, `Send ${method.toUpperCase()}`)), out)));
}

(async () => {
  const [doc, config] = await Promise.all([(await fetch('/api/v1/openapi.json')).json(), auth.config()]);
  const main = document.getElementById('main');
  const byTag = new Map();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters') continue;
      const tag = op.tags?.[0] || 'other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push(operation(path, method, op, doc));
    }
  }
  main.replaceChildren(h('h1', {}, doc.info.title), h('p', {}, doc.info.description), tokenBox(config),
    ...[...byTag].map(([tag, ops]) => h('section', { 'aria-labelledby': `t-${tag}` },
      h('h2', { id: `t-${tag}` }, tag), h('p', { class: 'hint' }, doc.tags?.find((t) => t.name === tag)?.description || ''), ops)));
})();
