// US-SM-8/9 and the read side: one opportunity with its parts, status history and change
// history; modify (with the reason the rules ask for), submit, cancel, reactivate within 90 days.
// Every write sends If-Match with the version read, and a 412 is explained.
import * as api from './api.js';
import { attachmentsSection } from './attachments.js';
import * as auth from './auth.js';
import { customerName, loadCustomers, loadSkills, priorities, proficiencies } from './data.js';
import { renderMarkdown } from './markdown.js';
import { badge, clearErrors, codePoints, date, day, field, h, label, page, select, showProblem, toast } from './ui.js';

const k_reason_states = ['SUBMITTED', 'MATCHING_IN_PROGRESS', 'MATCHES_FOUND'];
const k_frozen = ['ARCHITECT_SELECTED', 'COMPLETED', 'CANCELLED'];

function value(v) {
  if (v === null || v === undefined) return '—';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export async function detailPage(id) {
  await loadCustomers();
  let o;
  let etag;
  try {
    ({ data: o, etag } = await api.api('GET', `/api/v1/opportunities/${id}`));
  } catch (err) {
    page('Opportunity not found', h('p', {}, err.message), h('a', { href: '#/' }, 'Back to my opportunities'));
    return;
  }
  const [{ data: statusHistory }, { data: changes }] = await Promise.all([
    api.api('GET', `/api/v1/opportunities/${id}/status-history`, { query: { limit: 100 } }),
    api.api('GET', `/api/v1/opportunities/${id}/changes`, { query: { limit: 100 } }),
  ]);
  const needsReason = k_reason_states.includes(o.status);
  const frozen = k_frozen.includes(o.status);
  const reload = () => detailPage(id);
  const me = auth.user();
  const mayChange = me?.role === 'ADMIN' || me?.id === o.sales_manager_id;

  const summary = h('dl', { class: 'facts' },
    h('dt', {}, 'Status'), h('dd', {}, badge(o.status)),
    h('dt', {}, 'Customer'), h('dd', {}, customerName(o.customer_id)),
    h('dt', {}, 'Priority'), h('dd', {}, label(o.priority)),
    h('dt', {}, 'Annual recurring revenue'), h('dd', {}, `${o.annual_recurring_revenue} ${o.currency}`),
    h('dt', {}, 'Region'), h('dd', {}, `${o.geographic_requirements.region}${o.geographic_requirements.requires_physical_presence ? ', on site' : ''}${o.geographic_requirements.allows_remote_work ? ', remote possible' : ''}`),
    h('dt', {}, 'Created'), h('dd', {}, date(o.created_at)),
    h('dt', {}, 'Updated'), h('dd', {}, date(o.updated_at)),
    o.submitted_at ? [h('dt', {}, 'Submitted'), h('dd', {}, date(o.submitted_at))] : null,
    o.cancelled_at ? [h('dt', {}, 'Cancelled'), h('dd', {}, `${date(o.cancelled_at)} — ${o.cancellation_reason || ''}`)] : null,
  );

  // Actions: submit, cancel, reactivate (with the window), each with If-Match.
  const actions = h('section', { class: 'card', 'aria-labelledby': 'act-h' }, h('h2', { id: 'act-h' }, 'Actions'));
  const transition = async (path, body, done) => {
    clearErrors(actions);
    try {
      await api.api('POST', `/api/v1/opportunities/${id}/${path}`, { body, etag });
      toast(done);
      reload();
    } catch (err) { showProblem(actions, err); }
  };
  if (o.status === 'DRAFT') actions.append(h('button', { type: 'button', onclick: () => transition('submit', {}, 'Submitted.') }, 'Submit'));
  if (!['COMPLETED', 'CANCELLED'].includes(o.status)) {
    const reason = h('input', { name: 'reason', maxlength: 500 });
    actions.append(h('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); transition('cancel', { reason: reason.value.trim() }, 'Cancelled.'); } },
      field('Reason for cancelling', reason, { name: 'reason', hint: 'Cancelled opportunities can be reactivated within 90 days.' }),
      h('button', { type: 'submit', class: 'danger' }, 'Cancel opportunity')));
  }
  if (o.status === 'CANCELLED') {
    const deadline = o.reactivation_deadline ? new Date(o.reactivation_deadline) : null;
    const open = deadline && deadline > new Date();
    const daysLeft = deadline ? Math.max(0, Math.ceil((deadline - new Date()) / 86400000)) : 0;
    actions.append(h('p', { class: open ? 'rule ok' : 'rule short' }, open
      ? `It can be reactivated until ${date(o.reactivation_deadline)} (${daysLeft} days left); it returns to ${label(o.status_before_cancellation)}.`
      : `The 90-day window to reactivate closed on ${date(o.reactivation_deadline)}.`));
    if (open) actions.append(h('button', { type: 'button', onclick: () => transition('reactivate', {}, 'Reactivated.') }, 'Reactivate'));
  }

  const sections = [
    h('section', { class: 'card', 'aria-labelledby': 'sum-h' }, h('h2', { id: 'sum-h' }, 'Summary'), h('p', {}, o.description), summary),
    actions,
    h('section', { class: 'card', 'aria-labelledby': 'ps-h' }, h('h2', { id: 'ps-h' }, 'Problem statement'),
      o.problem_statement ? renderMarkdown(o.problem_statement.content) : h('p', { class: 'empty' }, 'Not written yet.')),
    h('section', { class: 'card', 'aria-labelledby': 'sk-h' }, h('h2', { id: 'sk-h' }, 'Required skills'),
      o.skill_requirements.length ? (mayChange && !frozen ? await requirementsEditor(o, etag, needsReason, reload)
        : h('ul', {}, o.skill_requirements.map((r) => h('li', {}, `${r.skill_name} — ${label(r.importance)}, at least ${label(r.minimum_proficiency)}`))))
        : h('p', { class: 'empty' }, 'None yet.')),
    h('section', { class: 'card', 'aria-labelledby': 'tl-h' }, h('h2', { id: 'tl-h' }, 'Timeline'),
      o.timeline ? h('p', {}, `${day(o.timeline.expected_start_date)} to ${day(o.timeline.expected_end_date)}${o.timeline.is_flexible ? ' (flexible)' : ''}`,
        o.timeline.specific_required_days.length ? `; required days: ${o.timeline.specific_required_days.join(', ')}` : '') : h('p', { class: 'empty' }, 'Not set yet.')),
  ];
  sections.push(await attachmentsSection(o, { canChange: mayChange }));
  if (!frozen) sections.push(await editor(o, etag, needsReason, reload));
  else sections.push(h('p', { class: 'rule' }, `In ${label(o.status)} nothing can be changed.`));
  sections.push(
    h('section', { class: 'card', 'aria-labelledby': 'sh-h' }, h('h2', { id: 'sh-h' }, 'Status history'),
      h('ol', { class: 'history' }, statusHistory.items.map((s) => h('li', {}, h('span', {}, s.from_status ? `${label(s.from_status)} → ` : ''), badge(s.to_status),
        ` ${date(s.changed_at)} by ${s.changed_by}`, s.reason ? h('q', {}, s.reason) : null)))),
    h('section', { class: 'card', 'aria-labelledby': 'ch-h' }, h('h2', { id: 'ch-h' }, 'Change history'),
      changes.items.length ? h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['Field', 'Before', 'After', 'When', 'Who', 'Reason'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, changes.items.map((c) => h('tr', {}, h('td', { 'data-label': 'Field' }, c.field), h('td', { 'data-label': 'Before' }, value(c.old_value)),
          h('td', { 'data-label': 'After' }, value(c.new_value)), h('td', { 'data-label': 'When' }, date(c.changed_at)),
          h('td', { 'data-label': 'Who' }, c.changed_by), h('td', { 'data-label': 'Reason' }, c.reason || '—')))))
        : h('p', { class: 'empty' }, 'No changes recorded (changes are recorded once submitted).')),
  );
  page(o.title, h('p', {}, h('a', { href: '#/', class: 'back', onclick: (e) => { e.preventDefault(); history.back(); } }, '← Back')), ...sections);
}

