// <liaison-tracking>: the Tracking stage. A dashboard (progress by department, on-time rate, issues
// and risks by level, escalations, disputes, overdue tasks, warnings; every number leads to its
// records), the risk register, the issue log with its ladder and clocks, change requests with their
// plan edits and signatures, and the warning rules' numbers.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call, toast } from '../lib/ipc.js';
import { edit } from '../lib/save.js';
import { ask } from '../lib/confirm.js';
import { dateField } from '../lib/date-field.js';
import { xlsxButton } from '../lib/xlsx.js';
import { openSend } from './send-dialog.js';
import './signoff-panel.js';

const TABS = ['dashboard', 'risks', 'issues', 'changes', 'settings'];
const LEVELS = ['low', 'medium', 'high'];
const ASPECTS = ['goal', 'scope', 'time', 'resources'];
const FIELDS = ['finish', 'start', 'duration', 'buffer', 'lead', 'addDepartment', 'owner', 'name', 'deliveryStandard', 'addTask'];
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  }
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

function field(label, control, cls = '') {
  return h('div', { class: `field ${cls}` }, h('label', {}, label), control);
}

function short(stamp) {
  return stamp ? stamp.replace('T', ' ').slice(0, 16) : '';
}

export class TrackingView extends HTMLElement {
  #v = null;
  #tab = 'dashboard';
  #draftEdits = new Map();

  /** Opens on a tab (a link from another screen). */
  #pendingOpen = null;

  preset(detail) {
    if (TABS.includes(detail.tab)) this.#tab = detail.tab;
    // A knowledge-base result: `risk:3`, `issue:2`, `change_request:1`.
    if (detail.open) this.#pendingOpen = detail.open;
  }

  async load() {
    this.#v = await call('tracking_view');
    this.render();
    if (this.#pendingOpen) {
      const record = this.#pendingOpen;
      this.#pendingOpen = null;
      this.#open(record);
      this.querySelector(`[data-record="${record}"]`)?.classList.add('found');
    }
  }

