// <liaison-task-import>: importing a task allocation table from Excel or CSV. Shows every row as it
// will be imported and every problem row with its reason; "create missing departments and people"
// re-checks; nothing is written until the user confirms, and then all rows or none.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call, toast } from '../lib/ipc.js';

export class TaskImport extends HTMLElement {
  #p = null;
  #create = false;

  /** Asks for a file and shows its preview; resolves false when the user cancels the file dialog. */
  async open() {
    const p = await call('import_tasks_preview', { path: null, create: this.#create });
    if (!p) return false;
    this.#p = p;
    this.render();
    return true;
  }

  /** Shows the preview of a file already chosen (a file dropped on the plan, or a test). */
  async openPath(path) {
    this.#p = await call('import_tasks_preview', { path, create: this.#create });
    this.render();
    return Boolean(this.#p);
  }

  async #recheck() {
    try {
      this.#p = await call('import_tasks_preview', { path: this.#p.path, create: this.#create });
    } catch {
      // Shown by call().
    }
    this.render();
  }

  #close(imported) {
    this.dispatchEvent(new CustomEvent('import-done', { bubbles: true, detail: { imported } }));
  }

  async #apply() {
    try {
      const done = await call('import_tasks_apply', { path: this.#p.path, create: this.#create });
      toast(t('import.done', { tasks: done.tasks, links: done.links, departments: done.departments, people: done.people }));
      this.#close(done);
    } catch {
      // Shown by call(): nothing was written.
    }
  }

  render() {
    const p = this.#p;
    if (!p) return;
    const ok = p.rows.length - p.refused;
    const columns = h('p', { class: 'muted small', id: 'import-columns' },
      t('import.columns'), ' ',
      p.columns.map(([header, field]) => h('span', { class: field ? 'chip' : 'chip missing', title: field ? t('import.column_used') : t('import.column_ignored') }, header || '—')));
    const rows = p.rows.map((r) => h('tr', { class: r.problems.length ? 'bad' : 'good', dataset: { line: String(r.line) } },
      h('td', { class: 'num' }, String(r.line)),
      h('td', {}, r.outline ? `${r.outline} ` : '', r.name || h('span', { class: 'muted' }, '—')),
      h('td', {}, r.lead),
      h('td', {}, r.owner),
      h('td', { class: 'nowrap' }, [r.start, r.finish].filter(Boolean).join(' — ')),
      h('td', { class: 'num' }, r.milestone ? '◆' : String(r.duration)),
      h('td', {}, r.predecessors.join(', ')),
      h('td', { class: 'problems' }, r.problems.length
        ? h('ul', {}, r.problems.map((x) => h('li', { class: 'msg error' }, `${x.column}：${x.message}`)))
        : h('span', { class: 'ok' }, '✓'))));
    mount(this,
      h('div', { class: 'import-head' },
        h('h2', {}, t('import.title')),
        h('p', { class: 'muted', id: 'import-file' }, p.path)),
      columns,
      h('p', { id: 'import-summary', class: p.refused ? 'msg warning' : 'msg ok' },
        t('import.summary', { rows: p.rows.length, ok, bad: p.refused, links: p.links })),
      (p.newDepartments.length || p.newPeople.length)
        ? h('p', { class: 'muted' }, t('import.will_create', { departments: p.newDepartments.join('、') || '—', people: p.newPeople.join('、') || '—' }))
        : null,
      h('label', { class: 'check' },
        h('input', { type: 'checkbox', id: 'import-create', checked: this.#create, onchange: (e) => { this.#create = e.target.checked; this.#recheck(); } }),
        t('import.create')),
      h('div', { class: 'import-table' },
        h('table', { class: 'matrix import', id: 'import-rows' },
          h('thead', {}, h('tr', {}, ['#', 'field.task.name', 'field.task.lead', 'field.task.owner', 'import.col.dates', 'field.task.duration', 'xlsx.col.predecessors', 'import.col.problems'].map((k) => h('th', {}, k === '#' ? k : t(k))))),
          h('tbody', {}, rows))),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', id: 'import-cancel', onclick: () => this.#close(null) }, t('common.cancel')),
        h('button', { type: 'button', class: 'primary', id: 'import-apply', disabled: p.refused > 0 || !p.rows.length, onclick: () => this.#apply() },
          t('import.apply', { n: p.rows.length }))));
  }
}
customElements.define('liaison-task-import', TaskImport);