// Importance and minimum proficiency of each required skill, changed in place (one PATCH each,
// with If-Match and, outside DRAFT, the reason typed here).
async function requirementsEditor(o, etag, needsReason, reload) {
  const catalog = await loadSkills();
  const box = h('div');
  const reason = needsReason ? h('input', { name: 'reason', maxlength: 500 }) : null;
  const rows = o.skill_requirements.map((r) => {
    const category = r.skill_type || catalog.find((s) => s.id === r.skill_id)?.category;
    const importance = select([['MUST_HAVE', 'Must have'], ['NICE_TO_HAVE', 'Nice to have']], r.importance,
      { name: 'importance', 'aria-label': `Importance of ${r.skill_name}` });
    const proficiency = select(proficiencies(category).map((p) => [p, label(p)]), r.minimum_proficiency,
      { name: 'minimum_proficiency', 'aria-label': `Minimum proficiency for ${r.skill_name}` });
    const save = h('button', { type: 'button', class: 'secondary', 'aria-label': `Save ${r.skill_name}`, onclick: async () => {
      clearErrors(box);
      const body = {};
      if (importance.value !== r.importance) body.importance = importance.value;
      if (proficiency.value !== r.minimum_proficiency) body.minimum_proficiency = proficiency.value;
      if (!Object.keys(body).length) { toast('Nothing changed.'); return; }
      if (reason?.value.trim()) body.reason = reason.value.trim();
      try {
        await api.api('PATCH', `/api/v1/opportunities/${o.id}/skill-requirements/${r.id}`, { body, etag });
        toast(`${r.skill_name} saved.`);
        reload();
      } catch (err) {
        const summary = showProblem(box, err);
        if (err.code === 'PRECONDITION_FAILED') summary.append(h('button', { type: 'button', onclick: reload }, 'Reload'));
      }
    } }, 'Save');
    return h('li', { class: 'requirement' }, h('span', {}, r.skill_name), importance, proficiency, save);
  });
  box.append(h('ul', { class: 'requirements' }, rows), reason ? field('Reason for a change (required)', reason, { name: 'reason' }) : null);
  return box;
}

