// <liaison-plan>: the Plan stage. A toolbar (add, indent, filter, sort, zoom, group), the Gantt chart or
// the task list (<liaison-gantt>), the task editor beside it, the calendar dialog, and publication by
// countersign (<liaison-signoff kind="plan">) with the baseline it freezes.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call, toast } from '../lib/ipc.js';
import { edit } from '../lib/save.js';
import { ask } from '../lib/confirm.js';
import { dateField } from '../lib/date-field.js';
import './gantt-chart.js';
import './task-import.js';
import { xlsxButton } from '../lib/xlsx.js';
import './signoff-panel.js';

const STATUSES = ['not_started', 'in_progress', 'done', 'blocked', 'needs_support'];
const KINDS = ['fs', 'ss', 'ff'];

function message(f) {
  return t(f.key, Object.fromEntries(f.params));
}

function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export class PlanView extends HTMLElement {
  #view = null;
  #query = { department: null, owner: null, status: null, overdue: false, text: '', sort: 'outline', desc: false, group: false };
  #zoom = 'day';
  #chart = true;
  #selected = null;
  #detail = null;
  #gantt = null;
  #editor = null;
  #calendarOpen = false;
  #queue = Promise.resolve();

  /** Opens with a filter or a selected task (a dashboard number or a warning led here). */
  preset(detail) {
    if (detail.query) Object.assign(this.#query, detail.query);
    if (detail.select) this.#selected = detail.select;
  }

  async load() {
    this.#view = await call('plan_view', { query: this.#query });
    if (this.#selected && !this.#view.rows.some((r) => r.id === this.#selected)) this.#selected = null;
    this.#detail = this.#selected ? await call('task_get', { id: this.#selected }, { quiet: true }).catch(() => null) : null;
    this.render();
  }

  /** Reloads the rows only (filters, sort): keeps the editor and the chart element. */
  async #refresh() {
    this.#view = await call('plan_view', { query: this.#query });
    this.#drawChart();
    this.#drawHeader();
  }

  render() {
    if (!this.#view) return;
    if (!this.#gantt) {
      this.#gantt = h('liaison-gantt', { tabindex: '0', id: 'gantt' });
      this.#gantt.addEventListener('gantt-select', (e) => this.#select(e.detail.id));
      this.#gantt.addEventListener('gantt-open', (e) => this.#select(e.detail.id, true));
      this.#gantt.addEventListener('gantt-sort', (e) => this.#sortBy(e.detail.key));
    }
    this.#editor = h('aside', { class: 'task-editor', id: 'task-editor' });
    mount(this,
      h('div', { class: 'plan-head', id: 'plan-head' }),
      this.#toolbar(),
      h('div', { class: 'plan-body' }, h('div', { class: 'chart-wrap' }, this.#gantt), this.#editor),
      h('div', { id: 'plan-signoff-wrap' }),
      this.#calendarDialog());
    this.#drawHeader();
    this.#drawChart();
    this.#drawEditor();
  }

  #drawHeader() {
    const v = this.#view;
    const head = this.querySelector('#plan-head');
    if (!head) return;
    const base = v.baseline;
    const cmp = v.comparison;
    const state = base && v.state === 'draft' ? 'published' : v.state;
    const broken = v.links.filter((l) => l.violated);
    // A big plan can have thousands of notes: list the first hundred, count the rest.
    const notes = [
      ...broken.map((l) => ['error', t('plan.broken', { from: l.fromLabel, to: l.toLabel, earliest: l.earliest })]),
      ...v.findings.map((f) => ['warning', f]),
    ];
    const list = notes.slice(0, 100).map(([kind, m]) => h('li', { class: `msg ${kind}` }, typeof m === 'string' ? m : message(m)));
    if (notes.length > 100) list.push(h('li', { class: 'muted' }, t('plan.more_notes', { n: notes.length - 100 })));
    mount(head,
      h('div', { class: 'form-head' },
        h('div', {},
          h('h1', {}, t('stage.plan')),
          h('p', { class: 'muted' }, t('plan.summary', { n: v.total, links: v.links.length }))),
        h('div', { class: 'form-status' },
          h('span', { class: `state-badge ${state === 'published' ? 'signed' : state}`, id: 'plan-state' },
            state === 'published' ? t('plan.published', { version: base.version, at: base.publishedAt.slice(0, 10) }) : t(`signoff.state.${state}`)),
          cmp ? h('span', { class: cmp.moved.length || cmp.added.length || cmp.removed.length ? 'count warning' : 'count ok', id: 'plan-revisions', title: cmp.moved.map((m) => m[1]).join('\n') },
            t('plan.revisions', { moved: cmp.moved.length, added: cmp.added.length, removed: cmp.removed.length })) : null,
          h('span', { class: notes.length ? 'count warning' : 'count ok', id: 'plan-checks' }, notes.length ? t('plan.checks', { n: notes.length }) : t('org.no_findings')),
          h('button', { type: 'button', class: 'secondary', id: 'plan-history', onclick: () => this.#history() }, t('history.open')),
          v.state === 'draft' && !v.closed ? h('button', { type: 'button', class: 'primary', id: 'plan-publish', onclick: () => this.#publish() }, base ? t('plan.republish') : t('plan.publish')) : null)),
      list.length ? h('details', { class: 'card findings', id: 'plan-findings', open: broken.length > 0 },
        h('summary', {}, t('plan.checks', { n: notes.length })),
        h('ul', { class: 'finding-list' }, list)) : null);
    this.#drawSignoff();
  }

  #drawSignoff() {
    const wrap = this.querySelector('#plan-signoff-wrap');
    if (!wrap) return;
    const v = this.#view;
    if (v.state === 'in_signoff' || v.baseline) {
      let panel = wrap.querySelector('liaison-signoff');
      if (!panel) {
        panel = h('liaison-signoff', { kind: 'plan', 'doc-id': '1', 'no-start': '' });
        panel.addEventListener('signoff-changed', () => this.load());
        mount(wrap, panel);
      }
      panel.load();
    } else {
      mount(wrap);
    }
  }

  #history() {
    const records = ['plan:1', 'calendar:1', ...this.#view.rows.filter((r) => r.kind === 'task').map((r) => `task:${r.id}`), ...this.#view.links.map((l) => `dependency:${l.id}`)];
    this.dispatchEvent(new CustomEvent('show-history', { bubbles: true, detail: { records } }));
  }

  async #publish() {
    if (await edit(this, 'plan_publish', {})) {
      toast(t('plan.publish.started'));
      await this.load();
      this.querySelector('#plan-signoff-wrap')?.scrollIntoView({ behavior: 'smooth' });
    }
  }

  #toolbar() {
    const v = this.#view;
    const q = this.#query;
    const locked = v.state === 'in_signoff' || Boolean(v.baseline);
    const sel = (id, label, options, value, onchange) => h('select', { id, 'aria-label': label, title: label, onchange },
      h('option', { value: '' }, label), options.map(([val, text]) => h('option', { value: String(val), selected: String(val) === String(value ?? '') }, text)));
    const set = (patch) => { Object.assign(this.#query, patch); this.#refresh(); };
    const search = h('input', { type: 'search', id: 'plan-search', value: q.text, placeholder: t('plan.search'), 'aria-label': t('plan.search') });
    let timer = null;
    search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => set({ text: search.value }), 150); });
    const tool = (id, label, onclick, disabled = false) => h('button', { type: 'button', class: 'tool-btn', id, title: label, disabled: disabled || locked, onclick }, label);
    return h('div', { class: 'plan-toolbar' },
      h('div', { class: 'tool-group' },
        tool('task-add', `+ ${t('plan.add_task')}`, () => this.#add(false, false)),
        tool('task-add-child', `+ ${t('plan.add_subtask')}`, () => this.#add(true, false), !this.#selected),
        tool('milestone-add', `◆ ${t('plan.add_milestone')}`, () => this.#add(false, true)),
        tool('task-outdent', '⇤', () => this.#move('outdent'), !this.#selected),
        tool('task-indent', '⇥', () => this.#move('indent'), !this.#selected),
        tool('task-up', '↑', () => this.#move('up'), !this.#selected),
        tool('task-down', '↓', () => this.#move('down'), !this.#selected)),
      h('div', { class: 'tool-group filters' },
        search,
        sel('filter-department', t('field.task.lead'), v.departments, q.department, (e) => set({ department: e.target.value ? Number(e.target.value) : null })),
        sel('filter-owner', t('field.task.owner'), v.people.map((p) => [p.id, p.name]), q.owner, (e) => set({ owner: e.target.value ? Number(e.target.value) : null })),
        sel('filter-status', t('field.task.status'), STATUSES.map((s) => [s, t(`status.${s}`)]), q.status, (e) => set({ status: e.target.value || null })),
        h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'filter-overdue', checked: q.overdue, onchange: (e) => set({ overdue: e.target.checked }) }), t('plan.overdue')),
        h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'group-department', checked: q.group, onchange: (e) => set({ group: e.target.checked }) }), t('plan.group'))),
      h('div', { class: 'tool-group' },
        h('div', { class: 'seg', role: 'group' },
          ['day', 'week', 'month'].map((z) => h('button', { type: 'button', class: z === this.#zoom ? 'on' : '', dataset: { zoom: z }, onclick: () => { this.#zoom = z; this.#drawChart(); this.#markSeg(); } }, t(`plan.zoom.${z}`)))),
        h('div', { class: 'seg', role: 'group' },
          h('button', { type: 'button', id: 'view-chart', class: this.#chart ? 'on' : '', onclick: () => { this.#chart = true; this.#drawChart(); this.#markSeg(); } }, t('plan.view.chart')),
          h('button', { type: 'button', id: 'view-list', class: this.#chart ? '' : 'on', onclick: () => { this.#chart = false; this.#drawChart(); this.#markSeg(); } }, t('plan.view.list'))),
        h('button', { type: 'button', class: 'tool-btn', id: 'calendar-open', onclick: () => this.#openCalendar() }, t('plan.calendar')),
        xlsxButton('allocation'),
        tool('tasks-import', t('import.open'), () => this.#import())));
  }

  /** Imports `path` (a sheet dropped on the window while the plan is shown, see app.js's
   * `incoming-file`): the same preview as the toolbar's button. */
  importFile(path) { return this.#import(path); }

  /** Imports a task allocation table: a preview in a dialog, then all rows or none. */
  async #import(path = null) {
    const dialog = h('dialog', { id: 'import-dialog', class: 'import-dialog' });
    const view = h('liaison-task-import');
    dialog.append(view);
    document.body.append(dialog);
    const finish = async (e) => {
      if (dialog.open) dialog.close();
      dialog.remove();
      if (e?.detail?.imported) await this.load();
    };
    view.addEventListener('import-done', finish);
    dialog.addEventListener('cancel', () => dialog.remove());
    try {
      if (await (path ? view.openPath(path) : view.open())) dialog.showModal();
      else dialog.remove();
    } catch {
      dialog.remove();
    }
  }

  #markSeg() {
    for (const b of this.querySelectorAll('[data-zoom]')) b.className = b.dataset.zoom === this.#zoom ? 'on' : '';
    this.querySelector('#view-chart').className = this.#chart ? 'on' : '';
    this.querySelector('#view-list').className = this.#chart ? '' : 'on';
  }

  #columns() {
    const cols = [
      { key: 'outline', label: 'WBS', width: 48 },
      { key: 'name', label: t('field.task.name'), width: this.#chart ? 210 : 300 },
      { key: 'lead', label: t('field.task.lead'), width: 80 },
    ];
    if (!this.#chart) {
      cols.push(
        { key: 'owner', label: t('field.task.owner'), width: 80 },
        { key: 'start', label: t('field.task.start'), width: 96 },
        { key: 'finish', label: t('field.task.finish'), width: 96 },
        { key: 'duration', label: t('plan.days'), width: 60 },
        { key: 'bufferText', label: t('gantt.buffer'), width: 90 },
        { key: 'statusText', label: t('field.task.status'), width: 80 },
        { key: 'percentText', label: t('field.task.percent'), width: 64 },
        { key: 'slipText', label: t('plan.slip'), width: 80 });
    }
    return cols;
  }

  #drawChart() {
    if (!this.#gantt || !this.#view) return;
    const v = this.#view;
    const rows = v.rows.map((r) => r.kind === 'group'
      ? { kind: 'group', label: r.label || t('plan.no_lead'), count: r.count }
      : {
        ...r,
        statusText: t(`status.${r.status}`),
        percentText: `${r.percent}%`,
        bufferText: r.buffer ? String(r.buffer) : (r.suggestedBuffer ? t('plan.suggest_buffer', { n: r.suggestedBuffer }) : ''),
        slipText: r.finishSlip ? (r.finishSlip > 0 ? `+${r.finishSlip}` : String(r.finishSlip)) : '',
      });
    const cal = v.calendar;
    this.#gantt.data = {
      columns: this.#columns(),
      rows,
      links: v.links.map((l) => ({ id: l.id, from: l.from, to: l.to, kind: l.kind, lag: l.lag, violated: l.violated })),
      today: today(),
      zoom: this.#zoom,
      nonWorking: cal.filter((d) => d.kind === 'holiday').map((d) => d.day),
      workingWeekends: cal.filter((d) => d.kind === 'workday').map((d) => d.day),
      selected: this.#selected,
      showChart: this.#chart,
      sort: this.#query.sort !== 'outline' ? { key: this.#query.sort, dir: this.#query.desc ? 'desc' : 'asc' } : null,
    };
  }

  #sortBy(key) {
    const map = { lead: 'department', statusText: 'status', percentText: 'percent', outline: 'outline', name: 'name', owner: 'owner', start: 'start', finish: 'finish' };
    const sort = map[key];
    if (!sort) return;
    this.#query.desc = this.#query.sort === sort ? !this.#query.desc : false;
    this.#query.sort = sort;
    this.#refresh();
  }

  async #select(id, focus = false) {
    if (id === this.#selected && this.#detail && !focus) return;
    this.#selected = id;
    this.#detail = await call('task_get', { id }).catch(() => null);
    this.#drawChart();
    this.#drawEditor();
    for (const b of ['task-add-child', 'task-outdent', 'task-indent', 'task-up', 'task-down']) {
      const el = this.querySelector(`#${b}`);
      if (el) el.disabled = this.#view.state === 'in_signoff' || Boolean(this.#view.baseline) || !this.#selected;
    }
    if (focus) this.querySelector('#task-name')?.focus();
  }

  async #add(child, milestone) {
    const parentId = child ? this.#selected : (this.#detail?.task.parentId ?? null);
    const after = child ? null : this.#selected;
    const task = await edit(this, 'task_add', { task: { parentId, after, milestone, name: milestone ? t('plan.new_milestone') : t('plan.new_task') } });
    if (!task) return;
    this.#selected = task.id;
    await this.load();
    this.#gantt.scrollToRow?.(task.id);
    const name = this.querySelector('#task-name');
    if (name) { name.focus(); name.select(); }
  }

  #close() {
    this.#selected = null;
    this.#detail = null;
    this.#drawChart();
    this.#drawEditor();
  }

  async #move(how) {
    if (!this.#selected) return;
    if (await edit(this, 'task_move', { id: this.#selected, how })) await this.load();
  }

  /**
   * Saves a change of the task in the editor. The change applies to the editor's copy at once, and
   * saves run one after another, so that a quick second edit builds on the first instead of undoing it.
   */
  #save(patch) {
    const d = this.#detail;
    if (!d) return Promise.resolve();
    Object.assign(d.task, patch);
    const task = { ...d.task };
    this.#queue = this.#queue.then(async () => {
      const saved = await edit(this, 'task_update', { task });
      if (saved && saved.broken?.length) {
        const names = saved.broken.map((b) => this.#label(b.link.successor)).join('、');
        toast(t('plan.now_broken', { names }), 'notice');
      }
      await this.load();
    });
    return this.#queue;
  }

  #label(id) {
    const r = this.#view.rows.find((x) => x.id === id);
    return r ? `${r.outline} ${r.name}` : `#${id}`;
  }

  #drawEditor() {
    const box = this.#editor;
    if (!box) return;
    const d = this.#detail;
    this.querySelector('.plan-body')?.classList.toggle('editing', Boolean(d));
    if (!d) {
      mount(box);
      return;
    }
    const v = this.#view;
    const task = d.task;
    // In countersign, or published: the schedule changes only by change request; progress stays open.
    const locked = v.state === 'in_signoff' || Boolean(v.baseline);
    const row = v.rows.find((r) => r.id === task.id);
    const sched = d.summary || locked;
    const input = (id, key, attrs = {}) => {
      const date = attrs.type === 'date';
      const el = (date ? dateField : (a) => h(attrs.multiline ? 'textarea' : 'input', a))({
        id, type: attrs.multiline || date ? undefined : (attrs.type || 'text'), rows: attrs.multiline ? 2 : undefined,
        fieldKey: attrs.fieldKey,
        min: attrs.min, max: attrs.max, value: task[key] ?? '', disabled: attrs.disabled,
        onchange: () => this.#save({ [key]: attrs.type === 'number' ? Number(el.value || 0) : (el.value || (attrs.type === 'date' ? null : '')) }),
      });
      return el;
    };
    const select = (id, key, options, { disabled = false, empty = true } = {}) => h('select', {
      id, disabled, onchange: (e) => this.#save({ [key]: e.target.value === '' ? null : (typeof options[0]?.[0] === 'number' ? Number(e.target.value) : e.target.value) }),
    }, empty ? h('option', { value: '' }, '—') : null, options.map(([val, text]) => h('option', { value: String(val), selected: val === task[key] }, text)));
    const checks = (key, options, disabled) => h('div', { class: 'check-list' }, options.map(([val, text]) => h('label', {},
      h('input', { type: 'checkbox', checked: task[key].includes(val), disabled, onchange: (e) => this.#save({ [key]: e.target.checked ? [...task[key], val] : task[key].filter((x) => x !== val) }) }), ` ${text}`)));
    const depts = v.departments;
    const people = v.people.map((p) => [p.id, p.name]);
    const blocked = task.status === 'blocked' || task.status === 'needs_support';
    const suggestion = row?.suggestedBuffer;
    // Redrawing after a save must not take the field the user is in, nor what they typed there.
    const active = box.contains(document.activeElement) ? document.activeElement : null;
    const keep = active && active.id ? { id: active.id, value: active.value, start: active.selectionStart, end: active.selectionEnd } : null;
    mount(box,
      h('div', { class: 'editor-head' },
        h('span', { class: 'outline' }, d.outline),
        h('button', { type: 'button', class: 'icon-button plain', id: 'task-close', title: t('common.close'), onclick: () => this.#close() }, '×')),
      v.baseline && v.state === 'draft' ? h('div', { class: 'note' }, t('plan.use_change_request'),
        h('button', { type: 'button', class: 'link', id: 'task-change-request', onclick: () => this.dispatchEvent(new CustomEvent('navigate', { bubbles: true, detail: { stage: 'tracking', tab: 'changes' } })) }, t('plan.open_changes'))) : null,
      field(t('field.task.name'), input('task-name', 'name', { disabled: locked })),
      d.fromActions.length ? h('div', { class: 'note', id: 'task-from-actions' }, t('plan.from_actions'),
        d.fromActions.map(([, desc, meeting]) => h('div', {}, `${meeting} · ${desc}`))) : null,
      h('div', { class: 'grid two' },
        field(t('field.task.lead'), select('task-lead', 'leadDepartment', depts, { disabled: locked })),
        field(t('field.task.owner'), select('task-owner', 'ownerId', people, { disabled: locked }))),
      field(t('field.task.collab'), checks('collabDepartments', depts.filter(([id]) => id !== task.leadDepartment), locked)),
      h('div', { class: 'grid three' },
        field(t('field.task.start'), input('task-start', 'startDate', { type: 'date', disabled: sched, fieldKey: 'field.task.start' })),
        field(t('field.task.duration'), input('task-duration', 'duration', { type: 'number', min: '0', disabled: sched || task.milestone })),
        field(t('field.task.buffer'), input('task-buffer', 'buffer', { type: 'number', min: '0', disabled: sched || task.milestone }))),
      h('div', { class: 'computed' },
        h('span', {}, `${t('field.task.finish')}: `, h('strong', { id: 'task-finish' }, d.finish || '—')),
        suggestion && !sched ? h('button', { type: 'button', class: 'link', id: 'buffer-apply', onclick: () => this.#save({ buffer: suggestion }) }, t('plan.apply_buffer', { n: suggestion })) : null,
        h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'task-milestone', checked: task.milestone, disabled: sched, onchange: (e) => this.#save({ milestone: e.target.checked }) }), t('field.task.milestone'))),
      field(t('field.task.collaborators'), checks('collaborators', people, locked)),
      field(t('field.task.delivery_standard'), input('task-standard', 'deliveryStandard', { multiline: true, disabled: locked })),
      field(t('field.task.resource_needs'), input('task-needs', 'resourceNeeds', { multiline: true, disabled: locked })),
      field(t('field.task.risk_plan'), input('task-risk', 'riskPlan', { multiline: true, disabled: locked })),
      h('div', { class: 'grid two' },
        field(t('field.task.status'), select('task-status', 'status', STATUSES.map((s) => [s, t(`status.${s}`)]), { empty: false, disabled: d.summary })),
        field(t('field.task.percent'), input('task-percent', 'percentDone', { type: 'number', min: '0', max: '100', disabled: d.summary }))),
      blocked ? field(t('field.task.status_reason'), input('task-reason', 'statusReason', { multiline: true })) : null,
      blocked ? field(t('field.task.status_suggestion'), input('task-suggestion', 'statusSuggestion', { multiline: true })) : null,
      this.#links(d, locked),
      h('div', { class: 'editor-foot' },
        h('button', { type: 'button', class: 'danger small', id: 'task-delete', disabled: locked, onclick: () => this.#delete() }, t('plan.delete'))));
    const again = keep && box.querySelector(`#${keep.id}`);
    if (again) {
      if (typeof keep.value === 'string' && again.value !== keep.value && again.type !== 'checkbox') again.value = keep.value;
      again.focus();
      try { if (keep.start !== null && keep.start !== undefined) again.setSelectionRange(keep.start, keep.end); } catch { /* not a text field */ }
    }
  }

  #links(d, locked) {
    const v = this.#view;
    const broken = new Map(v.links.filter((l) => l.violated).map((l) => [l.id, l]));
    const line = ([link, label], pred) => h('li', { class: broken.has(link.id) ? 'link-row broken' : 'link-row', dataset: { link: String(link.id) } },
      h('span', { class: 'link-name' }, label),
      h('select', { 'aria-label': t('plan.link.kind'), disabled: locked, onchange: (e) => this.#linkEdit(link.id, e.target.value, link.lag) },
        KINDS.map((k) => h('option', { value: k, selected: k === link.kind }, t(`plan.link.${k}`)))),
      h('input', { type: 'number', class: 'lag', value: String(link.lag), 'aria-label': t('field.link.lag'), title: t('field.link.lag'), disabled: locked, onchange: (e) => this.#linkEdit(link.id, link.kind, Number(e.target.value || 0)) }),
      h('button', { type: 'button', class: 'icon-button', title: t('common.remove'), disabled: locked, onclick: () => this.#linkRemove(link.id) }, '×'),
      pred && broken.has(link.id) ? h('div', { class: 'msg error' }, t('plan.link.broken', { earliest: broken.get(link.id).earliest }),
        h('button', { type: 'button', class: 'link', id: 'task-fix', onclick: () => this.#fix() }, t('plan.fix_start'))) : null);
    const others = v.rows.filter((r) => r.kind === 'task' && r.id !== d.task.id);
    const pick = h('select', { id: 'link-pred', 'aria-label': t('plan.link.add') }, h('option', { value: '' }, t('plan.link.pick')),
      others.map((r) => h('option', { value: String(r.id) }, `${r.outline} ${r.name}`)));
    const kind = h('select', { id: 'link-kind', 'aria-label': t('plan.link.kind') }, KINDS.map((k) => h('option', { value: k }, t(`plan.link.${k}`))));
    const lag = h('input', { type: 'number', id: 'link-lag', class: 'lag', value: '0', 'aria-label': t('field.link.lag'), title: t('field.link.lag') });
    const add = async () => {
      if (!pick.value) return;
      if (await edit(this, 'link_add', { predecessor: Number(pick.value), successor: d.task.id, kind: kind.value, lag: Number(lag.value || 0) })) await this.load();
    };
    return h('section', { class: 'links' },
      h('h3', {}, t('plan.predecessors')),
      d.predecessors.length ? h('ul', { class: 'link-list', id: 'predecessors' }, d.predecessors.map((x) => line(x, true))) : h('p', { class: 'muted' }, t('org.none')),
      locked ? null : h('div', { class: 'link-add' }, pick, kind, lag, h('button', { type: 'button', class: 'secondary small', id: 'link-add', onclick: add }, t('plan.link.add'))),
      h('h3', {}, t('plan.successors')),
      d.successors.length ? h('ul', { class: 'link-list', id: 'successors' }, d.successors.map((x) => line(x, false))) : h('p', { class: 'muted' }, t('org.none')));
  }

  async #linkEdit(id, kind, lag) {
    if (await edit(this, 'link_update', { id, kind, lag })) await this.load();
  }

  async #linkRemove(id) {
    if (await edit(this, 'link_remove', { id })) await this.load();
  }

  async #fix() {
    if (await edit(this, 'task_fix_start', { id: this.#selected })) await this.load();
  }

  async #delete() {
    const d = this.#detail;
    if (!d || !await ask(t('plan.delete_confirm', { task: `${d.outline} ${d.task.name}` }), { ok: t('confirm.delete') })) return;
    if (await edit(this, 'task_delete', { id: d.task.id })) {
      this.#selected = null;
      await this.load();
    }
  }

  #calendarDialog() {
    const dialog = h('dialog', { id: 'calendar-dialog', class: 'calendar-dialog' });
    dialog.addEventListener('close', async () => {
      this.#calendarOpen = false;
      // Days changed while the dialog was open: the whole plan (editor included) is read again.
      if (this.#calendarChanged) { this.#calendarChanged = false; await this.load(); }
    });
    return dialog;
  }

  #calendarChanged = false;

  #openCalendar() {
    const dialog = this.querySelector('#calendar-dialog');
    this.#drawCalendar(dialog);
    if (!dialog.open) dialog.showModal();
    this.#calendarOpen = true;
  }

  #drawCalendar(dialog) {
    const v = this.#view;
    const locked = v.state === 'in_signoff';
    const day = dateField({ id: 'cal-day', 'aria-label': t('field.calendar.day'), fieldKey: 'field.calendar.day' });
    const kind = h('select', { id: 'cal-kind', 'aria-label': t('field.calendar.kind') },
      h('option', { value: 'holiday' }, t('plan.cal.holiday')), h('option', { value: 'workday' }, t('plan.cal.workday')));
    const note = h('input', { type: 'text', id: 'cal-note', placeholder: t('field.calendar.note'), 'aria-label': t('field.calendar.note') });
    // After each change only the chart, the header and the dialog are redrawn: a full render
    // would replace the open dialog, which closed it after every day added.
    const after = async () => {
      this.#calendarChanged = true;
      await this.#refresh();
      this.#drawCalendar(dialog);
      dialog.querySelector('#cal-day')?.focus();
    };
    const set = async (d, k, n) => {
      if (await edit(this, 'calendar_set', { day: d, kind: k, note: n })) await after();
    };
    const official = async () => {
      const added = await edit(this, 'calendar_apply_official', {});
      if (added === null) return;
      toast(added ? t('plan.cal.official_added', { n: added }) : t('plan.cal.official_none'));
      await after();
    };
    mount(dialog,
      h('div', { class: 'dialog-head' }, h('h2', {}, t('plan.calendar')), h('button', { type: 'button', class: 'icon-button plain', onclick: () => dialog.close() }, '×')),
      h('p', { class: 'muted' }, t('plan.cal.hint')),
      locked ? null : h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', id: 'cal-official', onclick: official }, t('plan.cal.official', { years: v.officialYears }))),
      h('table', { class: 'matrix' },
        h('thead', {}, h('tr', {}, h('th', {}, t('field.calendar.day')), h('th', {}, t('field.calendar.kind')), h('th', {}, t('field.calendar.note')), h('th', {}))),
        h('tbody', {}, v.calendar.map((c) => h('tr', {},
          h('td', {}, c.day), h('td', {}, t(`plan.cal.${c.kind}`)), h('td', {}, c.note),
          h('td', {}, h('button', { type: 'button', class: 'icon-button', disabled: locked, title: t('common.remove'), onclick: () => set(c.day, null, '') }, '×')))))),
      locked ? null : h('div', { class: 'add-row' }, day, kind, note,
        h('button', { type: 'button', class: 'secondary', id: 'cal-add', onclick: () => day.value && set(day.value, kind.value, note.value) }, t('plan.cal.add'))));
  }
}

function field(label, control) {
  return h('div', { class: 'field' }, h('label', {}, label), control);
}

customElements.define('liaison-plan', PlanView);
