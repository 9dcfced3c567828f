// US-SM-3/4/5/7: the guided create form. Customer (pick or add), details, the problem
// statement with a Markdown preview and a live code-point count, skills from the catalog with
// importance and proficiency, the timeline with its rules inline; save as draft, submit.
// Saving writes the opportunity and then each part through the API; every server error is
// shown next to the field it names.
import * as api from './api.js';
import { loadCustomers, loadSkills, priorities, proficiencies } from './data.js';
import { renderMarkdown } from './markdown.js';
import { clearErrors, codePoints, field, h, label, page, select, showProblem, toast } from './ui.js';

const k_min = 140;
const k_max = 5000;

export async function createPage() {
  const [customers, skills] = await Promise.all([loadCustomers(), loadSkills()]);
  const state = { id: null, etag: null, requirements: [], formKey: crypto.randomUUID() };  // requirements: {skill, importance, minimum_proficiency, id?}
  const form = h('form', { class: 'create', novalidate: true });

  // 1. Customer: pick an active one, or add one: it is sent inline (`customer: {...}`) with the
  // opportunity and created in the same transaction, so a refused opportunity adds no customer.
  const active = customers.filter((c) => c.is_active);
  const customer = select([['', 'Choose a customer'], ...active.map((c) => [c.id, c.name])], '', { name: 'customer_id', required: true });
  const newName = h('input', { name: 'new_customer_name', autocomplete: 'organization' });
  const newIndustry = h('input', { name: 'new_customer_industry' });
  const addBox = h('fieldset', { class: 'add-customer', hidden: true }, h('legend', {}, 'New customer'),
    h('p', { class: 'hint' }, 'Created together with the opportunity when you save or submit.'),
    field('Customer name', newName, { name: 'customer.name' }), field('Industry', newIndustry, { name: 'customer.industry' }));
  const adding = () => !addBox.hidden && !state.id;
  const toggleAdd = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', onclick: () => {
    addBox.hidden = !addBox.hidden;
    customer.disabled = !addBox.hidden;
    toggleAdd.setAttribute('aria-expanded', String(!addBox.hidden));
    toggleAdd.textContent = addBox.hidden ? 'Add a new customer' : 'Choose an existing customer instead';
    if (!addBox.hidden) newName.focus();
  } }, 'Add a new customer');
  // Once the opportunity (and with it the new customer) exists, the customer is an existing one.
  const adopt = (created) => {
    if (customers.some((c) => c.id === created.customer_id)) return;
    const added = { id: created.customer_id, name: newName.value.trim(), is_active: true };
    customers.push(added);
    customer.append(h('option', { value: added.id }, added.name));
    customer.value = added.id;
    customer.disabled = false;
    addBox.hidden = true;
    toggleAdd.hidden = true;
  };

  // 2. Details.
  const title = h('input', { name: 'title', maxlength: 200, required: true });
  const description = h('textarea', { name: 'description', rows: 3, maxlength: 2000, required: true });
  const priority = select(priorities.map((p) => [p, label(p)]), 'MEDIUM', { name: 'priority' });
  const arr = h('input', { name: 'annual_recurring_revenue', inputmode: 'decimal', placeholder: '125000.00' });
  const currency = h('input', { name: 'currency', value: 'USD', maxlength: 3, size: 4 });
  const region = h('input', { name: 'region' });
  const presence = h('input', { type: 'checkbox', id: 'presence' });
  const remote = h('input', { type: 'checkbox', id: 'remote', checked: true });

  // 3. Problem statement with preview and count.
  const statement = h('textarea', { name: 'problem_statement', rows: 10 });
  const count = h('p', { class: 'count', id: 'count', 'aria-live': 'polite' });
  const preview = h('div', { class: 'preview', 'aria-label': 'Preview', role: 'region' });
  const updateStatement = () => {
    const n = codePoints(statement.value);
    count.textContent = `${n} of ${k_min}–${k_max} characters` + (n < k_min ? ` (${k_min - n} more needed)` : n > k_max ? ` (${n - k_max} too many)` : ' ✓');
    count.className = `count ${n >= k_min && n <= k_max ? 'ok' : 'short'}`;
    preview.replaceChildren(statement.value.trim() ? renderMarkdown(statement.value) : h('p', { class: 'hint' }, 'The preview appears here.'));
  };
  statement.addEventListener('input', updateStatement);
  statement.setAttribute('aria-describedby', 'count');

  // 4. Skills from the catalog.
  const activeSkills = skills.filter((s) => s.is_active);
  const skillPick = select([['', 'Choose a skill'], ...activeSkills.map((s) => [s.id, `${s.name} (${label(s.category)})`])], '', { name: 'skill_id' });
  const importance = select([['MUST_HAVE', 'Must have'], ['NICE_TO_HAVE', 'Nice to have']], 'MUST_HAVE', { name: 'importance' });
  const proficiency = select([], '', { name: 'minimum_proficiency' });
  const fillProficiency = () => {
    const s = activeSkills.find((x) => x.id === skillPick.value);
    proficiency.replaceChildren(...proficiencies(s?.category).map((p) => h('option', { value: p }, label(p))));
  };
  skillPick.addEventListener('change', fillProficiency);
  fillProficiency();
  const reqList = h('ul', { class: 'requirements', 'aria-live': 'polite' });
  const mustRule = h('p', { class: 'rule', id: 'must-rule' });
  const renderRequirements = () => {
    reqList.replaceChildren(...state.requirements.map((r, i) => h('li', {},
      h('span', {}, `${r.skill.name} — ${label(r.importance)}, at least ${label(r.minimum_proficiency)}`),
      h('button', { type: 'button', class: 'link', 'aria-label': `Remove ${r.skill.name}`, onclick: () => removeRequirement(i) }, 'Remove'))));
    const must = state.requirements.some((r) => r.importance === 'MUST_HAVE');
    mustRule.textContent = must ? '✓ At least one skill is a Must Have.' : 'Submitting needs at least one skill, and at least one of them a Must Have.';
    mustRule.className = `rule ${must ? 'ok' : 'short'}`;
  };
  async function removeRequirement(i) {
    const [r] = state.requirements.splice(i, 1);
    if (r.id) {
      try { await api.api('DELETE', `/api/v1/opportunities/${state.id}/skill-requirements/${r.id}`); } catch (err) { showProblem(form, err); }
    }
    renderRequirements();
  }
  const addSkill = h('button', { type: 'button', onclick: () => {
    const s = activeSkills.find((x) => x.id === skillPick.value);
    const fe = skillField.querySelector('.field-error');
    if (!s) { fe.hidden = false; fe.textContent = 'Choose a skill first.'; skillPick.focus(); return; }
    if (state.requirements.some((r) => r.skill.id === s.id)) { fe.hidden = false; fe.textContent = `${s.name} is already required.`; return; }
    fe.hidden = true;
    state.requirements.push({ skill: s, importance: importance.value, minimum_proficiency: proficiency.value });
    renderRequirements();
    skillPick.value = '';
    skillPick.focus();
  } }, 'Add skill');
  const skillField = field('Skill', skillPick, { name: 'skill_requirements' });

  // 5. Timeline with its rules.
  const start = h('input', { type: 'date', name: 'expected_start_date' });
  const end = h('input', { type: 'date', name: 'expected_end_date' });
  const days = h('input', { name: 'specific_required_days', placeholder: '2027-03-02, 2027-03-09' });
  const flexible = h('input', { type: 'checkbox', id: 'flexible' });
  const timelineRule = h('p', { class: 'rule', id: 'timeline-rule', 'aria-live': 'polite' });
  const parseDays = () => days.value.split(/[\s,]+/).filter(Boolean);
  const checkTimeline = () => {
    const problems = [];
    if (start.value && end.value && start.value >= end.value) problems.push('The start date must be before the end date.');
    for (const d of parseDays()) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) problems.push(`${d} is not a date (YYYY-MM-DD).`);
      else if ((start.value && d < start.value) || (end.value && d > end.value)) problems.push(`${d} is outside the start and end dates.`);
    }
    if (new Set(parseDays()).size !== parseDays().length) problems.push('A required day is listed twice.');
    timelineRule.textContent = problems.length ? problems.join(' ') : 'Start before end; each required day between them, once.';
    timelineRule.className = `rule ${problems.length ? 'short' : 'ok'}`;
  };
  for (const c of [start, end, days]) c.addEventListener('input', checkTimeline);

  const saveButton = h('button', { type: 'submit', name: 'save', class: 'secondary' }, 'Save draft');
  const submitButton = h('button', { type: 'submit', name: 'submit' }, 'Submit');
  form.append(
    h('fieldset', {}, h('legend', {}, '1. Customer'), field('Customer', customer, { name: 'customer_id' }), toggleAdd, addBox),
    h('fieldset', {}, h('legend', {}, '2. Details'),
      field('Title', title, { name: 'title' }), field('Short description', description, { name: 'description' }),
      field('Priority', priority, { name: 'priority' }),
      h('div', { class: 'row' }, field('Annual recurring revenue', arr, { name: 'annual_recurring_revenue', hint: 'A decimal, e.g. 125000.00' }),
        field('Currency', currency, { name: 'currency' })),
      field('Region', region, { name: 'geographic_requirements.region', hint: 'Where the work happens, e.g. EMEA or Germany' }),
      h('div', { class: 'field check', 'data-field': 'geographic_requirements.requires_physical_presence' }, presence, h('label', { for: 'presence' }, 'Requires physical presence')),
      h('div', { class: 'field check', 'data-field': 'geographic_requirements.allows_remote_work' }, remote, h('label', { for: 'remote' }, 'Allows remote work'))),
    h('fieldset', {}, h('legend', {}, '3. Problem statement'),
      field('Problem statement (Markdown)', statement, { name: 'problem_statement', hint: `Between ${k_min} and ${k_max} characters.` }),
      count, h('h2', { class: 'sub' }, 'Preview'), preview),
    h('fieldset', {}, h('legend', {}, '4. Required skills'),
      h('div', { class: 'row' }, skillField, field('Importance', importance, { name: 'importance' }), field('Minimum proficiency', proficiency, { name: 'minimum_proficiency' })),
      addSkill, reqList, mustRule),
    h('fieldset', {}, h('legend', {}, '5. Timeline'),
      h('div', { class: 'row' }, field('Expected start', start, { name: 'timeline.expected_start_date' }), field('Expected end', end, { name: 'timeline.expected_end_date' })),
      field('Specific required days', days, { name: 'timeline.specific_required_days', hint: 'Optional; dates separated by commas' }),
      h('div', { class: 'field check' }, flexible, h('label', { for: 'flexible' }, 'The dates are flexible')),
      h('div', { 'data-field': 'timeline' }, timelineRule, h('p', { class: 'field-error', hidden: true }))),
    h('div', { class: 'actions' }, saveButton, submitButton),
  );
  updateStatement();
  renderRequirements();
  checkTimeline();

  const core = () => ({
    title: title.value.trim(), description: description.value.trim(),
    ...(adding() ? { customer: { name: newName.value.trim(), industry: newIndustry.value.trim() } } : { customer_id: customer.value || undefined }),
    priority: priority.value, annual_recurring_revenue: arr.value.trim(), currency: currency.value.trim().toUpperCase(),
    geographic_requirements: { region: region.value.trim(), requires_physical_presence: presence.checked, allows_remote_work: remote.checked },
  });
  // Writes the opportunity, then each part that has content. Part errors are collected with
  // their field names (prefixed) and shown together.
  async function save() {
    if (!state.id) {
      const body = core();
      const { data, etag } = await api.api('POST', '/api/v1/opportunities', { body, idempotencyKey: api.idempotencyKey(state.formKey, body) });
      state.id = data.id; state.etag = etag;
      if (body.customer) adopt(data);
    } else {
      const { etag } = await api.api('PATCH', `/api/v1/opportunities/${state.id}`, { body: core() });
      state.etag = etag;
    }
    const errors = [];
    const part = async (fn, prefix) => {
      try { await fn(); } catch (err) {
        if (!(err instanceof api.ApiError) || err.status >= 500) throw err;
        for (const e of err.errors.length ? err.errors : [{ field: '', message: err.message }])
          errors.push({ field: e.field === 'content' ? 'problem_statement' : `${prefix}${e.field}`, message: e.message });
      }
    };
    if (statement.value.trim()) await part(() => api.api('PUT', `/api/v1/opportunities/${state.id}/problem-statement`, { body: { content: statement.value } }), 'problem_statement.');
    for (const r of state.requirements.filter((x) => !x.id)) {
      await part(async () => {
        const { data } = await api.api('POST', `/api/v1/opportunities/${state.id}/skill-requirements`,
          { body: { skill_id: r.skill.id, importance: r.importance, minimum_proficiency: r.minimum_proficiency } });
        r.id = data.id;
      }, 'skill_requirements.');
    }
    if (start.value || end.value) {
      await part(() => api.api('PUT', `/api/v1/opportunities/${state.id}/timeline`, { body: {
        expected_start_date: start.value, expected_end_date: end.value, specific_required_days: parseDays(), is_flexible: flexible.checked,
      } }), 'timeline.');
    }
    return errors;
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const submitting = e.submitter === submitButton;
    clearErrors(form);
    try {
      const errors = await save();
      if (!submitting) {
        if (errors.length) throw new api.ApiError(400, { detail: 'The draft is saved, but some parts were not:', errors });
        toast('Draft saved.');
        location.hash = `#/opportunities/${state.id}`;
        return;
      }
      try {
        await api.api('POST', `/api/v1/opportunities/${state.id}/submit`, { body: {} });
      } catch (err) {
        if (err.code !== 'SUBMISSION_INCOMPLETE') throw err;
        // Every unmet prerequisite at once: the server's list, plus why a part was refused.
        throw new api.ApiError(422, { ...err.problem, errors: [...errors, ...err.errors] });
      }
      toast('Submitted.');
      location.hash = `#/opportunities/${state.id}`;
    } catch (err) {
      showProblem(form, err);
    }
  });

  page('New opportunity', h('p', { class: 'hint' }, 'Fill in what you know and save a draft; submit when every part is ready.'), form);
}
