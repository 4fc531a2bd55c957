// <liaison-archive>: the Archive stage (归档) and the knowledge base (知识库).
// Documents: where the project stands (acceptance and retrospective signed?), closing it
// (read-only from then on), every document and attached file, and "export all" into a folder with
// progress. Knowledge: full-text search across the library folder's projects; a result opens its
// project at the record; "new project from" an archived one. Program: delivery cycle, on-time rate,
// dispute rate, escalations and evaluation scores across the library, with charts.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call, listen, toast } from '../lib/ipc.js';
import { exportedNotice } from '../lib/exported.js';
import { ask } from '../lib/confirm.js';
import './open-work.js';

const TABS = ['documents', 'knowledge', 'program'];
const KINDS = ['lesson', 'decision', 'risk', 'issue', 'change'];
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

function fmt(v, unit = '') {
  return v === null || v === undefined ? '—' : `${Number(v).toFixed(Number.isInteger(v) ? 0 : 1)}${unit}`;
}

/** Where a result opens: the stage and what to select there. */
function target(hit) {
  switch (hit.kind) {
    case 'lesson': return { stage: 'retrospective', select: hit.record };
    case 'decision': return { stage: 'meetings', tab: 'meetings', select: hit.record };
    case 'risk': return { stage: 'tracking', tab: 'risks', open: `risk:${hit.record}` };
    case 'issue': return { stage: 'tracking', tab: 'issues', open: `issue:${hit.record}` };
    default: return { stage: 'tracking', tab: 'changes', open: `change_request:${hit.record}` };
  }
}

export class ArchiveView extends HTMLElement {
  #v = null;
  #tab = 'documents';
  #progress = null;
  #exported = null;
  #library = null;
  #hits = null;
  #query = '';
  #kind = '';
  #program = null;
  #unlisten = null;
  #openWork = null;

