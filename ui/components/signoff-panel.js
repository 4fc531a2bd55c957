// <liaison-signoff kind="registration" doc-id="1">: who must sign, who has, what is pending; start,
// sign, withdraw, new revision. Fires `signoff-changed` when the document's state changes.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call, toast } from '../lib/ipc.js';
import { loadKeys, methodBadge, keyCell, keysToolbar, paperButton } from './signoff-keys.js';
import { exportedNotice } from '../lib/exported.js';

const ROLES = ['head', 'interface', 'owner', 'member', 'decision'];

function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export class SignoffPanel extends HTMLElement {
  #panel = null;
  #chosen = [];
  #keys = { bindings: [], methods: [] };

  get kind() { return this.getAttribute('kind'); }
  get docId() { return Number(this.getAttribute('doc-id') || '1'); }

  async load() {
    const panel = await call('signoff_panel', { kind: this.kind, docId: this.docId });
    this.#keys = await loadKeys(this.kind, this.docId);
    this.#apply(panel);
  }

  render() { if (this.#panel) this.#render(); }

  #apply(panel) {
    const before = this.#panel?.state;
    this.#panel = panel;
    if (panel.state === 'draft' && !this.#chosen.length) this.#chosen = [...panel.suggested];
    this.#chosen = this.#chosen.filter((id) => panel.people.some((p) => p.id === id));
    this.#render();
    if (before && before !== panel.state) {
      this.dispatchEvent(new CustomEvent('signoff-changed', { bubbles: true, detail: { state: panel.state } }));
    }
  }

  async #do(cmd, args, message) {
    try {
      const panel = await call(cmd, args);
      this.#keys = await loadKeys(this.kind, this.docId);
      this.#apply(panel);
      if (message) toast(message);
    } catch {
      // Shown by call().
    }
  }

  /** Exports the document as PDF where the user chooses; the button shows the work under way. */
  async #exportPdf(button) {
    if (button.dataset.busy) return;
    button.dataset.busy = '1';
    button.disabled = true;
    const label = button.textContent;
    button.textContent = t('pdf.exporting');
    try {
      const done = await call('document_export_pdf', { kind: this.kind, id: this.docId });
      if (done) {
        exportedNotice(t('pdf.exported', { path: done.path, pages: done.pages }), done.path);
        if (done.missing.length) toast(t('pdf.missing_chars', { chars: done.missing.join(' ') }), 'warning');
      }
    } catch {
      // Shown by call().
    } finally {
      delete button.dataset.busy;
      button.disabled = false;
      button.textContent = label;
    }
  }

  #current() { return this.#panel.rounds[0] || null; }

  #signerRow(round, s, i) {
    const sig = s.signature;
    let status;
    if (sig) {
      status = h('div', { class: `sig ${sig.decision}` },
        h('span', { class: 'sig-decision' }, t(`decision.${sig.decision}`)),
        h('span', { class: 'sig-time' }, when(sig.signedAt)),
        methodBadge(this.#keys, round.id, s.person.id),
        sig.comment ? h('div', { class: 'sig-comment' }, sig.comment) : null);
    } else if (round.status !== 'open') {
      status = h('span', { class: 'muted' }, '—');
    } else if (!s.turn) {
      status = h('span', { class: 'muted' }, t('signoff.waiting'));
    } else {
      const comment = h('input', { type: 'text', class: 'sig-input', placeholder: t('signoff.comment'), 'aria-label': t('signoff.comment') });
      const act = (decision) => this.#do('sign', {
        sign: { roundId: round.id, revision: round.revision, personId: s.person.id, decision, comment: comment.value },
      });
      // Minutes and the retrospective are confirmed or corrected; other documents approved or rejected.
      const [yes, no] = ['minutes', 'retrospective'].includes(this.kind) ? ['confirm', 'request_correction'] : ['approve', 'reject'];
      status = h('div', { class: 'sig-act' }, comment,
        h('button', { type: 'button', class: 'primary small', dataset: { sign: yes, person: String(s.person.id) }, onclick: () => act(yes) }, t(`decision.${yes}`)),
        h('button', { type: 'button', class: 'danger small', dataset: { sign: no, person: String(s.person.id) }, onclick: () => act(no) }, t(`decision.${no}`)),
        paperButton(() => ({ roundId: round.id, revision: round.revision, personId: s.person.id, decision: yes, comment: comment.value }),
          async (panel) => { this.#keys = await loadKeys(this.kind, this.docId); this.#apply(panel); }));
    }
    return h('tr', { class: sig ? 'signed' : (s.turn ? 'turn' : '') },
      h('td', { class: 'num' }, String(i + 1)),
      h('td', {}, h('strong', {}, s.person.name)),
      h('td', {}, s.person.department),
      h('td', {}, t(`role.${s.person.role}`)),
      h('td', {}, status),
      round.status === 'open' ? h('td', {}, keyCell(this.#keys, s.person, () => this.load())) : null);
  }

  #roundTable(round) {
    return h('table', { class: 'signers' },
      h('thead', {}, h('tr', {},
        h('th', { class: 'num' }, '#'), h('th', {}, t('field.person.name')), h('th', {}, t('field.person.department')),
        h('th', {}, t('field.person.role')), h('th', {}, t('signoff.title')), round.status === 'open' ? h('th', {}, t('signoff.keys.key')) : null)),
      h('tbody', {}, round.signers.map((s, i) => this.#signerRow(round, s, i))));
  }

  #chooser() {
    const p = this.#panel;
    const people = h('ul', { class: 'people-pick' }, p.people.map((person) => {
      const pos = this.#chosen.indexOf(person.id);
      return h('li', {},
        h('label', {},
          h('input', {
            type: 'checkbox', checked: pos >= 0, dataset: { person: String(person.id) },
            onchange: (e) => {
              this.#chosen = e.target.checked ? [...this.#chosen, person.id] : this.#chosen.filter((x) => x !== person.id);
              this.#renderOrder();
            },
          }),
          h('span', { class: pos >= 0 ? 'order' : 'order empty', dataset: { order: String(person.id) } }, pos >= 0 ? String(pos + 1) : ''),
          h('span', { class: 'pname' }, person.name),
          h('span', { class: 'muted' }, `${person.department} · ${t(`role.${person.role}`)}`)));
    }));
    const name = h('input', { type: 'text', id: 'person-name', placeholder: t('field.person.name'), 'aria-label': t('field.person.name') });
    const dept = h('input', { type: 'text', id: 'person-department', placeholder: t('field.person.department'), 'aria-label': t('field.person.department') });
    const role = h('select', { id: 'person-role', 'aria-label': t('field.person.role') }, ROLES.map((r) => h('option', { value: r }, t(`role.${r}`))));
    const add = async () => {
      try {
        const person = await call('add_person', { person: { name: name.value, department: dept.value, role: role.value } });
        this.#chosen.push(person.id);
        toast(t('people.added', { name: person.name }));
        await this.load();
      } catch {
        // Shown by call().
      }
    };
    return h('div', { class: 'chooser' },
      h('h3', {}, t('signoff.choose')),
      p.people.length ? people : null,
      h('div', { class: 'person-add' }, name, dept, role,
        h('button', { type: 'button', class: 'secondary', id: 'person-add', onclick: add }, `+ ${t('people.add')}`)),
      h('div', { class: 'actions' },
        h('button', {
          type: 'button', class: 'primary', id: 'signoff-start', disabled: !this.#chosen.length,
          onclick: () => this.#do('start_signoff', { kind: this.kind, docId: this.docId, signers: this.#chosen }, t('signoff.started')),
        }, t('signoff.start'))));
  }

  /** Numbers the chosen signers in the order they were ticked, without redrawing the list. */
  #renderOrder() {
    for (const badge of this.querySelectorAll('[data-order]')) {
      const pos = this.#chosen.indexOf(Number(badge.dataset.order));
      badge.className = pos >= 0 ? 'order' : 'order empty';
      badge.textContent = pos >= 0 ? String(pos + 1) : '';
    }
    const start = this.querySelector('#signoff-start');
    if (start) start.disabled = !this.#chosen.length;
  }

  #render() {
    const p = this.#panel;
    const current = this.#current();
    // no-start: the document starts its rounds itself (the plan's "publish"); show what was signed.
    const noStart = this.hasAttribute('no-start');
    const showCurrent = current && (current.status === 'open' || p.state === 'signed' || noStart);
    const body = [];
    if (showCurrent) {
      body.push(h('div', { class: 'round-head' },
        h('span', { class: 'rev' }, t('signoff.revision', { revision: current.revision })),
        h('span', { class: `round-status ${current.status}` }, t(`signoff.round.${current.status}`))));
      body.push(this.#roundTable(current));
    }
    if (p.state === 'in_signoff' && current) {
      body.push(keysToolbar(this.kind, this.docId, () => this.load(), current.id));
      body.push(h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', id: 'signoff-withdraw', onclick: () => this.#do('withdraw_signoff', { roundId: current.id }) }, t('signoff.withdraw'))));
      body.push(h('liaison-message-log', { 'record-kind': this.kind === 'minutes' ? 'meeting' : this.kind, 'record-id': String(this.docId) }));
    } else if (p.closed) {
      // An archived project's documents stay as they were signed: no new revision, no new round.
    } else if (p.state === 'signed') {
      const reason = h('input', { type: 'text', id: 'revision-reason', placeholder: t('signoff.new_revision.reason'), 'aria-label': t('signoff.new_revision.reason') });
      body.push(h('div', { class: 'actions revise' }, reason,
        h('button', { type: 'button', class: 'secondary', id: 'signoff-revise', onclick: () => this.#do('new_revision', { kind: this.kind, docId: this.docId, reason: reason.value }) }, t('signoff.new_revision'))));
    } else if (!noStart) {
      if (!p.rounds.length) body.push(h('p', { class: 'muted' }, t('signoff.none')));
      body.push(this.#chooser());
    }
    const shown = showCurrent ? 1 : 0;
    const earlier = p.rounds.slice(shown);
    mount(this, h('section', { class: 'card signoff' },
      h('div', { class: 'signoff-head' },
        h('h2', {}, t('signoff.title')),
        noStart ? null : h('span', { class: `state-badge ${p.state}`, id: 'signoff-state' }, t(`signoff.state.${p.state}`)),
        h('span', { class: 'muted mode' }, t(`signoff.mode.${p.mode}`)),
        h('button', { type: 'button', class: 'secondary small export-pdf', id: 'export-pdf', onclick: (e) => this.#exportPdf(e.currentTarget) }, t('pdf.export'))),
      h('p', { class: 'muted who' }, t(p.whoKey)),
      h('div', { class: 'fingerprint', title: t('signoff.fingerprint.note') },
        h('span', { class: 'fp-label' }, t('signoff.fingerprint')),
        h('code', { class: 'fp', title: p.fingerprint }, `${p.fingerprint.slice(0, 16)}…`),
        h('span', { class: 'fp-note' }, t('signoff.fingerprint.note'))),
      body,
      earlier.length ? h('details', { class: 'earlier' },
        h('summary', {}, `${t('signoff.earlier')} (${earlier.length})`),
        earlier.map((r) => h('div', { class: 'earlier-round' },
          h('div', { class: 'round-head' },
            h('span', { class: 'rev' }, t('signoff.revision', { revision: r.revision })),
            h('span', { class: `round-status ${r.status}` }, t(`signoff.round.${r.status}`)),
            h('code', { class: 'fp', title: r.fingerprint }, `${r.fingerprint.slice(0, 16)}…`)),
          this.#roundTable(r)))) : null));
  }
}
customElements.define('liaison-signoff', SignoffPanel);