// The modify form: core fields, problem statement, timeline and skills, each saved with If-Match.
async function editor(o, etag, needsReason, reload) {
  const skills = (await loadSkills()).filter((s) => s.is_active);
  const form = h('form', { class: 'card', 'aria-labelledby': 'ed-h', novalidate: true });
  const title = h('input', { name: 'title', value: o.title });
  const description = h('textarea', { name: 'description', rows: 3 }, o.description);
  const priority = select(priorities.map((p) => [p, label(p)]), o.priority, { name: 'priority' });
  const arr = h('input', { name: 'annual_recurring_revenue', value: o.annual_recurring_revenue });
  const region = h('input', { name: 'region', value: o.geographic_requirements.region });
  const statement = h('textarea', { name: 'problem_statement', rows: 8 }, o.problem_statement?.content || '');
  const count = h('p', { class: 'count', 'aria-live': 'polite' });
  const preview = h('div', { class: 'preview', role: 'region', 'aria-label': 'Preview' });
  const update = () => {
    const n = codePoints(statement.value);
    count.textContent = `${n} of 140–5000 characters`;
    count.className = `count ${n >= 140 && n <= 5000 ? 'ok' : 'short'}`;
    preview.replaceChildren(renderMarkdown(statement.value));
  };
  statement.addEventListener('input', update);
  update();
  const start = h('input', { type: 'date', name: 'expected_start_date', value: o.timeline?.expected_start_date || '' });
  const end = h('input', { type: 'date', name: 'expected_end_date', value: o.timeline?.expected_end_date || '' });
  const reason = h('input', { name: 'reason', maxlength: 500 });
  const skillPick = select([['', 'No new skill'], ...skills.map((s) => [s.id, s.name])], '', { name: 'skill_id' });
  const importance = select([['MUST_HAVE', 'Must have'], ['NICE_TO_HAVE', 'Nice to have']], 'MUST_HAVE', { name: 'importance' });
  const proficiency = select(proficiencies('TECHNICAL').map((p) => [p, label(p)]), 'INTERMEDIATE', { name: 'minimum_proficiency' });
  skillPick.addEventListener('change', () => {
    const s = skills.find((x) => x.id === skillPick.value);
    proficiency.replaceChildren(...proficiencies(s?.category).map((p) => h('option', { value: p }, label(p))));
  });
  const removals = o.skill_requirements.map((r) => h('input', { type: 'checkbox', id: `rm-${r.id}`, value: r.id }));

  form.append(h('h2', { id: 'ed-h' }, 'Modify'),
    needsReason ? h('p', { class: 'rule' }, 'Submitted opportunities need a reason for every change; each change is recorded.') : null,
    field('Title', title, { name: 'title' }), field('Short description', description, { name: 'description' }),
    h('div', { class: 'row' }, field('Priority', priority, { name: 'priority' }), field('Annual recurring revenue', arr, { name: 'annual_recurring_revenue' })),
    field('Region', region, { name: 'geographic_requirements.region' }),
    field('Problem statement (Markdown)', statement, { name: 'problem_statement' }), count, preview,
    h('div', { class: 'row' }, field('Expected start', start, { name: 'timeline.expected_start_date' }), field('Expected end', end, { name: 'timeline.expected_end_date' })),
    h('div', { 'data-field': 'timeline' }, h('p', { class: 'field-error', hidden: true })),
    o.skill_requirements.length ? h('fieldset', {}, h('legend', {}, 'Remove skills'), o.skill_requirements.map((r, i) =>
      h('div', { class: 'field check' }, removals[i], h('label', { for: `rm-${r.id}` }, r.skill_name)))) : null,
    h('div', { class: 'row' }, field('Add a skill', skillPick, { name: 'skill_requirements' }), field('Importance', importance, { name: 'importance' }),
      field('Minimum proficiency', proficiency, { name: 'minimum_proficiency' })),
    field(needsReason ? 'Reason for the change (required)' : 'Reason for the change (optional)', reason, { name: 'reason' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save changes')));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const why = reason.value.trim() || undefined;
    let tag = etag;
    const step = async (method, path, body, prefix = '') => {
      try {
        const r = await api.api(method, path, { body, etag: tag });
        if (r.etag) tag = r.etag;
        else tag = (await api.api('GET', `/api/v1/opportunities/${o.id}`)).etag;
      } catch (err) {
        err.problem.errors = (err.errors || []).map((x) => ({ ...x, field: x.field === 'reason' ? 'reason' : prefix + x.field }));
        throw err;
      }
    };
    try {
      const patch = {};
      if (title.value.trim() !== o.title) patch.title = title.value.trim();
      if (description.value.trim() !== o.description) patch.description = description.value.trim();
      if (priority.value !== o.priority) patch.priority = priority.value;
      if (arr.value.trim() !== o.annual_recurring_revenue) patch.annual_recurring_revenue = arr.value.trim();
      if (region.value.trim() !== o.geographic_requirements.region) patch.geographic_requirements = { region: region.value.trim() };
      let changed = false;
      if (Object.keys(patch).length) { await step('PATCH', `/api/v1/opportunities/${o.id}`, { ...patch, reason: why }); changed = true; }
      if (statement.value !== (o.problem_statement?.content || '') && statement.value.trim()) {
        await step('PUT', `/api/v1/opportunities/${o.id}/problem-statement`, { content: statement.value, reason: why }, 'problem_statement.');
        changed = true;
      }
      if ((start.value || end.value) && (start.value !== o.timeline?.expected_start_date || end.value !== o.timeline?.expected_end_date)) {
        await step('PUT', `/api/v1/opportunities/${o.id}/timeline`, { expected_start_date: start.value, expected_end_date: end.value,
          specific_required_days: o.timeline?.specific_required_days || [], is_flexible: o.timeline?.is_flexible || false, reason: why }, 'timeline.');
        changed = true;
      }
      for (const box of removals.filter((b) => b.checked)) {
        await step('DELETE', api.withQuery(`/api/v1/opportunities/${o.id}/skill-requirements/${box.value}`, { reason: why }), undefined, 'skill_requirements.');
        changed = true;
      }
      if (skillPick.value) {
        await step('POST', `/api/v1/opportunities/${o.id}/skill-requirements`, { skill_id: skillPick.value, importance: importance.value,
          minimum_proficiency: proficiency.value, reason: why }, 'skill_requirements.');
        changed = true;
      }
      toast(changed ? 'Changes saved.' : 'Nothing changed.');
      if (changed) reload();
    } catch (err) {
      const box = showProblem(form, err);
      if (err.code === 'PRECONDITION_FAILED') box.append(h('button', { type: 'button', onclick: reload }, 'Reload'));
    }
  });
  return form;
}
