// <liaison-org>: the Organization stage. Departments with their head and interface persons, duties,
// deliverables and resources (the responsibility matrix and the resource plan), the people, and the
// communication plan. Every field saves when it changes; the checks are listed on top.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call } from '../lib/ipc.js';
import { edit } from '../lib/save.js';
import { dateField, timeField } from '../lib/date-field.js';
import './robot-settings.js';

const ROLES = ['head', 'interface', 'owner', 'member', 'decision'];
const SCENARIOS = ['progress_sync', 'working_meeting', 'problem_workshop', 'decision_review', 'other'];
const FREQS = ['weekly', 'biweekly', 'daily', 'monthly', 'asNeeded'];

function message(f) {
  return t(f.key, Object.fromEntries(f.params));
}

function field(label, control, cls = '') {
  return h('div', { class: `field ${cls}` }, h('label', {}, label), control);
}

export class OrgView extends HTMLElement {
  #matrix = null;
  #comms = [];
  #checklist = [];

  async load() {
    const [matrix, comms, checklist] = await Promise.all([call('org_matrix'), call('comms_list'), call('checklist_view')]);
    this.#matrix = matrix;
    this.#comms = comms;
    this.#checklist = checklist;
    this.render();
  }

  /** Improvements carried over from an earlier project ("new project from…"), to tick off. */
  #checklistCard() {
    if (!this.#checklist.length) return null;
    const done = this.#checklist.filter((c) => c.done).length;
    return h('section', { class: 'card checklist', id: 'org-checklist' },
      h('div', { class: 'card-head' }, h('h2', {}, t('checklist.title')), h('span', { class: 'chip' }, `${done}/${this.#checklist.length}`)),
      h('p', { class: 'muted' }, t('checklist.hint', { source: this.#checklist[0].source })),
      h('ul', { class: 'check-list' }, this.#checklist.map((c) => h('li', { class: c.done ? 'done' : '' },
        h('label', { class: 'check' },
          h('input', {
            type: 'checkbox', id: `checklist-${c.id}`, checked: c.done,
            onchange: async (e) => {
              const list = await edit(this, 'checklist_set_done', { id: c.id, done: e.target.checked });
              if (list && list !== true) { this.#checklist = list; this.render(); }
            },
          }),
          h('span', {}, c.text),
          c.owner ? h('span', { class: 'muted small' }, ` — ${c.owner}`) : null)))));
  }

  render() {
    if (!this.#matrix) return;
    const m = this.#matrix;
    mount(this,
      h('div', { class: 'form-head' },
        h('div', {}, h('h1', {}, t('stage.organization')), h('p', { class: 'muted' }, t('org.hint'))),
        h('div', { class: 'form-status' },
          h('span', { class: m.findings.length ? 'count warning' : 'count ok', id: 'org-summary' },
            m.findings.length ? t('org.findings', { n: m.findings.length }) : t('org.no_findings')),
          h('button', { type: 'button', class: 'secondary', 'data-view': '', onclick: () => this.#history() }, t('history.open')))),
      m.findings.length ? h('section', { class: 'card findings', id: 'org-findings' },
        h('ul', { class: 'finding-list' }, m.findings.map((f) => h('li', { class: 'msg warning' }, message(f))))) : null,
      this.#checklistCard(),
      this.#departments(),
      this.#people(),
      this.#commsCard(),
      h('liaison-robot-settings', {}));
  }

  #history() {
    const records = [
      ...this.#matrix.departments.map((d) => `department:${d.id}`),
      ...this.#matrix.people.map((p) => `person:${p.id}`),
      ...this.#comms.map((c) => `comm_plan:${c.id}`),
    ];
    this.dispatchEvent(new CustomEvent('show-history', { bubbles: true, detail: { records } }));
  }

  async #do(cmd, args) {
    const r = await edit(this, cmd, args);
    await this.load();
    return r;
  }

  #departments() {
    const m = this.#matrix;
    const name = h('input', { type: 'text', id: 'dept-new', placeholder: t('field.department.name'), 'aria-label': t('field.department.name') });
    const add = async () => {
      if (!name.value.trim()) return;
      if (await this.#do('department_add', { name: name.value })) this.querySelector('#dept-new')?.focus();
    };
    name.addEventListener('keydown', (e) => { if (e.key === 'Enter') add(); });
    return h('section', { class: 'card', id: 'departments' },
      h('div', { class: 'card-head' },
        h('h2', {}, t('org.departments')),
        m.missingFromRegistration.length ? h('button', {
          type: 'button', class: 'secondary', id: 'dept-import',
          onclick: () => this.#do('departments_import', {}),
        }, t('org.import', { names: m.missingFromRegistration.join('、') })) : null),
      h('table', { class: 'matrix' },
        h('thead', {}, h('tr', {},
          h('th', {}, t('field.department.name')), h('th', {}, t('role.head')), h('th', {}, t('role.interface')),
          h('th', {}, t('field.department.duties')), h('th', {}, t('field.department.deliverables')),
          h('th', {}, t('field.department.delivery_date')), h('th', { class: 'num' }, t('org.lead_tasks')),
          h('th', { class: 'num' }, t('org.collab_tasks')), h('th', {}))),
        h('tbody', {}, m.departments.map((d) => this.#deptRow(d)))),
      h('div', { class: 'add-row' }, name, h('button', { type: 'button', class: 'secondary', id: 'dept-add', onclick: add }, `+ ${t('org.add_department')}`)),
      h('h2', { class: 'sub' }, t('org.resources')),
      h('table', { class: 'matrix' },
        h('thead', {}, h('tr', {},
          h('th', {}, t('field.department.name')), h('th', { class: 'num' }, t('field.department.res_people')),
          h('th', { class: 'num' }, t('field.department.res_budget')), h('th', {}, t('field.department.res_material')),
          h('th', {}, t('field.department.res_gap')), h('th', {}, t('field.department.quality_standard')))),
        h('tbody', {}, m.departments.map((d) => this.#resourceRow(d)))));
  }

  #input(d, key, attrs = {}) {
    const numeric = attrs.type === 'number';
    const date = attrs.type === 'date';
    const el = (date ? dateField : (a) => h(attrs.multiline ? 'textarea' : 'input', a))({
      type: attrs.multiline || date ? undefined : (attrs.type || 'text'), rows: attrs.multiline ? 2 : undefined, id: attrs.id,
      fieldKey: date ? `field.department.${attrs.label || key}` : undefined,
      min: numeric ? '0' : undefined, value: d[key] ?? '', 'aria-label': t(`field.department.${attrs.label || key}`),
      dataset: { dept: String(d.id), key },
      onchange: () => {
        const value = numeric ? Number(el.value || 0) : (el.value || (key === 'deliveryDate' ? null : ''));
        // The row's object takes the change at once, so a second quick edit includes the first.
        d[key] = value;
        const { heads, interfaces, members, leadTasks, collabTasks, ...plain } = d;
        this.#do('department_update', { department: plain });
      },
    });
    return el;
  }

  #chips(list) {
    return list.length ? list.map((p) => h('span', { class: 'chip', title: p.contact || '' }, p.name)) : h('span', { class: 'chip missing' }, t('org.none'));
  }

  #deptRow(d) {
    const flagged = this.#matrix.findings.some((f) => f.department === d.id);
    return h('tr', { class: flagged ? 'flagged' : '', dataset: { department: d.name } },
      h('td', { class: 'name-col' }, this.#input(d, 'name')),
      h('td', {}, this.#chips(d.heads)),
      h('td', {}, this.#chips(d.interfaces)),
      h('td', {}, this.#input(d, 'duties', { multiline: true })),
      h('td', {}, this.#input(d, 'deliverables', { multiline: true })),
      h('td', {}, this.#input(d, 'deliveryDate', { type: 'date', label: 'delivery_date', id: `dept-delivery-${d.id}` })),
      h('td', { class: 'num' }, String(d.leadTasks)),
      h('td', { class: 'num' }, String(d.collabTasks)),
      h('td', { class: 'row-tools' },
        h('button', { type: 'button', class: 'icon-button plain', title: t('common.up'), onclick: () => this.#do('department_move', { id: d.id, delta: -1 }) }, '↑'),
        h('button', { type: 'button', class: 'icon-button plain', title: t('common.down'), onclick: () => this.#do('department_move', { id: d.id, delta: 1 }) }, '↓'),
        h('button', { type: 'button', class: 'icon-button', title: t('common.remove'), onclick: () => this.#do('department_remove', { id: d.id }) }, '×')));
  }

  #resourceRow(d) {
    return h('tr', {},
      h('td', {}, d.name),
      h('td', { class: 'num' }, this.#input(d, 'resPeople', { type: 'number', label: 'res_people' })),
      h('td', { class: 'num' }, this.#input(d, 'resBudget', { type: 'number', label: 'res_budget' })),
      h('td', {}, this.#input(d, 'resMaterial', { label: 'res_material' })),
      h('td', { class: d.resGap ? 'gap' : '' }, this.#input(d, 'resGap', { label: 'res_gap' })),
      h('td', {}, this.#input(d, 'qualityStandard', { label: 'quality_standard' })));
  }

  #people() {
    const m = this.#matrix;
    const depts = m.departments.map((d) => d.name);
    const deptSelect = (value, onchange, id) => h('select', { id, 'aria-label': t('field.person.department'), onchange },
      h('option', { value: '' }, '—'),
      [...new Set([...depts, value].filter(Boolean))].map((n) => h('option', { value: n, selected: n === value }, n)));
    const roleSelect = (value, onchange, id) => h('select', { id, 'aria-label': t('field.person.role'), onchange },
      ROLES.map((r) => h('option', { value: r, selected: r === value }, t(`role.${r}`))));
    const row = (p) => {
      const save = (patch) => { Object.assign(p, patch); return this.#do('person_update', { person: { ...p } }); };
      return h('tr', { dataset: { person: p.name } },
        h('td', {}, h('input', { type: 'text', value: p.name, 'aria-label': t('field.person.name'), onchange: (e) => save({ name: e.target.value }) })),
        h('td', {}, deptSelect(p.department, (e) => save({ department: e.target.value }))),
        h('td', {}, roleSelect(p.role, (e) => save({ role: e.target.value }))),
        h('td', {}, h('input', { type: 'text', value: p.contact, 'aria-label': t('field.person.contact'), onchange: (e) => save({ contact: e.target.value }) })),
        h('td', { class: 'row-tools' }, h('button', { type: 'button', class: 'icon-button', title: t('common.remove'), onclick: () => this.#do('person_remove', { id: p.id }) }, '×')));
    };
    const name = h('input', { type: 'text', id: 'person-new-name', placeholder: t('field.person.name'), 'aria-label': t('field.person.name') });
    const dept = deptSelect('', null, 'person-new-department');
    const role = roleSelect(ROLES[3], null, 'person-new-role');
    const contact = h('input', { type: 'text', id: 'person-new-contact', placeholder: t('field.person.contact'), 'aria-label': t('field.person.contact') });
    const add = () => this.#do('add_person', { person: { name: name.value, department: dept.value, role: role.value, contact: contact.value } });
    return h('section', { class: 'card', id: 'people' },
      h('h2', {}, t('org.people')),
      h('table', { class: 'matrix people' },
        h('thead', {}, h('tr', {}, h('th', {}, t('field.person.name')), h('th', {}, t('field.person.department')),
          h('th', {}, t('field.person.role')), h('th', {}, t('field.person.contact')), h('th', {}))),
        h('tbody', {}, m.people.map(row),
          h('tr', { class: 'new-row' }, h('td', {}, name), h('td', {}, dept), h('td', {}, role), h('td', {}, contact),
            h('td', {}, h('button', { type: 'button', class: 'secondary small', id: 'person-new-add', onclick: add }, `+ ${t('people.add')}`))))));
  }

  #freq(r) {
    if (r.freq === 'weekly') return r.interval === 2 ? 'biweekly' : 'weekly';
    return r.freq;
  }

  #commRow(c) {
    const people = this.#matrix.people;
    const save = (patch) => {
      Object.assign(c, patch);
      const { described, next, overLimit, ...item } = c;
      this.#do('comms_save', { item });
    };
    const r = c.recurrence;
    const freq = this.#freq(r);
    const time = r.time || '10:00';
    const recur = (f, patch = {}) => {
      const base = { time: patch.time ?? time };
      if (f === 'weekly' || f === 'biweekly') return { freq: 'weekly', interval: f === 'biweekly' ? 2 : 1, weekday: patch.weekday ?? r.weekday ?? 1, ...base };
      if (f === 'monthly') return { freq: 'monthly', day: patch.day ?? r.day ?? 1, ...base };
      if (f === 'daily') return { freq: 'daily', ...base };
      return { freq: 'asNeeded' };
    };
    const freqSel = h('select', { class: 'fit', 'aria-label': t('field.comms.recurrence'), onchange: (e) => save({ recurrence: recur(e.target.value) }) },
      FREQS.map((f) => h('option', { value: f, selected: f === freq }, t(`comms.freq.${f}`))));
    const detail = [];
    if (freq === 'weekly' || freq === 'biweekly') {
      detail.push(h('select', { class: 'fit recur-weekday', 'aria-label': t('comms.weekday'), onchange: (e) => save({ recurrence: recur(freq, { weekday: Number(e.target.value) }) }) },
        [1, 2, 3, 4, 5, 6, 7].map((d) => h('option', { value: String(d), selected: d === r.weekday }, t(`weekday.${d}`)))));
    } else if (freq === 'monthly') {
      detail.push(h('select', { class: 'fit', 'aria-label': t('comms.day'), onchange: (e) => save({ recurrence: recur(freq, { day: Number(e.target.value) }) }) },
        [...Array.from({ length: 28 }, (_, i) => i + 1), 31].map((d) => h('option', { value: String(d), selected: d === r.day }, d === 31 ? t('comms.last_day') : String(d)))));
    }
    if (freq !== 'asNeeded') {
      detail.push(timeField({ value: time, 'aria-label': t('comms.time'), fieldKey: 'field.comms.recurrence', onchange: (v) => { if (v) save({ recurrence: recur(freq, { time: v }) }); } }));
    }
    const picked = new Set(c.participants);
    const pick = h('details', { class: 'pick' },
      h('summary', {}, c.participants.length ? people.filter((p) => picked.has(p.id)).map((p) => p.name).join('、') : t('org.none')),
      h('div', { class: 'pick-list' }, people.map((p) => h('label', {},
        h('input', { type: 'checkbox', checked: picked.has(p.id), onchange: (e) => {
          const next = e.target.checked ? [...c.participants, p.id] : c.participants.filter((x) => x !== p.id);
          save({ participants: next });
        } }), ` ${p.name}`, h('span', { class: 'muted' }, ` ${p.department}`)))));
    return h('tr', { class: c.overLimit ? 'flagged' : '' },
      h('td', {}, h('select', { class: 'fit', 'aria-label': t('field.comms.scenario'), onchange: (e) => save({ scenario: e.target.value }) },
        SCENARIOS.map((s) => h('option', { value: s, selected: s === c.scenario }, t(`comms.scenario.${s}`))))),
      h('td', {}, h('input', { type: 'text', value: c.channel, 'aria-label': t('field.comms.channel'), onchange: (e) => save({ channel: e.target.value }) })),
      h('td', {}, pick),
      h('td', {}, h('div', { class: 'recur' }, freqSel, detail), h('div', { class: 'hint' }, c.described, c.next ? ` · ${t('comms.next', { at: c.next })}` : '')),
      h('td', { class: 'num' }, h('input', { type: 'number', min: '0', max: '1440', value: String(c.timeLimit), 'aria-label': t('field.comms.time_limit'), onchange: (e) => save({ timeLimit: Number(e.target.value || 0) }) }),
        c.overLimit ? h('div', { class: 'msg warning' }, t('comms.over_limit')) : null),
      h('td', { class: 'row-tools' }, h('button', { type: 'button', class: 'icon-button', title: t('common.remove'), onclick: () => this.#do('comms_remove', { id: c.id }) }, '×')));
  }

  #commsCard() {
    const add = () => this.#do('comms_save', { item: { scenario: 'progress_sync', channel: '', participants: [], recurrence: { freq: 'weekly', interval: 1, weekday: 1, time: '10:00' }, timeLimit: 30 } });
    return h('section', { class: 'card', id: 'comms' },
      h('h2', {}, t('org.comms')),
      h('p', { class: 'muted' }, t('org.comms.hint')),
      h('table', { class: 'matrix' },
        h('thead', {}, h('tr', {}, h('th', {}, t('field.comms.scenario')), h('th', {}, t('field.comms.channel')),
          h('th', {}, t('field.comms.participants')), h('th', {}, t('field.comms.recurrence')),
          h('th', { class: 'num' }, t('field.comms.time_limit')), h('th', {}))),
        h('tbody', {}, this.#comms.map((c) => this.#commRow(c)))),
      h('div', { class: 'add-row' }, h('button', { type: 'button', class: 'secondary', id: 'comms-add', onclick: add }, `+ ${t('org.add_comms')}`)));
  }
}
customElements.define('liaison-org', OrgView);
