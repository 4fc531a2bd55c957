// <liaison-registration>: the registration form (登记表), saved as the user types, checked by the backend.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call } from '../lib/ipc.js';
import './signoff-panel.js';
import { parseDate } from '../lib/dates.js';
import './tag-input.js';

/** A date typed as 2026/12/16 or 2026年12月16日 becomes 2026-12-16 when the field is left; true when it changed. */
function normalizeDate(el) {
  if (!(el.id === 'f-startDate' || el.id === 'f-endDate' || el.dataset.part === 'date')) return false;
  const read = parseDate(el.value);
  if (!read.value || read.value === el.value) return false;
  el.value = read.value;
  return true;
}

const SAVE_DELAY_MS = 800;

export class RegistrationForm extends HTMLElement {
  #data = null;
  #docState = 'draft';
  #signoff = null;
  #findings = [];
  #timer = null;
  #saving = null;
  #again = false;

  /** Loads the form from the open project. */
  async load() {
    const snap = await call('load_registration');
    this.#apply(snap, true);
  }

  /** Saves any pending edit now; resolves when everything typed is on disk. */
  async flush() {
    if (this.#timer) { clearTimeout(this.#timer); this.#timer = null; await this.#save(); }
    while (this.#saving) await this.#saving;
  }

  connectedCallback() {
    this.addEventListener('signoff-changed', () => this.load());
  }

  render() {
    if (!this.#data) return;
    this.#render();
    this.#signoff.render();
  }

  #apply(snap, rerender) {
    this.#findings = snap.findings;
    this.#docState = snap.state;
    if (rerender) {
      this.#data = snap.registration;
      this.#render();
    } else {
      this.#renderFindings();
    }
  }

  #state(state) {
    this.dispatchEvent(new CustomEvent('save-state', { bubbles: true, detail: { state } }));
  }

  #edited() {
    this.#data = this.#collect();
    if (this.#departments().join('\n') !== this.querySelector('.contacts')?.dataset.departments) this.#renderContacts();
    this.#state('dirty');
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => { this.#timer = null; this.#save(); }, SAVE_DELAY_MS);
  }

  async #save() {
    if (this.#saving) { this.#again = true; return this.#saving; }
    this.#state('saving');
    this.#saving = (async () => {
      try {
        const snap = await call('save_registration', { registration: this.#data });
        this.#apply(snap, false);
        this.#state('saved');
        this.#signoff?.load().catch(() => {});
        this.dispatchEvent(new CustomEvent('project-renamed', { bubbles: true, detail: { name: snap.registration.name } }));
      } catch (err) {
        this.#state(err && err.refusal ? 'refused' : 'failed');
      } finally {
        this.#saving = null;
      }
      if (this.#again) { this.#again = false; await this.#save(); }
    })();
    return this.#saving;
  }

  #collect() {
    const val = (name) => this.querySelector(`[name="${name}"]`)?.value ?? '';
    const tags = (name) => this.querySelector(`liaison-tag-input[name="${name}"]`)?.value ?? [];
    return {
      name: val('name'),
      background: val('background'),
      initiatingDepartment: val('initiatingDepartment'),
      collaboratingDepartments: tags('collaboratingDepartments'),
      contacts: [...this.querySelectorAll('.contact-row input')].map((el) => ({ department: el.dataset.department, person: el.value })),
      owner: val('owner'),
      startDate: val('startDate'),
      endDate: val('endDate'),
      coreGoal: val('coreGoal'),
      keyDeliverables: val('keyDeliverables'),
      milestones: [...this.querySelectorAll('.milestone-row')].map((row) => ({
        date: row.querySelector('[data-part="date"]').value,
        node: row.querySelector('[data-part="node"]').value,
      })),
      currentProgress: val('currentProgress'),
      riskNotes: val('riskNotes'),
      suggestedDepartments: tags('suggestedDepartments'),
    };
  }

  #field(name, control, { required = false, wide = false, hint = null } = {}) {
    return h('div', { class: wide ? 'field wide' : 'field', dataset: { field: name } },
      h('label', { for: `f-${name}` }, t(`field.${name}`), required ? h('span', { class: 'req', title: t('hint.required') }, '*') : null),
      control,
      hint ? h('div', { class: 'hint' }, hint) : null,
      h('div', { class: 'msgs' }));
  }

  #text(name, opts = {}) {
    return this.#field(name, h('input', {
      type: 'text', id: `f-${name}`, name, value: this.#data[name] ?? '',
      placeholder: opts.placeholder, autocomplete: 'off', spellcheck: 'false',
    }), opts);
  }

  #area(name, opts = {}) {
    return this.#field(name, h('textarea', { id: `f-${name}`, name, rows: opts.rows || 3, value: this.#data[name] ?? '' }), opts);
  }

  #tags(name, opts = {}) {
    const el = h('liaison-tag-input', { name, 'input-id': `f-${name}` });
    el.value = this.#data[name] || [];
    return this.#field(name, el, opts);
  }

  #milestoneRow(m, i) {
    return h('div', { class: 'milestone-row', dataset: { index: String(i) } },
      h('div', { class: 'ms-date', dataset: { field: `milestones.${i}.date` } },
        h('input', { type: 'text', 'data-part': 'date', value: m.date, placeholder: 'YYYY-MM-DD', 'aria-label': t('field.milestone.date') }),
        h('div', { class: 'msgs' })),
      h('div', { class: 'ms-node', dataset: { field: `milestones.${i}.node` } },
        h('input', { type: 'text', 'data-part': 'node', value: m.node, 'aria-label': t('field.milestone.node') }),
        h('div', { class: 'msgs' })),
      h('button', {
        type: 'button', class: 'icon-button', title: t('common.remove'), 'aria-label': t('common.remove'),
        // Deferred: the clicked button is itself replaced, which must not happen inside its own click.
        onclick: () => setTimeout(() => { this.#data = this.#collect(); this.#data.milestones.splice(i, 1); this.#renderMilestones(); this.#edited(); }),
      }, '×'));
  }

  #render() {
    const d = this.#data;
    mount(this, h('form', { class: 'form', onsubmit: (e) => e.preventDefault(), oninput: (e) => { if (e.target.closest('.signoff')) return; this.#edited(); }, onchange: (e) => { if (e.target.tagName === 'LIAISON-TAG-INPUT' || normalizeDate(e.target)) this.#edited(); } },
      h('div', { class: 'form-head' },
        h('div', {},
          h('h1', {}, t('reg.title')),
          h('p', { class: 'muted' }, t('stage.registration.hint'))),
        h('div', { class: 'form-status' },
          h('span', { class: 'summary', id: 'form-summary' }),
          h('button', { type: 'button', class: 'secondary', id: 'history-open', onclick: () => this.dispatchEvent(new CustomEvent('show-history', { bubbles: true, detail: { records: ['registration:1'] } })) }, t('history.open')))),
      this.#docState === 'draft' ? null : h('div', { class: 'lock-banner', id: 'lock-banner' },
        this.#docState === 'signed' ? t('signoff.locked_banner') : t('signoff.frozen_banner')),
      h('section', { class: 'card' },
        h('h2', {}, t('reg.section.basics')),
        h('div', { class: 'grid' },
          this.#text('name', { required: true, wide: true }),
          this.#area('background', { required: true, wide: true }),
          this.#text('initiatingDepartment', { required: true }),
          this.#text('owner', { required: true }),
          this.#tags('collaboratingDepartments', { required: true, wide: true }),
          this.#field('contacts', h('div', { class: 'contacts' }), { wide: true, hint: t('hint.contacts') }),
          this.#text('startDate', { required: true, placeholder: 'YYYY-MM-DD' }),
          this.#text('endDate', { required: true, placeholder: 'YYYY-MM-DD' }))),
      h('section', { class: 'card' },
        h('h2', {}, t('reg.section.goal')),
        h('div', { class: 'grid' },
          this.#area('coreGoal', { required: true, wide: true, rows: 2, hint: t('hint.coreGoal') }),
          this.#area('keyDeliverables', { required: true, wide: true }))),
      h('section', { class: 'card' },
        h('h2', {}, t('reg.section.milestones')),
        h('div', { class: 'milestone-head' }, h('span', {}, t('field.milestone.date')), h('span', {}, t('field.milestone.node'))),
        h('div', { class: 'milestones' }),
        h('button', {
          type: 'button', class: 'secondary', id: 'milestone-add',
          onclick: () => { this.#data = this.#collect(); this.#data.milestones.push({ date: '', node: '' }); this.#renderMilestones(); this.querySelector('.milestone-row:last-child input')?.focus(); },
        }, `+ ${t('reg.milestone.add')}`)),
      h('section', { class: 'card' },
        h('h2', {}, t('reg.section.status')),
        h('div', { class: 'grid' },
          this.#area('currentProgress', { wide: true, rows: 2 }),
          this.#area('riskNotes', { wide: true, rows: 2 }),
          this.#tags('suggestedDepartments', { wide: true }))),
      this.#signoffPanel()));
    this.#renderMilestones();
    this.#renderContacts();
    if (this.#docState !== 'draft') {
      for (const el of this.querySelectorAll('.card:not(.signoff) :is(input, textarea, select, button)')) el.disabled = true;
      for (const el of this.querySelectorAll('.card:not(.signoff) liaison-tag-input')) el.classList.add('locked');
    }
    this.#renderFindings();
  }

  /** The sign-off panel is made once and kept across redraws of the form, so that its buttons are
   * never replaced while someone is using them. */
  #signoffPanel() {
    if (!this.#signoff) {
      this.#signoff = h('liaison-signoff', { kind: 'registration', 'doc-id': '1' });
      this.#signoff.load();
    }
    return this.#signoff;
  }

  /** The departments of the form, initiating first, each once. */
  #departments() {
    const d = this.#data;
    return [...new Set([d.initiatingDepartment, ...(d.collaboratingDepartments || [])].map((x) => (x || '').trim()).filter(Boolean))];
  }

  /** Redraws the 对接人 rows, one per department of the form, keeping what was typed. */
  #renderContacts() {
    const box = this.querySelector('.contacts');
    if (!box) return;
    const depts = this.#departments();
    box.dataset.departments = depts.join('\n');
    const person = (dept) => (this.#data.contacts || []).find((c) => c.department === dept)?.person || '';
    mount(box, depts.length ? depts.map((dept) => h('label', { class: 'contact-row' },
      h('span', { class: 'contact-dept' }, dept),
      h('input', { type: 'text', dataset: { department: dept }, value: person(dept), placeholder: t('field.contacts.person'), 'aria-label': `${dept} ${t('field.contacts.person')}` })))
      : h('p', { class: 'muted' }, t('reg.contacts.none')));
    if (this.#docState !== 'draft') for (const el of box.querySelectorAll('input')) el.disabled = true;
  }

  /** Redraws only the milestone rows (the rest of the form keeps its elements and focus). */
  #renderMilestones() {
    const box = this.querySelector('.milestones');
    const ms = this.#data.milestones;
    mount(box, ms.length ? ms.map((m, i) => this.#milestoneRow(m, i)) : h('p', { class: 'muted empty-ms' }, t('reg.milestone.none')));
    if (this.#docState !== 'draft') for (const el of box.querySelectorAll('input, button')) el.disabled = true;
    this.#renderFindings();
  }

  #renderFindings() {
    for (const box of this.querySelectorAll('.msgs')) box.replaceChildren();
    for (const el of this.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    for (const f of this.#findings) {
      const holder = this.querySelector(`[data-field="${CSS.escape(f.field)}"]`);
      if (!holder) continue;
      holder.querySelector('.msgs').appendChild(h('div', { class: `msg ${f.severity}` }, t(f.key, f.params)));
      if (f.severity === 'error') holder.querySelector('input, textarea, .tag-entry')?.setAttribute('aria-invalid', 'true');
    }
    const errors = this.#findings.filter((f) => f.severity === 'error').length;
    const warnings = this.#findings.length - errors;
    const summary = this.querySelector('#form-summary');
    if (!summary) return;
    const parts = [];
    if (errors) parts.push(h('span', { class: 'count error' }, t('reg.summary.errors', { count: errors })));
    if (warnings) parts.push(h('span', { class: 'count warning' }, t('reg.summary.warnings', { count: warnings })));
    if (!parts.length && this.#docState === 'draft') parts.push(h('span', { class: 'count ok' }, t('reg.summary.ok')));
    mount(summary, parts);
  }
}
customElements.define('liaison-registration', RegistrationForm);
