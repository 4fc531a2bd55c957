// <liaison-acceptance>: the Acceptance stage. Every task of the plan against its delivery standard
// (result, pass or fail, evidence files kept in the project), each department scored 0–100 on goal
// achievement, collaboration efficiency and communication quality, the overall result, and the
// heads' signatures (<liaison-signoff kind="acceptance">) with the PDF.

import { h, mount, keepFocus } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call, toast } from '../lib/ipc.js';
import { edit } from '../lib/save.js';
import { ask } from '../lib/confirm.js';
import './open-work.js';
import './signoff-panel.js';

const VERDICTS = ['pending', 'pass', 'fail'];
const OVERALLS = ['pending', 'passed', 'conditional', 'failed'];
const SCORES = ['goal', 'efficiency', 'communication'];

function kb(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${Math.ceil(bytes / 1024)} KB`;
}

function score(v) {
  return v === null || v === undefined ? '—' : Number(v).toFixed(1);
}

export class AcceptanceView extends HTMLElement {
  #v = null;
  #signoff = null;
  #openWork = null;

  async load() {
    this.#v = await call('acceptance_view');
    this.#openWork?.load();
    this.render();
  }

  get #locked() { return this.#v.state !== 'draft' || Boolean(this.#v.closedAt); }

  async #save(cmd, args) {
    this.dataset.busy = 'true';
    try {
      const v = await edit(this, cmd, args);
      if (v && v !== true) { this.#v = v; this.render(); }
      else if (v === null) this.render(); // refused: show the stored value again
    } finally {
      delete this.dataset.busy;
    }
    await this.#signoff?.load().catch(() => {});
  }

  render() {
    if (!this.#v) return;
    const v = this.#v;
    if (!this.#signoff) {
      this.#signoff = h('liaison-signoff', { kind: 'acceptance', 'doc-id': '1' });
      this.#signoff.addEventListener('signoff-changed', () => this.load());
      this.#signoff.load().catch(() => {});
    } else {
      this.#signoff.render();
    }
    if (!this.#openWork) {
      this.#openWork = h('liaison-open-work', v.closedAt ? { 'read-only': '' } : {});
      this.#openWork.addEventListener('open-work-changed', () => this.load());
      this.#openWork.load();
    } else {
      this.#openWork.render();
    }
    const [pass, fail, pending] = v.counts;
    keepFocus(this, () => mount(this,
      h('div', { class: 'form-head' },
        h('div', {}, h('h1', {}, t('stage.acceptance')), h('p', { class: 'muted' }, t('acceptance.hint'))),
        h('div', { class: 'form-status' },
          h('span', { class: 'chip', id: 'acc-counts' }, t('acceptance.counts', { total: v.items.length, pass, fail, pending })),
          h('button', { type: 'button', class: 'secondary', 'data-view': '', onclick: () => this.#history() }, t('history.open')))),
      v.closedAt ? h('p', { class: 'msg notice' }, t('archive.closed_banner', { at: v.closedAt.replace('T', ' ') })) : null,
      this.#items(),
      this.#evaluation(),
      this.#overall(),
      this.#openWork,
      h('section', { class: 'card' }, h('h2', {}, t('acceptance.signoff')), this.#signoff)));
  }

  #history() {
    const records = ['acceptance:1', ...this.#v.items.map((i) => `acceptance:task:${i.taskId}`), ...this.#v.evaluations.map((e) => `evaluation:${e.department}`)];
    this.dispatchEvent(new CustomEvent('show-history', { bubbles: true, detail: { records } }));
  }

  #items() {
    const locked = this.#locked;
    const rows = this.#v.items.map((item) => {
      const result = h('textarea', {
        id: `acc-result-${item.taskId}`, rows: 2, disabled: locked, 'aria-label': t('field.acceptance.result'),
        placeholder: t('acceptance.result_placeholder'),
        onchange: (e) => this.#save('acceptance_save_item', { taskId: item.taskId, result: e.target.value, verdict: item.verdict }),
      }, item.result);
      const verdict = h('div', { class: 'seg verdict', role: 'radiogroup', 'aria-label': t('field.acceptance.verdict') },
        VERDICTS.filter((x) => x !== 'pending').map((x) => h('button', {
          type: 'button', id: `acc-verdict-${item.taskId}-${x}`, disabled: locked,
          class: item.verdict === x ? `on ${x}` : x, role: 'radio', 'aria-checked': String(item.verdict === x),
          onclick: () => this.#save('acceptance_save_item', { taskId: item.taskId, result: result.value, verdict: item.verdict === x ? 'pending' : x }),
        }, t(`acceptance.verdict.${x}`))));
      const files = h('div', { class: 'evidence' },
        item.evidence.map((f) => h('span', { class: 'chip file', title: `${f.name} · ${kb(f.bytes)} · SHA-256 ${f.sha256.slice(0, 16)}…` },
          h('button', { type: 'button', class: 'link', 'data-view': '', onclick: () => this.#saveFile(f.id) }, f.name),
          locked ? null : h('button', { type: 'button', class: 'icon-button', id: `acc-evidence-remove-${f.id}`, 'aria-label': t('acceptance.evidence_remove', { name: f.name }), onclick: () => this.#removeFile(f) }, '×'))),
        locked ? null : h('button', { type: 'button', class: 'secondary small', id: `acc-evidence-add-${item.taskId}`, onclick: () => this.#addFiles(item.taskId) }, `+ ${t('acceptance.evidence_add')}`));
      const status = h('span', { class: `chip status-${item.status}` }, `${t(`status.${item.status}`)} · ${item.percent}%`);
      return h('tr', { class: `acc-row verdict-${item.verdict}`, dataset: { task: String(item.taskId) } },
        h('td', {}, h('div', { class: 'task-name' }, h('span', { class: 'outline' }, item.outline), ' ', item.name),
          h('div', { class: 'muted small' }, [item.lead, item.owner].filter(Boolean).join(' · ')), status),
        h('td', { class: 'standard' }, item.standard || h('span', { class: 'muted' }, t('acceptance.no_standard'))),
        h('td', {}, result),
        h('td', {}, verdict),
        h('td', {}, files));
    });
    return h('section', { class: 'card' },
      h('h2', {}, t('acceptance.section.items')),
      this.#v.items.length
        ? h('table', { class: 'matrix acceptance' },
          h('thead', {}, h('tr', {}, ['field.task.name', 'field.acceptance.standard', 'field.acceptance.result', 'field.acceptance.verdict', 'field.acceptance.evidence'].map((k) => h('th', {}, t(k))))),
          h('tbody', {}, rows))
        : h('p', { class: 'muted' }, t('acceptance.no_tasks')));
  }

  async #addFiles(taskId) {
    this.dataset.busy = 'true';
    try {
      const v = await call('acceptance_add_evidence', { taskId });
      if (v) { this.#v = v; this.render(); toast(t('acceptance.evidence_added')); }
    } catch {
      // Shown by call().
    } finally {
      delete this.dataset.busy;
    }
  }

  async #removeFile(f) {
    if (!await ask(t('acceptance.evidence_confirm_remove', { name: f.name }), { ok: t('confirm.remove') })) return;
    await this.#save('acceptance_remove_evidence', { id: f.id });
  }

  async #saveFile(id) {
    try {
      const path = await call('acceptance_save_evidence', { id });
      if (path) toast(t('acceptance.evidence_saved', { path }));
    } catch {
      // Shown by call().
    }
  }

  #evaluation() {
    const locked = this.#locked;
    const rows = this.#v.evaluations.map((e) => {
      const send = (patch) => this.#save('acceptance_save_evaluation', { evaluation: { departmentId: e.departmentId, goal: e.goal, efficiency: e.efficiency, communication: e.communication, comment: e.comment, ...patch } });
      const input = (key) => h('input', {
        type: 'number', min: '0', max: '100', step: '1', inputmode: 'numeric', id: `eval-${key}-${e.departmentId}`,
        value: e[key] === null ? '' : String(e[key]), disabled: locked, 'aria-label': `${e.department} ${t(`field.evaluation.${key}`)}`,
        onchange: (ev) => {
          const raw = ev.target.value.trim();
          send({ [key]: raw === '' ? null : Number(raw) });
        },
      });
      const avg = [e.goal, e.efficiency, e.communication].every((x) => x !== null)
        ? (e.goal + e.efficiency + e.communication) / 3 : null;
      return h('tr', {},
        h('th', {}, e.department),
        SCORES.map((k) => h('td', { class: 'num' }, input(k))),
        h('td', { class: `num avg ${avg !== null && avg < 80 ? 'below' : ''}` }, score(avg)),
        h('td', {}, h('input', { type: 'text', id: `eval-comment-${e.departmentId}`, value: e.comment, disabled: locked, 'aria-label': `${e.department} ${t('field.evaluation.comment')}`, onchange: (ev) => send({ comment: ev.target.value }) })));
    });
    const a = this.#v.averages;
    return h('section', { class: 'card' },
      h('h2', {}, t('acceptance.section.evaluation')),
      h('p', { class: 'muted' }, t('evaluation.scale_note')),
      h('table', { class: 'matrix evaluation' },
        h('thead', {}, h('tr', {}, ['field.evaluation.department', 'field.evaluation.goal', 'field.evaluation.efficiency', 'field.evaluation.communication', 'field.evaluation.average', 'field.evaluation.comment'].map((k) => h('th', {}, t(k))))),
        h('tbody', {}, rows),
        h('tfoot', {}, h('tr', {}, h('th', {}, t('evaluation.average_row')),
          h('td', { class: 'num' }, score(a.goal)), h('td', { class: 'num' }, score(a.efficiency)), h('td', { class: 'num' }, score(a.communication)),
          h('td', { class: 'num avg', id: 'eval-average' }, score(a.overall)), h('td', {})))));
  }

  #overall() {
    const locked = this.#locked;
    const v = this.#v;
    const select = h('select', { id: 'acc-overall', disabled: locked, onchange: (e) => this.#save('acceptance_save_overall', { overall: e.target.value, conclusion: conclusion.value }) },
      OVERALLS.map((o) => h('option', { value: o, selected: v.overall === o }, t(`acceptance.overall.${o}`))));
    const conclusion = h('textarea', { id: 'acc-conclusion', rows: 3, disabled: locked, placeholder: t('acceptance.conclusion_placeholder'), onchange: (e) => this.#save('acceptance_save_overall', { overall: select.value, conclusion: e.target.value }) }, v.conclusion);
    return h('section', { class: 'card' },
      h('h2', {}, t('acceptance.section.result')),
      h('div', { class: 'grid' },
        h('div', { class: 'field' }, h('label', { for: 'acc-overall' }, t('field.acceptance.overall')), select),
        h('div', { class: 'field wide' }, h('label', { for: 'acc-conclusion' }, t('field.acceptance.conclusion')), conclusion)));
  }
}
customElements.define('liaison-acceptance', AcceptanceView);
