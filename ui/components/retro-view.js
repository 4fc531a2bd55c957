// <liaison-retro>: the Retrospective stage (复盘). What worked, problems with their causes,
// improvements with an owner and a "carry forward" mark; confirmed by every department head
// (<liaison-signoff kind="retrospective">), then locked and searchable in the knowledge base.

import { h, mount, keepFocus } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call } from '../lib/ipc.js';
import { edit } from '../lib/save.js';
import { ask } from '../lib/confirm.js';
import './signoff-panel.js';

const SECTIONS = ['success', 'problem', 'improvement'];

export class RetroView extends HTMLElement {
  #v = null;
  #signoff = null;
  #focus = null;
  #pendingSelect = null;

  /** Opens on an entry (a knowledge-base result). */
  preset(detail) { if (detail.select) this.#pendingSelect = Number(detail.select); }

  async load() {
    this.#v = await call('retro_view');
    this.render();
    if (this.#pendingSelect) {
      const el = this.querySelector(`[data-record="retro:${this.#pendingSelect}"]`);
      el?.classList.add('found');
      el?.scrollIntoView({ block: 'center' });
      this.#pendingSelect = null;
    }
  }

  get #locked() { return this.#v.state !== 'draft' || Boolean(this.#v.closedAt); }

  async #save(cmd, args) {
    this.dataset.busy = 'true';
    try {
      const v = await edit(this, cmd, args);
      if (v && v !== true) this.#v = v;
      this.render();
    } finally {
      delete this.dataset.busy;
    }
    await this.#signoff?.load().catch(() => {});
  }

  render() {
    if (!this.#v) return;
    if (!this.#signoff) {
      this.#signoff = h('liaison-signoff', { kind: 'retrospective', 'doc-id': '1' });
      this.#signoff.addEventListener('signoff-changed', () => this.load());
      this.#signoff.load().catch(() => {});
    } else {
      this.#signoff.render();
    }
    keepFocus(this, () => mount(this,
      h('div', { class: 'form-head' },
        h('div', {}, h('h1', {}, t('stage.retrospective')), h('p', { class: 'muted' }, t('retro.hint'))),
        h('div', { class: 'form-status' },
          h('button', { type: 'button', class: 'secondary', 'data-view': '', onclick: () => this.#history() }, t('history.open')))),
      this.#v.closedAt ? h('p', { class: 'msg notice' }, t('archive.closed_banner', { at: this.#v.closedAt.replace('T', ' ') })) : null,
      SECTIONS.map((s) => this.#section(s)),
      h('section', { class: 'card' }, h('h2', {}, t('retro.signoff')), this.#signoff)));
    if (this.#focus) {
      const el = this.querySelector(`#retro-text-${this.#focus}`);
      el?.focus();
      this.#focus = null;
    }
  }

  #history() {
    const records = this.#v.entries.map((e) => `retro:${e.id}`);
    this.dispatchEvent(new CustomEvent('show-history', { bubbles: true, detail: { records } }));
  }

  #section(section) {
    const locked = this.#locked;
    const list = this.#v.entries.filter((e) => e.section === section);
    const add = async () => {
      const v = await edit(this, 'retro_save_entry', { entry: { section, text: '' } });
      if (v && v !== true) {
        this.#v = v;
        const mine = v.entries.filter((e) => e.section === section);
        this.#focus = mine[mine.length - 1]?.id ?? null;
        this.render();
      }
    };
    return h('section', { class: `card retro ${section}`, id: `retro-${section}` },
      h('div', { class: 'card-head' },
        h('h2', {}, t(`retro.section.${section}`), h('span', { class: 'tab-count' }, String(list.length))),
        locked ? null : h('button', { type: 'button', class: 'secondary small', id: `retro-add-${section}`, onclick: add }, `+ ${t(`retro.add.${section}`)}`)),
      h('p', { class: 'muted' }, t(`retro.hint.${section}`)),
      list.length
        ? h('ol', { class: 'retro-list' }, list.map((e) => this.#entry(e)))
        : h('p', { class: 'muted empty' }, t('retro.none')));
  }

  #entry(e) {
    const locked = this.#locked;
    const send = (patch) => this.#save('retro_save_entry', { entry: { ...e, ...patch } });
    const text = h('textarea', {
      id: `retro-text-${e.id}`, rows: 2, disabled: locked, 'aria-label': t(`retro.section.${e.section}`),
      placeholder: t(`retro.placeholder.${e.section}`), onchange: (ev) => send({ text: ev.target.value }),
    }, e.text);
    const extra = [];
    if (e.section === 'problem') {
      extra.push(h('div', { class: 'field' }, h('label', { for: `retro-cause-${e.id}` }, t('field.retro.cause')),
        h('textarea', { id: `retro-cause-${e.id}`, rows: 2, disabled: locked, placeholder: t('retro.placeholder.cause'), onchange: (ev) => send({ cause: ev.target.value }) }, e.cause)));
    }
    if (e.section === 'improvement') {
      extra.push(h('div', { class: 'retro-meta' },
        h('label', { class: 'field inline' }, h('span', {}, t('field.retro.owner')),
          h('select', { id: `retro-owner-${e.id}`, disabled: locked, onchange: (ev) => send({ ownerId: ev.target.value ? Number(ev.target.value) : null }) },
            h('option', { value: '' }, '—'),
            this.#v.people.map((p) => h('option', { value: String(p.id), selected: p.id === e.ownerId }, `${p.name}（${p.department}）`)))),
        h('label', { class: 'check' },
          h('input', { type: 'checkbox', id: `retro-carry-${e.id}`, checked: e.carry, disabled: locked, onchange: (ev) => send({ carry: ev.target.checked }) }),
          t('field.retro.carry'))));
    }
    return h('li', { class: 'retro-entry', dataset: { record: `retro:${e.id}` } },
      h('div', { class: 'retro-main' }, text, extra),
      locked ? null : h('button', {
        type: 'button', class: 'icon-button', id: `retro-delete-${e.id}`, 'aria-label': t('retro.delete'), title: t('retro.delete'),
        onclick: async () => { if (!e.text || await ask(t('retro.confirm_delete'), { ok: t('confirm.delete') })) this.#save('retro_delete_entry', { id: e.id }); },
      }, '×'));
  }
}
customElements.define('liaison-retro', RetroView);
