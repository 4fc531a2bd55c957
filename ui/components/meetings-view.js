// <liaison-meetings>: the Meetings stage, the closed loop. Meetings (notice → minutes → every
// attendee confirms → locked), the follow-up ledger of all action items, weekly progress reports and
// the log of communications outside meetings.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call, toast } from '../lib/ipc.js';
import { exportedNotice } from '../lib/exported.js';
import { edit } from '../lib/save.js';
import { dateField } from '../lib/date-field.js';
import { xlsxButton } from '../lib/xlsx.js';
import { openSend } from './send-dialog.js';
import './message-log.js';
import './signoff-panel.js';

const TABS = ['meetings', 'ledger', 'reports', 'comms'];
const STATUSES = ['not_started', 'in_progress', 'done', 'needs_support'];

function field(label, control, cls = '') {
  return h('div', { class: `field ${cls}` }, h('label', {}, label), control);
}

function short(stamp) {
  return stamp ? stamp.replace('T', ' ').slice(0, 16) : '';
}

function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export class MeetingsView extends HTMLElement {
  #tab = 'meetings';
  #v = null;
  #selected = null;
  #detail = null;
  #ledger = [];
  #ledgerQuery = { department: '', person: null, status: null, meeting: null, overdue: false, text: '' };
  /** How many ledger rows are drawn: a page at a time, so thousands of items open without a pause. */
  #shown = 100;
  #ledgerTotal = 0;
  #open = null;
  /** Ledger items picked for one follow-up entry covering several items. */
  #picked = new Set();
  #followUps = [];
  #reports = null;
  #comms = [];

  preset(detail) {
    if (TABS.includes(detail.tab)) this.#tab = detail.tab;
    // A knowledge-base result: that meeting's minutes.
    if (detail.select) { this.#tab = 'meetings'; this.#selected = Number(detail.select); }
  }

  async load() {
    this.#v = await call('meetings_view');
    if (this.#selected === null && this.#v.meetings.length) this.#selected = this.#v.meetings[0].id;
    await this.#loadTab();
    this.render();
  }

  async #loadTab() {
    if (this.#tab === 'meetings' && this.#selected) this.#detail = await call('meeting_detail', { id: this.#selected }).catch(() => null);
    if (this.#tab === 'ledger') {
      const page = await call('ledger', { query: this.#ledgerQuery, limit: this.#shown });
      this.#ledger = page.rows;
      this.#ledgerTotal = page.total;
      if (this.#open) this.#followUps = await call('follow_ups', { actionId: this.#open });
    }
    if (this.#tab === 'reports') this.#reports = await call('reports_view', { day: this.#reports?.week ?? null });
    if (this.#tab === 'comms') this.#comms = await call('comm_log_list');
  }

  #queue = Promise.resolve();
  #pending = 0;

  /**
   * Runs an edit, then redraws. Edits run one after another, so quick successive changes build on
   * each other; `data-busy` is set while any is under way (the tests wait on it).
   */
  /** Sends `what` by e-mail through the send dialog; the meeting is redrawn when anything went out. */
  async #mail(what, title) {
    const outcome = await openSend(what, title);
    if (!outcome) return;
    this.#v = await call('meetings_view');
    await this.#loadTab();
    this.render();
  }

  /** Posts the meeting's notice to the project's group robot. */
  async #robotNotice(meeting) {
    try {
      const r = await call('robot_post', { post: { what: 'notice', meeting } });
      if (r.status === 'sent') toast(t('send.robot.posted'));
      else toast(t('send.ui.status.failed', { answer: r.answer }), 'error');
      this.querySelector('#notice-log liaison-message-log')?.refresh();
    } catch {
      // Shown beside the button by call().
    }
  }

  #do(cmd, args) {
    this.#pending += 1;
    this.dataset.busy = 'true';
    const run = this.#queue.then(async () => {
      const r = await edit(this, cmd, args);
      if (r !== null) {
        this.#v = await call('meetings_view');
        await this.#loadTab();
        this.render();
      }
      return r;
    });
    this.#queue = run.catch(() => null).finally(() => {
      this.#pending -= 1;
      if (!this.#pending) delete this.dataset.busy;
    });
    return run;
  }

  render() {
    if (!this.#v) return;
    const tabs = h('div', { class: 'tabs', role: 'tablist' }, TABS.map((name) => h('button', {
      type: 'button', role: 'tab', id: `tab-${name}`, class: name === this.#tab ? 'tab on' : 'tab', 'aria-selected': String(name === this.#tab),
      onclick: async () => { this.#tab = name; await this.#loadTab(); this.render(); },
    }, t(`meetings.tab.${name}`))));
    const body = { meetings: () => this.#meetings(), ledger: () => this.#ledgerTab(), reports: () => this.#reportsTab(), comms: () => this.#commsTab() }[this.#tab]();
    mount(this,
      h('div', { class: 'form-head' },
        h('div', {}, h('h1', {}, t('stage.meetings')), h('p', { class: 'muted' }, t('meetings.hint')))),
      tabs, h('div', { class: 'tab-body', id: `panel-${this.#tab}` }, body));
    if (this.#tab === 'meetings' && this.#detail && this.#detail.state !== 'draft') {
      const panel = h('liaison-signoff', { kind: 'minutes', 'doc-id': String(this.#detail.meeting.id), 'no-start': '' });
      panel.addEventListener('signoff-changed', () => this.load());
      this.querySelector('#minutes-signoff')?.append(panel);
      panel.load();
    }
  }

  #people(value, onchange, attrs = {}) {
    return h('select', { onchange, ...attrs }, h('option', { value: '' }, '—'),
      this.#v.people.map((p) => h('option', { value: String(p.id), selected: p.id === value }, `${p.name}（${p.department}）`)));
  }

  // ---- meetings

  #meetings() {
    const v = this.#v;
    const title = h('input', { type: 'text', id: 'meeting-new-title', placeholder: t('field.meeting.title') });
    const when = dateField({ time: true, id: 'meeting-new-at', fieldKey: 'field.meeting.starts_at' });
    const add = async () => {
      const m = await this.#do('meeting_save', { meeting: { title: title.value, startsAt: when.value, duration: 30, attendees: [], agenda: [] } });
      if (m) { this.#selected = m.id; await this.load(); }
    };
    const fromPlan = h('select', { id: 'meeting-from-plan', onchange: async (e) => {
      if (!e.target.value) return;
      const m = await this.#do('meeting_from_plan', { commId: Number(e.target.value) });
      if (m) { this.#selected = m.id; await this.load(); }
    } }, h('option', { value: '' }, t('meetings.from_plan')), v.plan.map(([id, text]) => h('option', { value: String(id) }, text)));
    const list = h('ul', { class: 'meeting-list' }, v.meetings.map((m) => h('li', {
      class: m.id === this.#selected ? 'on' : '', dataset: { meeting: String(m.id) },
      onclick: async () => { this.#selected = m.id; await this.#loadTab(); this.render(); },
    }, h('div', { class: 'm-title' }, m.title), h('div', { class: 'muted' }, short(m.startsAt)),
    h('span', { class: `state-badge ${m.state}` }, t(`minutes.state.${m.state}`)))));
    return h('div', { class: 'meetings-split' },
      h('aside', { class: 'card meeting-side' },
        h('div', { class: 'add-col' }, title, when, h('button', { type: 'button', class: 'secondary', id: 'meeting-add', onclick: add }, `+ ${t('meetings.add')}`), fromPlan),
        v.meetings.length ? list : h('p', { class: 'muted' }, t('meetings.none'))),
      h('div', { class: 'meeting-main' }, this.#detail ? this.#detailView() : null));
  }

  #detailView() {
    const d = this.#detail;
    const m = d.meeting;
    const locked = d.state !== 'draft';
    // The meeting object is the editor's copy: a change applies to it at once, so the next one
    // (queued behind it) builds on it.
    const save = (patch) => { Object.assign(m, patch); return this.#do('meeting_save', { meeting: { ...m } }); };
    const picked = new Set(m.attendees);
    const attendeesNow = () => [...this.querySelectorAll('#m-attendees input:checked')].map((i) => Number(i.dataset.person));
    const notice = h('section', { class: 'card', id: 'notice' },
      h('div', { class: 'card-head' }, h('h2', {}, t('meetings.notice')),
        h('div', { class: 'actions' },
          m.noticeSentAt ? h('span', { class: 'chip' }, t('meetings.notice_sent', { at: short(m.noticeSentAt) })) : null,
          d.noticeLate && !m.noticeSentAt ? h('span', { class: 'msg warning' }, t('meetings.notice_late')) : null,
          d.overLimit ? h('span', { class: 'msg warning', id: 'm-over-limit' }, t('meetings.over_limit', { duration: m.duration, limit: d.overLimit })) : null,
          h('button', { type: 'button', class: 'primary small', id: 'notice-mail', onclick: () => this.#mail({ what: 'notice', meeting: m.id }, t('send.ui.title.notice', { title: m.title })) }, t('send.ui.mail_notice')),
          h('button', { type: 'button', class: 'secondary small', id: 'notice-robot', onclick: () => this.#robotNotice(m.id) }, t('send.ui.robot_notice')),
          h('button', { type: 'button', class: 'secondary small', id: 'notice-send', onclick: async () => { const late = await this.#do('meeting_notice', { id: m.id }); if (late === true) toast(t('meetings.notice_late'), 'notice'); } }, t('meetings.send_notice')),
          h('button', { type: 'button', class: 'secondary small', id: 'ics-export', onclick: async () => { const p = await call('meeting_export_ics', { id: m.id }).catch(() => null); if (p) exportedNotice(t('meetings.ics_saved', { path: p }), p); } }, t('meetings.export_ics')))),
      h('div', { class: 'grid' },
        field(t('field.meeting.title'), h('input', { type: 'text', id: 'm-title', value: m.title, disabled: locked, onchange: (e) => save({ title: e.target.value }) })),
        h('div', { class: 'grid three' },
          field(t('field.meeting.starts_at'), dateField({ time: true, id: 'm-at', value: m.startsAt, disabled: locked, fieldKey: 'field.meeting.starts_at', onchange: (v) => save({ startsAt: v }) })),
          field(t('field.meeting.duration'), h('input', { type: 'number', min: '1', value: String(m.duration), disabled: locked, onchange: (e) => save({ duration: Number(e.target.value) }) })),
          field(t('meetings.form'), h('select', { disabled: locked, onchange: (e) => save({ form: e.target.value }) },
            ['online', 'onsite'].map((f) => h('option', { value: f, selected: f === m.form }, t(`meetings.form.${f}`)))))),
        field(t('field.meeting.place'), h('input', { type: 'text', value: m.place, disabled: locked, onchange: (e) => save({ place: e.target.value }) })),
        h('div', { class: 'grid two' },
          field(t('meetings.recorder'), this.#people(m.recorderId, (e) => save({ recorderId: e.target.value ? Number(e.target.value) : null }), { id: 'm-recorder', disabled: locked })),
          field(t('meetings.kind'), h('select', { disabled: locked, onchange: (e) => save({ kind: e.target.value }) },
            ['regular', 'kickoff'].map((k) => h('option', { value: k, selected: k === m.kind }, t(`meetings.kind.${k}`)))))),
        field(t('meetings.attendees'), h('div', { class: 'check-list', id: 'm-attendees' }, this.#v.people.map((p) => h('label', {},
          h('input', { type: 'checkbox', checked: picked.has(p.id), disabled: locked, dataset: { person: String(p.id) }, onchange: () => save({ attendees: attendeesNow() }) }), ` ${p.name}`))), 'wide'),
        field(t('field.meeting.agenda'), h('textarea', { rows: 3, id: 'm-agenda', disabled: locked, placeholder: t('meetings.agenda_hint'), onchange: (e) => save({ agenda: e.target.value.split('\n') }) }, m.agenda.join('\n')), 'wide'),
        field(t('meetings.attachments'), h('div', { class: 'attachments' },
          d.attachments.map(([id, name, size]) => h('button', { type: 'button', class: 'chip link', onclick: () => call('attachment_save', { id }).catch(() => {}) }, `${name} · ${Math.ceil(size / 1024)} KB`)),
          h('button', { type: 'button', class: 'secondary small', onclick: () => this.#do('attachment_add', { meetingId: m.id }) }, `+ ${t('meetings.attach')}`)), 'wide')),
      h('div', { id: 'notice-log' }, h('liaison-message-log', { 'record-kind': 'meeting', 'record-id': String(m.id) })));
    const minutes = h('section', { class: `card minutes ${locked ? 'locked' : ''}`, id: 'minutes' },
      h('div', { class: 'card-head' }, h('h2', {}, t('meetings.minutes')),
        h('div', { class: 'actions' },
          d.minutesDue ? h('span', { class: 'muted' }, t('meetings.minutes_due', { at: short(d.minutesDue) })) : null,
          m.minutesSentAt ? h('span', { class: 'chip' }, t('meetings.minutes_sent', { at: short(m.minutesSentAt) })) : null,
          h('span', { class: `state-badge ${d.state}`, id: 'minutes-state' }, t(`minutes.state.${d.state}`)))),
      locked && d.state === 'signed' ? h('div', { class: 'note' }, t('meetings.locked')) : null,
      d.topics.map((tp) => this.#topic(tp, locked)),
      locked ? null : h('button', { type: 'button', class: 'secondary small', id: 'topic-add', onclick: () => this.#do('topic_save', { topic: { meetingId: m.id, title: '' } }) }, `+ ${t('meetings.add_topic')}`),
      h('h3', {}, t('meetings.actions')),
      this.#actionTable(d.actions, { meetingId: m.id }, locked),
      field(t('field.meeting.resources'), h('textarea', { rows: 2, disabled: locked, onchange: (e) => save({ resources: e.target.value }) }, m.resources)),
      d.state === 'signed' || !m.attendees.length || !m.recorderId ? null : h('div', { class: 'actions' },
        h('button', { type: 'button', class: locked ? 'primary' : 'secondary', id: 'minutes-mail', onclick: () => this.#mail({ what: 'minutes', meeting: m.id }, t('send.ui.title.minutes', { title: m.title })) }, t('send.ui.mail_minutes'))),
      locked ? null : h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', id: 'minutes-send', disabled: !m.attendees.length || !m.recorderId, onclick: () => this.#do('minutes_send', { id: m.id }) }, t('meetings.send_minutes'))),
      h('div', { id: 'minutes-signoff' }));
    return [notice, minutes];
  }

  #topic(tp, locked) {
    const save = (patch) => this.#do('topic_save', { topic: { ...tp, ...patch } });
    const area = (key, label) => field(t(label), h('textarea', { rows: 2, disabled: locked, onchange: (e) => save({ [key]: e.target.value }) }, tp[key]));
    return h('div', { class: 'topic', dataset: { topic: String(tp.id) } },
      h('div', { class: 'topic-head' },
        h('input', { type: 'text', class: 'topic-title', value: tp.title, placeholder: t('field.topic.title'), disabled: locked, onchange: (e) => save({ title: e.target.value }) }),
        locked ? null : h('button', { type: 'button', class: 'icon-button', title: t('common.remove'), onclick: () => this.#do('topic_remove', { id: tp.id }) }, '×')),
      h('div', { class: 'grid' }, area('discussion', 'field.topic.discussion'), area('result', 'field.topic.result'), area('disputes', 'field.topic.disputes'), area('settlement', 'field.topic.settlement')));
  }

  /** Action items with an add row; `owner` says what new items belong to (a meeting or a log entry). */
  #actionTable(items, owner, locked) {
    const row = (a) => {
      const save = (patch) => this.#do('action_save', { action: { ...a, ...patch } });
      return h('tr', { dataset: { action: String(a.id) } },
        h('td', {}, h('input', { type: 'text', value: a.description, disabled: locked, onchange: (e) => save({ description: e.target.value }) })),
        h('td', {}, this.#people(a.personId, (e) => save({ personId: e.target.value ? Number(e.target.value) : null, department: '' }), { disabled: locked })),
        h('td', {}, a.department),
        h('td', {}, h('input', { type: 'text', value: a.standard, disabled: locked, onchange: (e) => save({ standard: e.target.value }) })),
        h('td', {}, dateField({ id: `action-deadline-${a.id}`, value: a.deadline || '', disabled: locked, 'aria-label': t('field.action.deadline'), onchange: (v) => save({ deadline: v || null }) })),
        h('td', {}, h('input', { type: 'checkbox', checked: a.urgent, disabled: locked, title: t('meetings.urgent'), onchange: (e) => save({ urgent: e.target.checked }) })),
        h('td', {}, locked ? null : h('button', { type: 'button', class: 'icon-button', title: t('common.remove'), onclick: () => this.#do('action_remove', { id: a.id }) }, '×')));
    };
    const desc = h('input', { type: 'text', class: 'action-new-description', placeholder: t('field.action.description') });
    const person = this.#people(null, null, { class: 'action-new-person' });
    const standard = h('input', { type: 'text', class: 'action-new-standard', placeholder: t('field.action.standard') });
    const deadline = dateField({ class: 'action-new-deadline', 'aria-label': t('field.action.deadline') });
    const urgent = h('input', { type: 'checkbox', class: 'action-new-urgent', title: t('meetings.urgent') });
    const add = () => this.#do('action_save', { action: { ...owner, description: desc.value, personId: person.value ? Number(person.value) : null, standard: standard.value, deadline: deadline.value || null, urgent: urgent.checked } });
    return h('table', { class: 'matrix actions-table' },
      h('thead', {}, h('tr', {}, ['field.action.description', 'field.action.person', 'field.person.department', 'field.action.standard', 'field.action.deadline', 'meetings.urgent'].map((k) => h('th', {}, t(k))), h('th', {}))),
      h('tbody', {}, items.map(row),
        locked ? null : h('tr', { class: 'new-row' }, h('td', {}, desc), h('td', {}, person), h('td', {}), h('td', {}, standard), h('td', {}, deadline), h('td', {}, urgent),
          h('td', {}, h('button', { type: 'button', class: 'secondary small action-add', onclick: add }, '+')))));
  }

  // ---- ledger

  #ledgerTab() {
    const q = this.#ledgerQuery;
    const set = async (patch) => { Object.assign(q, patch); this.#shown = 100; await this.#loadTab(); this.render(); };
    const sel = (id, label, options, value, onchange) => h('select', { id, title: label, onchange }, h('option', { value: '' }, label),
      options.map(([v, text]) => h('option', { value: String(v), selected: String(v) === String(value ?? '') }, text)));
    const search = h('input', { type: 'search', id: 'ledger-search', value: q.text, placeholder: t('ledger.search') });
    search.addEventListener('change', () => set({ text: search.value }));
    const rows = this.#ledger.map((r) => this.#ledgerRow(r));
    const more = this.#ledgerTotal - this.#ledger.length;
    return h('section', { class: 'card' },
      h('p', { class: 'muted' }, t('ledger.hint')),
      h('div', { class: 'plan-toolbar flat' }, h('div', { class: 'tool-group filters' },
        search,
        sel('ledger-department', t('field.person.department'), this.#v.departments.map((d) => [d, d]), q.department, (e) => set({ department: e.target.value })),
        sel('ledger-person', t('field.action.person'), this.#v.people.map((p) => [p.id, p.name]), q.person, (e) => set({ person: e.target.value ? Number(e.target.value) : null })),
        sel('ledger-status', t('field.action.status'), STATUSES.map((s) => [s, t(`status.${s}`)]), q.status, (e) => set({ status: e.target.value || null })),
        sel('ledger-meeting', t('field.meeting.title'), this.#v.meetings.map((m) => [m.id, m.title]), q.meeting, (e) => set({ meeting: e.target.value ? Number(e.target.value) : null })),
        h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'ledger-overdue', checked: q.overdue, onchange: (e) => set({ overdue: e.target.checked }) }), t('plan.overdue')),
        h('span', { class: 'muted', id: 'ledger-count' }, t('ledger.count', { n: this.#ledgerTotal })),
        this.#picked.size ? h('span', { class: 'chip', id: 'ledger-picked' }, t('ledger.picked', { n: this.#picked.size })) : null,
        xlsxButton('ledger'))),
      h('table', { class: 'matrix ledger', id: 'ledger' },
        h('thead', {}, h('tr', {}, h('th', { title: t('ledger.pick') }, '✓'), ['field.action.description', 'field.action.standard', 'field.meeting.title', 'field.action.person', 'field.person.department', 'field.action.deadline', 'field.action.status', 'ledger.cadence', 'ledger.follow_ups'].map((k) => h('th', {}, t(k))))),
        h('tbody', {}, rows)),
      more > 0 ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', id: 'ledger-more', onclick: async () => { this.#shown += 100; await this.#loadTab(); this.render(); } }, t('ledger.more', { n: more }))) : null);
  }

  #ledgerRow(r) {
    const a = r;
    const open = this.#open === a.id;
    const cls = [r.overdue ? 'overdue' : '', r.dueSoon ? 'due-soon' : '', open ? 'open' : ''].join(' ');
    const pick = h('input', { type: 'checkbox', class: 'ledger-pick', checked: this.#picked.has(a.id), title: t('ledger.pick'),
      onclick: (e) => e.stopPropagation(),
      onchange: (e) => { if (e.target.checked) this.#picked.add(a.id); else this.#picked.delete(a.id); this.render(); } });
    const departments = [a.department, ...(a.addedDepartments || [])].filter((d, i, all) => d && all.indexOf(d) === i);
    const tr = h('tr', { class: cls, dataset: { action: String(a.id) }, onclick: async () => { this.#open = open ? null : a.id; await this.#loadTab(); this.render(); } },
      h('td', {}, pick),
      h('td', {}, a.description, r.task ? h('span', { class: r.taskStatus === 'done' ? 'chip status-done ledger-task' : 'chip ledger-task' }, t('ledger.linked', { task: r.task })) : null),
      h('td', { class: 'ledger-standard' }, a.standard),
      h('td', {}, r.meeting), h('td', {}, r.person), h('td', { class: 'ledger-departments' }, departments.join('、')),
      h('td', {}, a.due || '', a.due !== a.deadline ? h('div', { class: 'muted' }, t('ledger.agreed', { at: a.deadline || '' })) : null),
      h('td', {}, h('span', { class: `status-chip ${a.status}` }, t(`status.${a.status}`))),
      h('td', {}, h('span', { class: r.followUpLate ? 'chip missing' : 'chip' }, t(`ledger.${r.cadence}`))),
      h('td', { class: 'num' }, String(r.followUps)));
    if (!open) return tr;
    const progress = h('input', { type: 'text', id: 'fu-progress', placeholder: t('field.follow.progress') });
    const problem = h('input', { type: 'text', id: 'fu-problem', placeholder: t('field.follow.problem') });
    const adjustment = h('input', { type: 'text', id: 'fu-adjustment', placeholder: t('field.follow.adjustment') });
    const due = dateField({ id: 'fu-due', 'aria-label': t('ledger.new_due'), title: t('ledger.new_due') });
    const dept = h('select', { id: 'fu-department' }, h('option', { value: '' }, t('ledger.add_department')), this.#v.departments.map((d) => h('option', { value: d }, d)));
    const status = h('select', { id: 'fu-status' }, STATUSES.map((s) => h('option', { value: s, selected: s === a.status }, t(`status.${s}`))));
    const at = dateField({ id: 'fu-at', value: today(), fieldKey: 'field.follow.at', title: t('field.follow.at') });
    // One entry for the open item and every item picked in the ledger.
    const ids = [a.id, ...[...this.#picked].filter((id) => id !== a.id)];
    const add = async () => {
      const r = await this.#do('follow_up_entry', { actionIds: ids, followUp: { actionId: a.id, at: at.value || '', progress: progress.value, problem: problem.value, adjustment: adjustment.value }, adjust: { status: status.value, due: due.value || null, addDepartment: dept.value || null } });
      if (r && ids.length > 1) { this.#picked.clear(); this.render(); }
    };
    const task = h('select', { id: 'fu-task', title: t('ledger.link_task') }, h('option', { value: '' }, t('ledger.link_task')),
      this.#v.tasks.map(([id, text]) => h('option', { value: String(id), selected: id === a.taskId }, text)));
    const link = h('button', { type: 'button', class: 'secondary', id: 'fu-link', onclick: () => this.#do('action_link_task', { id: a.id, taskId: task.value ? Number(task.value) : null }) }, t('ledger.link'));
    const toTask = a.taskId ? null : this.#v.published
      ? h('span', { class: 'muted', id: 'fu-published' }, t('ledger.published_hint'))
      : h('button', { type: 'button', class: 'link', id: 'fu-to-task', onclick: async () => { if (await this.#do('action_to_task', { id: a.id })) toast(t('ledger.task_created')); } }, t('ledger.to_task'));
    const detail = h('tr', { class: 'ledger-detail' }, h('td', { colspan: '10' },
      this.#followUps.length ? h('ul', { class: 'follow-log' }, this.#followUps.map((f) => h('li', {},
        h('span', { class: 'muted' }, f.at.endsWith('T00:00:00') ? f.at.slice(0, 10) : short(f.at)), ' ', f.progress, f.problem ? ` · ${f.problem}` : '', f.adjustment ? h('strong', {}, ` · ${f.adjustment}`) : null,
        f.recordedAt && short(f.recordedAt) !== short(f.at) ? h('span', { class: 'muted small' }, ` · ${t('ledger.recorded_at', { at: short(f.recordedAt) })}`) : null,
        f.entry ? h('span', { class: 'chip small' }, t('ledger.shared_entry')) : null))) : h('p', { class: 'muted' }, t('ledger.no_follow_ups')),
      h('div', { class: 'add-row wrap', onclick: (e) => e.stopPropagation() }, at, progress, problem, status, due, dept, adjustment,
        h('button', { type: 'button', class: 'secondary', id: 'fu-add', onclick: add }, ids.length > 1 ? t('ledger.follow_up_many', { n: ids.length }) : t('ledger.follow_up'))),
      h('div', { class: 'add-row wrap', onclick: (e) => e.stopPropagation() }, task, link, toTask)));
    return [tr, detail];
  }

  // ---- weekly reports

  #reportsTab() {
    const r = this.#reports;
    if (!r) return null;
    const byOwner = new Map();
    for (const task of r.tasks) {
      if (!byOwner.has(task[0])) byOwner.set(task[0], []);
      byOwner.get(task[0]).push(task);
    }
    const day = dateField({ id: 'report-week', value: r.week, 'data-view': '', onchange: async (v) => { if (!v) return; this.#reports = await call('reports_view', { day: v }); this.render(); } });
    const cards = [...byOwner.entries()].map(([owner, tasks]) => {
      const person = this.#v.people.find((p) => p.id === owner);
      const sent = r.reports.filter(([p]) => p === owner);
      const lines = tasks.map(([, id, label, percent]) => {
        const mine = sent.find(([, l]) => l.taskId === id)?.[1];
        return h('tr', { dataset: { task: String(id) } }, h('td', {}, label),
          h('td', {}, h('input', { type: 'number', min: '0', max: '100', class: 'r-percent', value: String(mine ? mine.percent : percent) })),
          h('td', {}, h('input', { type: 'text', class: 'r-problems', value: mine?.problems || '' })),
          h('td', {}, h('input', { type: 'text', class: 'r-resources', value: mine?.resources || '' })));
      });
      const table = h('table', { class: 'matrix' }, h('thead', {}, h('tr', {}, h('th', {}, t('field.task.name')), h('th', {}, t('field.task.percent')), h('th', {}, t('field.report.problems')), h('th', {}, t('field.report.resources')))), h('tbody', {}, lines));
      const submit = () => this.#do('report_submit', { person: owner, week: r.week, lines: [...table.querySelectorAll('tbody tr')].map((tr) => ({
        taskId: Number(tr.dataset.task), percent: Number(tr.querySelector('.r-percent').value || 0), problems: tr.querySelector('.r-problems').value, resources: tr.querySelector('.r-resources').value,
      })) });
      return h('section', { class: `card report ${r.missing.includes(owner) ? 'missing' : 'sent'}` },
        h('div', { class: 'card-head' }, h('h2', {}, person ? person.name : `#${owner}`),
          h('span', { class: r.missing.includes(owner) ? 'chip missing' : 'chip' }, r.missing.includes(owner) ? t('reports.missing') : t('reports.sent'))),
        table, h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary small', onclick: submit }, t('reports.submit'))));
    });
    return [h('section', { class: 'card' }, h('p', { class: 'muted' }, t('reports.hint')), h('div', { class: 'add-row' }, h('label', {}, t('reports.week')), day)),
      cards.length ? cards : h('p', { class: 'muted' }, t('reports.none'))];
  }

  // ---- communication log

  #commsTab() {
    const day = dateField({ id: 'comm-day', value: today(), fieldKey: 'field.comm.day' });
    const topic = h('input', { type: 'text', id: 'comm-topic', placeholder: t('field.comm.topic') });
    const summary = h('textarea', { rows: 2, id: 'comm-summary', placeholder: t('field.comm.summary') });
    const who = h('select', { id: 'comm-people', multiple: true, size: 4 }, this.#v.people.map((p) => h('option', { value: String(p.id) }, p.name)));
    const add = () => this.#do('comm_log_save', { entry: { day: day.value, topic: topic.value, summary: summary.value, participants: [...who.selectedOptions].map((o) => Number(o.value)) } });
    const names = (ids) => ids.map((id) => this.#v.people.find((p) => p.id === id)?.name).filter(Boolean).join('、');
    return [
      h('section', { class: 'card' }, h('p', { class: 'muted' }, t('comms.log.hint')),
        h('div', { class: 'add-row wrap' }, day, topic, who, summary, h('button', { type: 'button', class: 'secondary', id: 'comm-add', onclick: add }, `+ ${t('comms.log.add')}`))),
      this.#comms.map((c) => h('section', { class: 'card' },
        h('div', { class: 'issue-head' }, h('strong', {}, c.topic), h('span', { class: 'muted' }, `${c.day} · ${names(c.participants)}`)),
        h('p', {}, c.summary),
        h('h3', {}, t('meetings.actions')),
        this.#actionTable([], { commLogId: c.id }, false))),
    ];
  }
}

customElements.define('liaison-meetings', MeetingsView);