  preset(detail) { if (TABS.includes(detail.tab)) this.#tab = detail.tab; }

  async load() {
    this.#v = await call('archive_view');
    this.#openWork?.load();
    if (this.#tab !== 'documents') await this.#loadLibrary();
    this.render();
  }

  disconnectedCallback() { this.#unlisten?.(); this.#unlisten = null; }

  async #loadLibrary() {
    this.dataset.busy = 'true';
    try {
      this.#library = await call('library_refresh');
      if (this.#library.refreshed.failed.length) {
        toast(t('library.some_failed', { n: this.#library.refreshed.failed.length }), 'warning');
      }
      if (this.#tab === 'program') this.#program = await call('library_program');
      if (this.#tab === 'knowledge' && this.#query) await this.#search(false);
    } catch {
      // Shown by call().
    } finally {
      delete this.dataset.busy;
    }
  }

  render() {
    if (!this.#v) return;
    const tabs = h('div', { class: 'tabs', role: 'tablist' }, TABS.map((name) => h('button', {
      type: 'button', role: 'tab', id: `tab-${name}`, class: name === this.#tab ? 'tab on' : 'tab',
      'aria-selected': String(name === this.#tab),
      onclick: async () => { this.#tab = name; this.render(); if (name !== 'documents') { await this.#loadLibrary(); this.render(); } },
    }, t(`archive.tab.${name}`))));
    const body = { documents: () => this.#documents(), knowledge: () => this.#knowledge(), program: () => this.#programView() }[this.#tab]();
    // A redraw (the index finished updating) keeps the search field's focus and caret.
    const active = document.activeElement;
    const keep = active && this.contains(active) && active.id === 'kb-query' ? [active.selectionStart, active.selectionEnd] : null;
    mount(this,
      h('div', { class: 'form-head' },
        h('div', {}, h('h1', {}, t('stage.archive')), h('p', { class: 'muted' }, t('archive.hint')))),
      tabs, h('div', { class: 'tab-body', id: `panel-${this.#tab}`, 'data-view': this.#tab === 'documents' ? undefined : '' }, body));
    if (keep) {
      const field = this.querySelector('#kb-query');
      field?.focus();
      field?.setSelectionRange(keep[0], keep[1]);
    }
  }

  // ---- documents

  #documents() {
    const s = this.#v.status;
    if (!this.#openWork) {
      this.#openWork = h('liaison-open-work', s.closedAt ? { 'read-only': '' } : {});
      this.#openWork.addEventListener('open-work-changed', () => this.load());
      this.#openWork.load();
    } else {
      if (s.closedAt) this.#openWork.setAttribute('read-only', '');
      this.#openWork.render();
    }
    const state = (st) => h('span', { class: `chip state-${st}` }, t(`signoff.state.${st}`));
    const closing = s.closedAt
      ? h('p', { class: 'msg notice', id: 'archive-closed' }, t('archive.closed_banner', { at: s.closedAt.replace('T', ' ') }))
      : h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', id: 'archive-close', disabled: !s.closable, onclick: () => this.#close() }, t('archive.close')),
        h('span', { class: 'muted' }, s.closable ? t('archive.close_hint') : t('archive.close_blocked')));
    const running = this.#progress;
    const exportRow = h('div', { class: 'export-row', 'data-view': '' },
      h('div', { class: 'field wide' }, h('label', {}, t('archive.folder')),
        h('div', { class: 'path-row' }, h('code', { id: 'archive-folder', title: this.#v.archiveDir }, this.#v.archiveDir),
          h('button', { type: 'button', class: 'secondary small', onclick: () => this.#chooseFolder('archive') }, t('archive.change_folder')))),
      h('button', { type: 'button', class: 'primary', id: 'archive-export-all', disabled: Boolean(running), onclick: () => this.#exportAll() },
        running ? t('archive.exporting') : t('archive.export_all', { n: this.#v.entries.length })));
    const progress = running
      ? h('div', { class: 'progress-row', role: 'status' },
        h('progress', { id: 'archive-progress', max: String(running.total || 1), value: String(running.done) }),
        h('span', {}, t('archive.progress', { done: running.done, total: running.total, name: running.name })))
      : this.#exported
        ? h('p', { class: 'msg ok', id: 'archive-exported', role: 'status' }, t('archive.exported', { folder: this.#exported.folder, documents: this.#exported.documents, attachments: this.#exported.attachments, pages: this.#exported.pages }))
        : null;
    const rows = this.#v.entries.map((e, i) => h('tr', { class: `doc-row ${e.kind}` },
      h('td', { class: 'num' }, String(i + 1)),
      h('td', {}, e.title),
      h('td', {}, t(`archive.kind.${e.kind}`)),
      h('td', {}, e.kind === 'attachment' ? `${Math.ceil(Number(e.state) / 1024)} KB` : state(e.state)),
      h('td', { class: 'muted small' }, e.file)));
    return [
      h('section', { class: 'card' },
        h('h2', {}, t('archive.status')),
        h('div', { class: 'archive-status' },
          h('div', {}, h('span', { class: 'muted' }, t('pdf.title.acceptance')), ' ', state(s.acceptance)),
          h('div', {}, h('span', { class: 'muted' }, t('pdf.title.retrospective')), ' ', state(s.retrospective))),
        closing),
      this.#openWork,
      h('section', { class: 'card' },
        h('h2', {}, t('archive.documents')),
        exportRow, progress,
        h('table', { class: 'matrix documents', id: 'archive-documents' },
          h('thead', {}, h('tr', {}, ['#', t('archive.col.title'), t('archive.col.kind'), t('archive.col.state'), t('archive.col.file')].map((x) => h('th', {}, x)))),
          h('tbody', {}, rows))),
    ];
  }

  async #close() {
    if (!await ask(t('archive.confirm_close'), { ok: t('confirm.archive') })) return;
    try {
      this.#v = await call('archive_close');
      this.dispatchEvent(new CustomEvent('project-closed', { bubbles: true, detail: { closedAt: this.#v.status.closedAt } }));
      toast(t('archive.closed_done'));
      this.render();
    } catch {
      // Shown by call().
    }
  }

  async #chooseFolder(which) {
    try {
      const dir = await call('choose_folder', { which });
      if (!dir) return;
      if (which === 'library') { this.#hits = null; await this.#loadLibrary(); }
      this.#v = await call('archive_view');
      this.render();
    } catch {
      // Shown by call().
    }
  }

  async #exportAll() {
    if (this.#progress) return;
    this.#exported = null;
    this.#progress = { done: 0, total: this.#v.entries.length, name: '' };
    this.dataset.busy = 'true';
    this.render();
    this.#unlisten?.();
    this.#unlisten = await listen('archive-progress', (p) => {
      if (!this.#progress) return;
      this.#progress = p;
      const bar = this.querySelector('#archive-progress');
      if (bar) {
        bar.max = p.total || 1;
        bar.value = p.done;
        bar.nextElementSibling.textContent = t('archive.progress', { done: p.done, total: p.total, name: p.name });
      }
    });
    try {
      this.#exported = await call('archive_export_all');
      exportedNotice(t('archive.exported_toast', { folder: this.#exported.folder }), this.#exported.folder);
      if (this.#exported.missing.length) toast(t('pdf.missing_chars', { chars: this.#exported.missing.join(' ') }), 'warning');
    } catch {
      // Shown by call().
    } finally {
      this.#unlisten?.();
      this.#unlisten = null;
      this.#progress = null;
      delete this.dataset.busy;
      this.#v = await call('archive_view').catch(() => this.#v);
      this.render();
    }
  }

  // ---- knowledge

  async #search(redraw = true) {
    if (!this.#query.trim()) { this.#hits = null; if (redraw) this.render(); return; }
    try {
      this.#hits = await call('library_search', { query: this.#query, kind: this.#kind || null });
    } catch {
      this.#hits = [];
    }
    if (redraw) this.#drawHits();
  }

  #libraryHead() {
    const lib = this.#library;
    return h('div', { class: 'library-head' },
      h('div', { class: 'path-row' }, h('span', { class: 'muted' }, t('library.folder')),
        h('code', { id: 'library-folder', title: this.#v.libraryDir }, this.#v.libraryDir),
        h('button', { type: 'button', class: 'secondary small', onclick: () => this.#chooseFolder('library') }, t('archive.change_folder'))),
      lib ? h('span', { class: 'muted small', id: 'library-stats' }, t('library.stats', { projects: lib.refreshed.projects, entries: lib.refreshed.entries, kb: Math.ceil(lib.indexBytes / 1024), ms: lib.refreshed.millis })) : null);
  }

  #knowledge() {
    const input = h('input', {
      type: 'search', id: 'kb-query', value: this.#query, placeholder: t('library.placeholder'), 'aria-label': t('library.search'),
      oninput: (e) => { this.#query = e.target.value; clearTimeout(this._timer); this._timer = setTimeout(() => this.#search(), 180); },
      onkeydown: (e) => { if (e.key === 'Enter') { clearTimeout(this._timer); this.#search(); } },
    });
    const kind = h('select', { id: 'kb-kind', 'aria-label': t('library.kind'), onchange: (e) => { this.#kind = e.target.value; this.#search(); } },
      h('option', { value: '' }, t('library.kind.all')),
      KINDS.map((k) => h('option', { value: k, selected: this.#kind === k }, t(`library.kind.${k}`))));
    return h('section', { class: 'card' },
      this.#libraryHead(),
      h('div', { class: 'search-row' }, input, kind),
      h('div', { id: 'kb-results' }, this.#hitList()));
  }

  #drawHits() {
    const box = this.querySelector('#kb-results');
    if (box) mount(box, this.#hitList());
  }

  #hitList() {
    if (this.#hits === null) return h('p', { class: 'muted' }, t('library.empty_query'));
    if (!this.#hits.length) return h('p', { class: 'muted', id: 'kb-none' }, t('library.no_hits', { query: this.#query }));
    return h('ol', { class: 'hits' }, this.#hits.map((hit) => {
      const snippet = h('p', { class: 'hit-snippet' });
      if (hit.mark) {
        const chars = Array.from(hit.snippet);
        const [a, b] = hit.mark;
        snippet.append(chars.slice(0, a).join(''), h('mark', {}, chars.slice(a, b).join('')), chars.slice(b).join(''));
      } else {
        snippet.append(hit.snippet);
      }
      return h('li', { class: `hit ${hit.kind}` },
        h('div', { class: 'hit-head' },
          h('span', { class: `chip kind-${hit.kind}` }, t(`library.kind.${hit.kind}`)),
          h('button', { type: 'button', class: 'link hit-open', title: hit.path, onclick: () => this.#openHit(hit) }, hit.title || hit.project),
          h('span', { class: 'muted small' }, `${hit.project}${hit.closed ? ` · ${t('library.archived')}` : ''}${hit.at ? ` · ${hit.at.slice(0, 10)}` : ''}`),
          hit.closed ? h('button', { type: 'button', class: 'secondary small', onclick: () => this.#newFrom(hit.path) }, t('library.new_from')) : null),
        snippet);
    }));
  }

  #openHit(hit) {
    this.dispatchEvent(new CustomEvent('open-record', { bubbles: true, detail: { path: hit.path, ...target(hit) } }));
  }

  #newFrom(path) {
    this.dispatchEvent(new CustomEvent('start-action', { bubbles: true, detail: { name: 'new-from', path } }));
  }

  // ---- program

  #programView() {
    const p = this.#program;
    if (!p) return h('section', { class: 'card' }, this.#libraryHead(), h('p', { class: 'muted' }, t('common.loading')));
    const stat = (id, value, label, target, good) => h('div', { class: `stat ${good === undefined ? '' : good ? 'good' : 'bad'}`, id },
      h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label),
      target ? h('span', { class: 'stat-target muted small' }, target) : null);
    const projects = p.projects;
    return [
      h('section', { class: 'card' },
        this.#libraryHead(),
        h('div', { class: 'stats' },
          stat('pm-cycle', fmt(p.cycleDays, t('program.days')), t('program.cycle'), p.cycleTrend === null ? t('program.cycle_target') : t('program.cycle_trend', { pct: fmt(p.cycleTrend, '%') }), p.cycleTrend === null ? undefined : p.cycleTrend <= -20),
          stat('pm-ontime', fmt(p.onTimeRate, '%'), t('program.on_time')),
          stat('pm-dispute', fmt(p.disputeRate, '%'), t('program.dispute'), t('program.dispute_target'), p.disputeRate === null ? undefined : p.disputeRate < 5),
          stat('pm-escalations', String(p.escalations), t('program.escalations')),
          stat('pm-score', fmt(p.score), t('program.score'), t('program.score_target'), p.score === null ? undefined : p.score >= 80))),
      h('section', { class: 'card' }, h('h2', {}, t('program.chart.score')), this.#bars(projects, (m) => m.score, 100, 80, '')),
      h('section', { class: 'card' }, h('h2', {}, t('program.chart.cycle')), this.#cycleChart(projects)),
      h('section', { class: 'card' }, h('h2', {}, t('program.chart.on_time')), this.#bars(projects, (m) => m.onTimeRate, 100, null, '%')),
      h('section', { class: 'card' }, h('h2', {}, t('program.table')), this.#table(projects)),
    ];
  }

  /** One horizontal bar per project, with an optional target line. */
  #bars(projects, value, max, goal, unit) {
    const rowH = 26;
    const labelW = 220;
    const barW = 360;
    const height = Math.max(1, projects.length) * rowH + 24;
    const chart = svg('svg', { class: 'dash-chart program-chart', viewBox: `0 0 ${labelW + barW + 70} ${height}`, role: 'img' });
    projects.forEach((m, i) => {
      const v = value(m);
      const y = i * rowH + 4;
      chart.append(
        svg('text', { x: labelW - 8, y: y + 14, 'text-anchor': 'end', class: 'dash-label' }, m.name.length > 16 ? `${m.name.slice(0, 15)}…` : m.name),
        svg('rect', { x: labelW, y, width: barW, height: 18, rx: 3, class: 'dash-track' }),
        v === null ? svg('g') : svg('rect', { x: labelW, y, width: Math.max(1, barW * Math.min(v, max) / max), height: 18, rx: 3, class: goal !== null && v < goal ? 'dash-fill late' : 'dash-fill' }),
        svg('text', { x: labelW + barW + 8, y: y + 14, class: 'dash-value' }, v === null ? '—' : fmt(v, unit)),
        svg('title', {}, `${m.name}: ${v === null ? '—' : fmt(v, unit)}`));
    });
    if (goal !== null) {
      const x = labelW + barW * goal / max;
      chart.append(svg('line', { x1: x, x2: x, y1: 0, y2: height - 18, class: 'goal-line' }),
        svg('text', { x, y: height - 4, 'text-anchor': 'middle', class: 'dash-label' }, t('program.goal', { v: goal })));
    }
    return chart;
  }

  /** Planned and actual delivery cycle per project (days). */
  #cycleChart(projects) {
    const max = Math.max(1, ...projects.flatMap((m) => [m.plannedDays || 0, m.cycleDays || 0]));
    const rowH = 34;
    const labelW = 220;
    const barW = 360;
    const height = Math.max(1, projects.length) * rowH + 30;
    const chart = svg('svg', { class: 'dash-chart program-chart', viewBox: `0 0 ${labelW + barW + 90} ${height}`, role: 'img' });
    projects.forEach((m, i) => {
      const y = i * rowH + 4;
      chart.append(
        svg('text', { x: labelW - 8, y: y + 16, 'text-anchor': 'end', class: 'dash-label' }, m.name.length > 16 ? `${m.name.slice(0, 15)}…` : m.name),
        svg('rect', { x: labelW, y, width: barW * (m.plannedDays || 0) / max, height: 11, rx: 2, class: 'plan-bar' }),
        svg('rect', { x: labelW, y: y + 13, width: barW * (m.cycleDays || 0) / max, height: 11, rx: 2, class: m.cycleDays > m.plannedDays ? 'dash-fill late' : 'dash-fill' }),
        svg('text', { x: labelW + barW + 8, y: y + 16, class: 'dash-value' }, `${fmt(m.cycleDays)} / ${fmt(m.plannedDays)}`));
    });
    chart.append(
      svg('rect', { x: labelW, y: height - 20, width: 12, height: 8, class: 'plan-bar' }),
      svg('text', { x: labelW + 16, y: height - 12, class: 'dash-label' }, t('program.legend.planned')),
      svg('rect', { x: labelW + 110, y: height - 20, width: 12, height: 8, class: 'dash-fill' }),
      svg('text', { x: labelW + 126, y: height - 12, class: 'dash-label' }, t('program.legend.actual')));
    return chart;
  }

  #table(projects) {
    const head = ['program.col.project', 'program.col.cycle', 'program.on_time', 'program.dispute', 'program.escalations', 'field.evaluation.goal', 'field.evaluation.efficiency', 'field.evaluation.communication', 'program.score'];
    return h('table', { class: 'matrix program', id: 'program-table' },
      h('thead', {}, h('tr', {}, head.map((k) => h('th', {}, t(k))))),
      h('tbody', {}, projects.map((m) => h('tr', {},
        h('td', {}, m.name, m.closed ? h('span', { class: 'chip small' }, t('library.archived')) : null),
        h('td', { class: 'num' }, `${fmt(m.cycleDays)} / ${fmt(m.plannedDays)}`),
        h('td', { class: 'num' }, fmt(m.onTimeRate, '%')),
        h('td', { class: 'num' }, fmt(m.disputeRate, '%')),
        h('td', { class: 'num' }, String(m.escalations)),
        h('td', { class: 'num' }, fmt(m.scoreGoal)),
        h('td', { class: 'num' }, fmt(m.scoreEfficiency)),
        h('td', { class: 'num' }, fmt(m.scoreCommunication)),
        h('td', { class: 'num' }, fmt(m.score))))));
  }
}
customElements.define('liaison-archive', ArchiveView);