  render() {
    if (!this.#v) return;
    const tabs = h('div', { class: 'tabs', role: 'tablist' }, TABS.map((name) => h('button', {
      type: 'button', role: 'tab', id: `tab-${name}`, class: name === this.#tab ? 'tab on' : 'tab',
      'aria-selected': String(name === this.#tab),
      onclick: () => { this.#tab = name; this.render(); },
    }, t(`tracking.tab.${name}`), this.#badge(name))));
    const body = {
      dashboard: () => this.#dashboard(),
      risks: () => this.#risks(),
      issues: () => this.#issues(),
      changes: () => this.#changes(),
      settings: () => this.#settings(),
    }[this.#tab]();
    mount(this,
      h('div', { class: 'form-head' },
        h('div', {}, h('h1', {}, t('stage.tracking')), h('p', { class: 'muted' }, t('tracking.hint'))),
        h('div', { class: 'form-status' },
          { risks: 'risks', issues: 'issues', changes: 'changes' }[this.#tab] ? xlsxButton(this.#tab, 'secondary') : null,
          h('button', { type: 'button', class: 'secondary', 'data-view': '', onclick: () => this.#history() }, t('history.open')))),
      tabs, h('div', { class: 'tab-body', id: `panel-${this.#tab}` }, body));
  }

  #badge(name) {
    const d = this.#v.dashboard;
    const n = {
      dashboard: d.warnings.filter((w) => w.severity !== 'info').length,
      risks: d.risks[2].length,
      issues: d.issues.flat().length,
      changes: this.#v.changes.filter((c) => c.state === 'in_signoff').length,
    }[name];
    return n ? h('span', { class: 'tab-count' }, String(n)) : null;
  }

  #history() {
    const v = this.#v;
    const records = [...v.risks.map((r) => `risk:${r.id}`), ...v.issues.map((i) => `issue:${i.id}`), ...v.changes.map((c) => `change_request:${c.id}`), 'settings:warnings'];
    this.dispatchEvent(new CustomEvent('show-history', { bubbles: true, detail: { records } }));
  }

  #go(detail) {
    this.dispatchEvent(new CustomEvent('navigate', { bubbles: true, detail }));
  }

  /** Posts the current warnings to the project's group robot. */
  async #robotWarnings(button) {
    try {
      const r = await call('robot_post', { post: { what: 'warnings' } });
      if (r.status === 'sent') toast(t('send.robot.posted'));
      else toast(t('send.ui.status.failed', { answer: r.answer }), 'error');
    } catch {
      // Shown beside the button by call().
    }
    button.blur();
  }

  /** Follows a warning's or number's record: tasks open in the plan, the rest in their tab here. */
  #open(object) {
    const [kind, id] = object.split(':');
    if (kind === 'task') this.#go({ stage: 'plan', select: Number(id) });
    else {
      this.#tab = { risk: 'risks', issue: 'issues', change_request: 'changes' }[kind] || this.#tab;
      this.render();
      this.querySelector(`[data-record="${object}"]`)?.scrollIntoView({ block: 'center' });
    }
  }

  // ---- dashboard

  #dashboard() {
    const d = this.#v.dashboard;
    const stat = (id, value, label, onclick, tone = '') => h('button', { type: 'button', class: `stat ${tone}`, id, onclick, disabled: !onclick },
      h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label));
    const openIssues = d.issues.flat().length;
    const openRisks = d.risks.flat().length;
    return [
      h('div', { class: 'stats' },
        stat('stat-on-time', d.onTimeRate === null ? '—' : `${d.onTimeRate}%`, t('dash.on_time', { n: d.dueTasks }), null, d.onTimeRate !== null && d.onTimeRate < 80 ? 'warn' : ''),
        stat('stat-overdue', String(d.overdueTasks.length), t('dash.overdue'), d.overdueTasks.length ? () => this.#go({ stage: 'plan', query: { overdue: true } }) : null, d.overdueTasks.length ? 'bad' : ''),
        stat('stat-issues', String(openIssues), t('dash.open_issues'), openIssues ? () => { this.#tab = 'issues'; this.render(); } : null),
        stat('stat-escalated', String(d.escalated.length), t('dash.escalated'), d.escalated.length ? () => this.#open(`issue:${d.escalated[0]}`) : null, d.escalated.length ? 'warn' : ''),
        stat('stat-disputes', String(d.disputes.length), t('dash.disputes'), d.disputes.length ? () => this.#open(`issue:${d.disputes[0]}`) : null),
        stat('stat-risks', String(openRisks), t('dash.open_risks'), openRisks ? () => { this.#tab = 'risks'; this.render(); } : null, d.risks[2].length ? 'warn' : '')),
      h('div', { class: 'dash-grid' },
        h('section', { class: 'card' }, h('h2', {}, t('dash.progress')), this.#progressChart(d.departments)),
        h('section', { class: 'card' }, h('h2', {}, t('dash.levels')), this.#levelsChart(d))),
      h('section', { class: 'card', id: 'warnings' },
        h('div', { class: 'card-head' }, h('h2', {}, t('dash.warnings', { n: d.warnings.length })),
          d.warnings.length ? h('div', { class: 'actions' },
            h('button', { type: 'button', class: 'secondary small', id: 'warnings-mail', onclick: () => openSend({ what: 'reminder', round: null }, t('send.ui.title.warnings')) }, t('send.ui.mail_warnings')),
            h('button', { type: 'button', class: 'secondary small', id: 'warnings-robot', onclick: (e) => this.#robotWarnings(e.currentTarget) }, t('send.ui.robot_warnings'))) : null),
        d.warnings.length ? h('ul', { class: 'warning-list' }, d.warnings.map((w) => h('li', { class: `warning-item ${w.severity}` },
          h('span', { class: 'sev' }, t(`severity.${w.severity}`)),
          h('div', { class: 'warning-text' },
            h('button', { type: 'button', class: 'link warning-link', onclick: () => this.#open(w.object) }, w.message[document.documentElement.lang === 'en' ? 'en' : 'zh-CN']),
            h('div', { class: 'muted' }, w.action[document.documentElement.lang === 'en' ? 'en' : 'zh-CN']))))) : h('p', { class: 'muted' }, t('cli.warnings.none'))),
    ];
  }

  #progressChart(depts) {
    const rowH = 34;
    const labelW = 96;
    const barW = 320;
    const height = Math.max(1, depts.length) * rowH + 8;
    const chart = svg('svg', { class: 'dash-chart', viewBox: `0 0 ${labelW + barW + 120} ${height}`, role: 'img', 'aria-label': t('dash.progress') });
    depts.forEach((d, i) => {
      const y = i * rowH + 6;
      const g = svg('g', { class: 'dash-bar', tabindex: '0', onclick: () => this.#go({ stage: 'plan', query: { department: d.id } }) });
      g.append(
        svg('text', { x: labelW - 8, y: y + 15, 'text-anchor': 'end', class: 'dash-label' }, d.name),
        svg('rect', { x: labelW, y, width: barW, height: 20, rx: 3, class: 'dash-track' }),
        svg('rect', { x: labelW, y, width: Math.max(0, barW * d.percent / 100), height: 20, rx: 3, class: d.overdue.length ? 'dash-fill late' : 'dash-fill' }),
        svg('text', { x: labelW + barW + 8, y: y + 15, class: 'dash-value' }, `${d.percent}% · ${d.done}/${d.tasks}`),
        d.overdue.length ? svg('text', { x: labelW + barW + 80, y: y + 15, class: 'dash-late' }, t('dash.late_n', { n: d.overdue.length })) : svg('g'),
        svg('title', {}, t('dash.bar_title', { name: d.name, percent: d.percent, done: d.done, tasks: d.tasks })));
      chart.append(g);
    });
    return chart;
  }

  #levelsChart(d) {
    const groups = [
      [t('dash.risks'), LEVELS.map((l, i) => [t(`risk.level.${l}`), d.risks[i].length, `risk-${l}`])],
      [t('dash.issues'), [1, 2, 3].map((n) => [t(`issue.ladder.${n}`), d.issues[n - 1].length, `ladder-${n}`])],
    ];
    const max = Math.max(1, ...groups.flatMap(([, items]) => items.map((x) => x[1])));
    const chart = svg('svg', { class: 'dash-chart', viewBox: '0 0 440 190', role: 'img', 'aria-label': t('dash.levels') });
    groups.forEach(([title, items], gi) => {
      const x0 = 20 + gi * 220;
      chart.append(svg('text', { x: x0, y: 16, class: 'dash-group' }, title));
      items.forEach(([label, n, cls], i) => {
        const x = x0 + i * 64;
        const hgt = 120 * n / max;
        chart.append(
          svg('rect', { x, y: 150 - hgt, width: 40, height: Math.max(hgt, 1), rx: 3, class: `dash-col ${cls}` }),
          svg('text', { x: x + 20, y: 144 - hgt, 'text-anchor': 'middle', class: 'dash-value' }, String(n)),
          svg('text', { x: x + 20, y: 170, 'text-anchor': 'middle', class: 'dash-label' }, label));
      });
    });
    return chart;
  }

  // ---- risks

  async #save(cmd, args) {
    if (await edit(this, cmd, args)) await this.load();
  }

  #people(value, onchange, id) {
    return h('select', { id, onchange, 'aria-label': t('field.risk.owner') }, h('option', { value: '' }, '—'),
      this.#v.people.map((p) => h('option', { value: String(p.id), selected: p.id === value }, `${p.name}（${p.department}）`)));
  }

  #riskRow(r) {
    const save = (patch) => { Object.assign(r, patch); return this.#save('risk_save', { risk: { ...r } }); };
    const lvl = h('select', { class: 'fit', id: `risk-level-${r.id}`, 'aria-label': t('field.risk.level'), onchange: (e) => save({ level: e.target.value }) },
      LEVELS.map((l) => h('option', { value: l, selected: l === r.level }, t(`risk.level.${l}`))));
    return h('tr', { class: `risk ${r.level} ${r.status}`, dataset: { record: `risk:${r.id}` } },
      h('td', {}, h('textarea', { rows: 2, 'aria-label': t('field.risk.description'), onchange: (e) => save({ description: e.target.value }) }, r.description)),
      h('td', {}, lvl, r.level === 'high' ? h('div', { class: 'chip missing' }, t('risk.for_decision')) : null),
      h('td', {}, this.#people(r.ownerId, (e) => save({ ownerId: e.target.value ? Number(e.target.value) : null }))),
      h('td', {}, h('textarea', { rows: 2, 'aria-label': t('field.risk.measures'), onchange: (e) => save({ measures: e.target.value }) }, r.measures)),
      h('td', {}, h('textarea', { rows: 2, 'aria-label': t('field.risk.contingency'), onchange: (e) => save({ contingency: e.target.value }) }, r.contingency)),
      h('td', { class: 'muted' }, short(r.raisedAt)),
      h('td', {}, h('select', { class: 'fit', id: `risk-status-${r.id}`, 'aria-label': t('risk.status'), onchange: (e) => save({ status: e.target.value }) },
        ['open', 'closed'].map((s) => h('option', { value: s, selected: s === r.status }, t(`risk.status.${s}`))))));
  }

  #risks() {
    const desc = h('textarea', { id: 'risk-new-description', rows: 2, placeholder: t('field.risk.description') });
    const level = h('select', { id: 'risk-new-level', class: 'fit' }, LEVELS.map((l) => h('option', { value: l }, t(`risk.level.${l}`))));
    const owner = this.#people(null, null, 'risk-new-owner');
    const measures = h('textarea', { id: 'risk-new-measures', rows: 2, placeholder: t('field.risk.measures') });
    const contingency = h('textarea', { id: 'risk-new-contingency', rows: 2, placeholder: t('field.risk.contingency') });
    const add = () => this.#save('risk_save', { risk: { description: desc.value, level: level.value, ownerId: owner.value ? Number(owner.value) : null, measures: measures.value, contingency: contingency.value } });
    return h('section', { class: 'card' },
      h('p', { class: 'muted' }, t('risk.hint')),
      h('table', { class: 'matrix' },
        h('thead', {}, h('tr', {}, ['field.risk.description', 'field.risk.level', 'field.risk.owner', 'field.risk.measures', 'field.risk.contingency', 'risk.raised', 'risk.status'].map((k) => h('th', {}, t(k))))),
        h('tbody', {}, this.#v.risks.map((r) => this.#riskRow(r)),
          h('tr', { class: 'new-row' }, h('td', {}, desc), h('td', {}, level), h('td', {}, owner), h('td', {}, measures), h('td', {}, contingency),
            h('td', { colspan: '2' }, h('button', { type: 'button', class: 'secondary small', id: 'risk-add', onclick: add }, `+ ${t('risk.add')}`))))));
  }

  // ---- issues

  #issueCard(iv) {
    const save = (patch) => { Object.assign(iv, patch); return this.#save('issue_save', { issue: strip(iv) }); };
    const c = iv.clock;
    const open = !iv.solvedAt && !iv.closedAt;
    const text = (key, value, patch, rows = 2) => field(t(key), h('textarea', { rows, onchange: (e) => save({ [patch]: e.target.value }) }, value || ''));
    const escalate = async () => {
      const reason = await ask(t('issue.escalate', { level: t(`issue.ladder.${iv.ladder + 1}`) }), { ok: t('confirm.escalate'), danger: false, input: { label: t('issue.escalate_reason') } });
      if (!reason) return;
      await this.#save('issue_escalate', { id: iv.id, reason });
      toast(t('issue.escalated'));
    };
    const when = (value, patch, type = 'datetime-local') => dateField({ time: type !== 'date', value: value || '', id: `issue-${patch}-${iv.id}`, onchange: (v) => save({ [patch]: v || null }) });
    return h('section', { class: `card issue ladder-${iv.ladder} ${open ? 'open' : 'done'}`, dataset: { record: `issue:${iv.id}` } },
      h('div', { class: 'issue-head' },
        h('span', { class: `ladder-badge ladder-${iv.ladder}` }, t(`issue.ladder.${iv.ladder}`)),
        h('strong', { class: 'issue-title' }, iv.description),
        iv.dispute ? h('span', { class: 'chip missing' }, t('issue.dispute')) : null,
        h('span', { class: 'muted' }, `${t('issue.raised')} ${short(iv.raisedAt)}`)),
      open && iv.scope === 'cross' ? h('div', { class: 'clocks' },
        h('span', { class: c.meetingLate ? 'clock late' : 'clock' }, t('issue.meeting_due', { at: short(c.meetingDue) }), iv.meetingAt ? ` ✓ ${short(iv.meetingAt)}` : ''),
        h('span', { class: c.solutionLate ? 'clock late' : 'clock' }, t('issue.solution_due', { at: short(c.solutionDue) })),
        c.suggestEscalation ? h('span', { class: 'msg error' }, t('issue.suggest_escalation')) : null) : null,
      h('div', { class: 'grid' },
        text('field.issue.description', iv.description, 'description'),
        text('field.issue.impact', iv.impact, 'impact'),
        text('field.issue.expected_solution', iv.expectedSolution, 'expectedSolution'),
        field(t('field.issue.meeting_at'), when(iv.meetingAt, 'meetingAt')),
        text('field.issue.solution', iv.solution, 'solution'),
        h('div', { class: 'grid two' },
          field(t('field.issue.solution_owner'), this.#people(iv.solutionOwner, (e) => save({ solutionOwner: e.target.value ? Number(e.target.value) : null }))),
          field(t('field.issue.solution_deadline'), when(iv.solutionDeadline, 'solutionDeadline', 'date'))),
        iv.ladder === 3 ? text('field.issue.decision', iv.decision, 'decision') : null),
      h('div', { class: 'actions' },
        h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: iv.dispute, onchange: (e) => save({ dispute: e.target.checked }) }), t('issue.dispute')),
        h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: iv.scope === 'minor', onchange: (e) => save({ scope: e.target.checked ? 'minor' : 'cross' }) }), t('issue.minor')),
        open && iv.ladder < 3 ? h('button', { type: 'button', class: c.suggestEscalation ? 'primary small' : 'secondary small', dataset: { escalate: String(iv.id) }, onclick: escalate }, t('issue.escalate', { level: t(`issue.ladder.${iv.ladder + 1}`) })) : null,
        open ? h('button', { type: 'button', class: 'secondary small', onclick: () => save({ solvedAt: new Date().toISOString().slice(0, 19) }) }, t('issue.mark_solved')) : h('span', { class: 'chip' }, t('issue.solved_at', { at: short(iv.solvedAt) }))));
  }

  #issues() {
    const desc = h('textarea', { id: 'issue-new-description', rows: 2, placeholder: t('field.issue.description') });
    const impact = h('input', { type: 'text', id: 'issue-new-impact', placeholder: t('field.issue.impact') });
    const by = this.#people(null, null, 'issue-new-by');
    const add = () => this.#save('issue_save', { issue: { description: desc.value, impact: impact.value, raisedBy: by.value ? Number(by.value) : null } });
    return [
      h('section', { class: 'card' }, h('p', { class: 'muted' }, t('issue.hint')),
        h('div', { class: 'add-row wrap' }, desc, impact, by, h('button', { type: 'button', class: 'secondary', id: 'issue-add', onclick: add }, `+ ${t('issue.add')}`))),
      this.#v.issues.map((iv) => this.#issueCard(iv)),
    ];
  }

  // ---- change requests

  #editRow(e, i, list, locked) {
    const v = this.#v;
    const labelOf = (id) => v.tasks.find((x) => x[0] === id)?.[1] || (e.field === 'addTask' ? t('change.top_level') : `#${id}`);
    return h('tr', {},
      h('td', {}, labelOf(e.task)), h('td', {}, t(`change.field.${e.field}`)),
      h('td', {}, list?.[i]?.before ?? ''),
      h('td', {}, h('strong', {}, list?.[i]?.after ?? JSON.stringify(e.value)),
        list?.[i]?.details?.length ? h('dl', { class: 'change-details' }, list[i].details.flatMap(([k, val]) => [h('dt', {}, t(`change.field.${k}`)), h('dd', {}, val)])) : null),
      h('td', {}, locked ? null : h('button', { type: 'button', class: 'icon-button', title: t('common.remove'), onclick: () => this.#removeEdit(e, i) }, '×')));
  }

  #current = null;

  async #removeEdit(_e, i) {
    const c = this.#current;
    if (!c) return;
    const edits = c.edits.filter((_, j) => j !== i);
    await this.#save('change_save', { request: { ...stripChange(c), edits } });
  }

  #valueInput(fieldName) {
    const v = this.#v;
    if (fieldName === 'lead' || fieldName === 'addDepartment') return h('select', { id: 'edit-value' }, v.departments.map(([id, n]) => h('option', { value: String(id) }, n)));
    if (fieldName === 'owner') return h('select', { id: 'edit-value' }, v.people.map((p) => h('option', { value: String(p.id) }, p.name)));
    if (fieldName === 'start' || fieldName === 'finish') return dateField({ id: 'edit-value' });
    if (fieldName === 'duration' || fieldName === 'buffer') return h('input', { type: 'number', id: 'edit-value', min: '0', value: '1' });
    if (fieldName === 'addTask') return h('div', { class: 'add-task', id: 'edit-value' },
      h('input', { type: 'text', dataset: { part: 'name' }, placeholder: t('field.task.name') }),
      dateField({ dataset: { part: 'start' }, 'aria-label': t('field.task.start') }),
      h('input', { type: 'number', dataset: { part: 'duration' }, min: '1', value: '1', title: t('field.task.duration') }),
      h('select', { dataset: { part: 'lead' }, title: t('field.task.lead') }, v.departments.map(([id, n]) => h('option', { value: String(id) }, n))),
      h('select', { dataset: { part: 'owner' }, title: t('field.task.owner') }, h('option', { value: '' }, t('field.task.owner')),
        v.people.map((p) => h('option', { value: String(p.id) }, p.department ? `${p.name}（${p.department}）` : p.name))),
      h('input', { type: 'text', dataset: { part: 'deliveryStandard' }, placeholder: t('field.task.delivery_standard') }));
    return h('input', { type: 'text', id: 'edit-value' });
  }

  #readValue(fieldName, el) {
    if (fieldName === 'addTask') {
      const part = (p) => el.querySelector(`[data-part="${p}"]`).value;
      const owner = part('owner');
      return {
        name: part('name'), start: part('start') || null, duration: Number(part('duration') || 1), lead: Number(part('lead')),
        owner: owner ? Number(owner) : null, deliveryStandard: part('deliveryStandard'),
      };
    }
    if (['lead', 'addDepartment', 'owner', 'duration', 'buffer'].includes(fieldName)) return Number(el.value);
    return el.value;
  }

  #changeCard(c) {
    const locked = c.state !== 'draft' && c.state !== 'rejected';
    const save = (patch) => { Object.assign(c, patch); return this.#save('change_save', { request: stripChange(c) }); };
    const body = [];
    if (locked) {
      body.push(h('dl', { class: 'change-text' },
        h('dt', {}, t('field.change.reason')), h('dd', {}, c.reason),
        h('dt', {}, t('field.change.impact')), h('dd', {}, c.impact),
        h('dt', {}, t('field.change.alternatives')), h('dd', {}, c.alternatives)));
    } else {
      body.push(h('div', { class: 'grid' },
        field(t('field.change.title'), h('input', { type: 'text', value: c.title, onchange: (e) => save({ title: e.target.value }) })),
        field(t('field.change.aspects'), h('div', { class: 'check-list' }, ASPECTS.map((a) => h('label', {},
          h('input', { type: 'checkbox', checked: c.aspects.includes(a), onchange: (e) => save({ aspects: e.target.checked ? [...c.aspects, a] : c.aspects.filter((x) => x !== a) }) }), ` ${t(`change.aspect.${a}`)}`)))),
        field(t('field.change.reason'), h('textarea', { rows: 2, onchange: (e) => save({ reason: e.target.value }) }, c.reason)),
        field(t('field.change.impact'), h('textarea', { rows: 2, onchange: (e) => save({ impact: e.target.value }) }, c.impact)),
        field(t('field.change.alternatives'), h('textarea', { rows: 2, onchange: (e) => save({ alternatives: e.target.value }) }, c.alternatives), 'wide')));
    }
    this.#current = c;
    body.push(h('table', { class: 'matrix edits' },
      h('thead', {}, h('tr', {}, h('th', {}, t('field.task.name')), h('th', {}, t('change.what')), h('th', {}, t('change.before')), h('th', {}, t('change.after')), h('th', {}))),
      h('tbody', {}, c.edits.map((e, i) => this.#editRow(e, i, c.described, locked)))));
    if (c.requiredSigners?.length) {
      body.push(h('p', { class: 'muted change-signers', id: `change-signers-${c.id}` }, t('change.signers', { names: c.requiredSigners.join('、') })));
    }
    if (!locked) {
      const taskSel = h('select', { id: 'edit-task' }, h('option', { value: '0' }, t('change.top_level')),
        this.#v.tasks.map(([id, label, summary]) => h('option', { value: String(id), dataset: { summary: summary ? '1' : '' } }, label)));
      let valueBox = h('span', { class: 'edit-value-box' }, this.#valueInput(FIELDS[0]));
      const fieldSel = h('select', { id: 'edit-field', onchange: () => { const next = h('span', { class: 'edit-value-box' }, this.#valueInput(fieldSel.value)); valueBox.replaceWith(next); valueBox = next; } },
        FIELDS.map((f) => h('option', { value: f }, t(`change.field.${f}`))));
      const addEdit = () => {
        const f = fieldSel.value;
        const value = this.#readValue(f, valueBox.querySelector('#edit-value'));
        save({ edits: [...c.edits, { task: Number(taskSel.value), field: f, value }] });
      };
      body.push(h('div', { class: 'add-row wrap edit-builder' }, taskSel, fieldSel, valueBox,
        h('button', { type: 'button', class: 'secondary', id: 'edit-add', onclick: addEdit }, `+ ${t('change.add_edit')}`)));
      body.push(h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', id: `change-submit-${c.id}`, disabled: !c.edits.length || !this.#v.published, onclick: () => this.#submit(c.id) }, t('change.submit'))));
    }
    const card = h('section', { class: `card change ${c.state}`, dataset: { record: `change_request:${c.id}` } },
      h('div', { class: 'issue-head' },
        h('span', { class: `state-badge ${c.state === 'applied' ? 'signed' : c.state}` }, t(`change.state.${c.state}`)),
        h('strong', {}, c.title),
        h('span', { class: 'muted' }, short(c.createdAt)),
        c.appliedAt ? h('span', { class: 'chip' }, t('change.applied_at', { at: short(c.appliedAt) })) : null),
      body);
    if (c.state !== 'draft') {
      const panel = h('liaison-signoff', { kind: 'change_request', 'doc-id': String(c.id), 'no-start': '' });
      panel.addEventListener('signoff-changed', () => this.load());
      card.append(panel);
      panel.load();
    }
    return card;
  }

  async #submit(id) {
    if (await edit(this, 'change_submit', { id })) {
      toast(t('change.submitted'));
      await this.load();
    }
  }

  #changes() {
    const v = this.#v;
    const title = h('input', { type: 'text', id: 'change-new-title', placeholder: t('field.change.title') });
    const add = () => this.#save('change_save', { request: { title: title.value, aspects: [], reason: '', impact: '', alternatives: '', edits: [] } });
    return [
      h('section', { class: 'card' },
        h('p', { class: 'muted' }, v.published ? t('change.hint') : t('change.not_published')),
        h('div', { class: 'add-row' }, title, h('button', { type: 'button', class: 'secondary', id: 'change-add', onclick: add }, `+ ${t('change.add')}`))),
      v.changes.map((c) => this.#changeCard(c)),
    ];
  }

  // ---- settings

  #settings() {
    const s = this.#v.settings;
    const num = (key, step = '1') => h('input', { type: 'number', min: '0', step, value: String(s[key]), id: `set-${key}`,
      onchange: (e) => this.#save('warning_settings_save', { settings: { ...s, [key]: Number(e.target.value) } }) });
    return h('section', { class: 'card' },
      h('p', { class: 'muted' }, t('settings.hint')),
      h('div', { class: 'grid' },
        field(t('settings.due_soon_hours'), num('dueSoonHours')),
        field(t('settings.deviation_points'), num('deviationPoints', '0.1')),
        field(t('settings.predecessor_days'), num('predecessorDays')),
        field(t('settings.delay_report_working_days'), num('delayReportWorkingDays')),
        field(t('settings.issue_meeting_hours'), num('issueMeetingHours')),
        field(t('settings.issue_solution_hours'), num('issueSolutionHours'))),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'set-notify', checked: s.notifyOnOpen,
        onchange: (e) => this.#save('warning_settings_save', { settings: { ...s, notifyOnOpen: e.target.checked } }) }), t('settings.notify_on_open')));
  }
}

function strip(iv) {
  const { clock, ...issue } = iv;
  return issue;
}

function stripChange(c) {
  const { state, described, requiredSigners, ...request } = c;
  return request;
}

customElements.define('liaison-tracking', TrackingView);
