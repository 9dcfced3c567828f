// Small DOM helpers: elements, labelled fields, problem+json errors next to their fields.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

let fieldCount = 0;
// A labelled control with a hint and an error slot; `name` is the API field it maps to.
export function field(label, control, { name, hint } = {}) {
  const id = control.id || `f${++fieldCount}`;
  control.id = id;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  const err = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  control.setAttribute('aria-describedby', [hintEl?.id, err.id].filter(Boolean).join(' '));
  return h('div', { class: 'field', 'data-field': name || '' }, h('label', { for: id }, label), control, hintEl, err);
}

export function clearErrors(root) {
  for (const e of root.querySelectorAll('.field-error')) { e.hidden = true; e.textContent = ''; }
  for (const c of root.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  const s = root.querySelector('.error-summary');
  if (s) s.remove();
}

// Puts each problem+json field error next to the field it names (the longest data-field that is
// a prefix of it, e.g. "skill_requirements[0].skill_id" under "skill_requirements"); the rest,
// and the detail, go into a summary at the top of `root`.
export function showProblem(root, err, { prefix = '' } = {}) {
  clearErrors(root);
  const problem = err.problem || { detail: err.message };
  const fields = [...root.querySelectorAll('[data-field]')].filter((f) => f.dataset.field);
  const loose = [];
  for (const fe of problem.errors || []) {
    const name = prefix + fe.field;
    const target = fields.filter((f) => name === f.dataset.field || name.startsWith(`${f.dataset.field}.`)
      || name.startsWith(`${f.dataset.field}[`)).sort((a, b) => b.dataset.field.length - a.dataset.field.length)[0];
    const slot = target?.querySelector('.field-error');
    if (slot) {
      slot.hidden = false;
      slot.textContent = slot.textContent ? `${slot.textContent} ${fe.message}` : fe.message;
      target.querySelector('input,select,textarea')?.setAttribute('aria-invalid', 'true');
    } else {
      loose.push(`${fe.field}: ${fe.message}`);
    }
  }
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1' },
    h('p', {}, explain(err)), loose.length ? h('ul', {}, loose.map((m) => h('li', {}, m))) : null);
  root.prepend(summary);
  summary.focus();
  return summary;
}

export function explain(err) {
  const p = err.problem || {};
  if (p.code === 'PRECONDITION_FAILED')
    return 'This opportunity was changed by someone else since you opened it. Reload to see their change, then make yours again.';
  if (p.code === 'SUBMISSION_INCOMPLETE') return 'It cannot be submitted yet. Every unmet requirement is listed:';
  return p.detail || err.message || 'Something went wrong.';
}

export function toast(message) {
  const t = document.getElementById('toast');
  t.textContent = message;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 4000);
}

export const label = (s) => (s ? s.replace(/_/g, ' ').toLowerCase().replace(/^\w/, (c) => c.toUpperCase()) : '');
export const badge = (status) => h('span', { class: `badge s-${status.toLowerCase()}` }, label(status));
export const date = (t) => (t ? new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—');
export const day = (t) => (t ? new Date(t).toLocaleDateString(undefined, { dateStyle: 'medium' }) : '—');

// Code points, as the server counts them (after trimming).
export const codePoints = (s) => [...s.trim()].length;

export function select(options, value, attrs = {}) {
  return h('select', attrs, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
}

export function page(title, ...children) {
  const main = document.getElementById('main');
  main.replaceChildren(h('h1', {}, title), ...children);
  document.title = `${title} — oms`;
  return main;
}
