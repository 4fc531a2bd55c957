// <liaison-open-work>: the work still open before acceptance and closing (action items, risks,
// issues, change requests, rounds waiting for signatures). Each is finished where it lives, or
// withdrawn or carried over here with a reason; the acceptance round and the closing wait for it.
// Attribute `read-only`: only the list and what was decided (an archived project).

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call, toast } from '../lib/ipc.js';
import { edit } from '../lib/save.js';

/** The words for an item's status: an action item's status, or the document a round signs. */
function statusText(item) {
  if (item.kind === 'action') return t(`status.${item.status}`);
  if (item.kind === 'round') return t(`closing.round.${item.status}`);
  return t(`closing.state.${item.status}`);
}

export class OpenWork extends HTMLElement {
  #items = null;

  async load() {
    this.#items = await call('closing_open_work').catch(() => null);
    this.render();
  }

  async #run(cmd, args) {
    this.dataset.busy = 'true';
    try {
      const r = await edit(this, cmd, args);
      if (r !== null) {
        await this.load();
        this.dispatchEvent(new CustomEvent('open-work-changed', { bubbles: true }));
      }
      return r;
    } finally {
      delete this.dataset.busy;
    }
  }

  render() {
    const items = this.#items;
    if (!items) { mount(this); return; }
    const readOnly = this.hasAttribute('read-only');
    const left = items.filter((i) => !i.disposition).length;
    const row = (i) => {
      const key = `${i.kind}-${i.id}`;
      const reason = h('input', { type: 'text', class: 'ow-reason', placeholder: t('closing.reason_placeholder'), title: t('field.closing.reason') });
      const settle = (disposition) => async () => {
        if (!reason.value.trim()) { toast(t('closing.reason_required'), 'warning'); reason.focus(); return; }
        await this.#run('closing_dispose', { kind: i.kind, id: i.id, disposition, reason: reason.value });
      };
      const actions = i.disposition
        ? h('span', { class: 'chip' }, `${t(`closing.disposition.${i.disposition.disposition}`)}：${i.disposition.reason}`)
        : readOnly ? null : h('div', { class: 'add-row wrap' },
          i.kind === 'action' ? h('button', { type: 'button', class: 'secondary small ow-finish', onclick: () => this.#run('follow_up_add', { followUp: { actionId: i.id, progress: t('closing.finished_note') }, adjust: { status: 'done' } }) }, t('closing.finish')) : null,
          reason,
          h('button', { type: 'button', class: 'secondary small ow-withdraw', onclick: settle('withdrawn') }, t('closing.disposition.withdrawn')),
          h('button', { type: 'button', class: 'secondary small ow-carry', onclick: settle('carried_over') }, t('closing.disposition.carried_over')));
      return h('tr', { class: i.disposition ? 'settled' : 'open', dataset: { openWork: key } },
        h('td', {}, t(`closing.kind.${i.kind}`)),
        h('td', {}, i.title || '—'),
        h('td', {}, statusText(i)),
        h('td', {}, actions));
    };
    mount(this, h('section', { class: 'card', id: 'open-work' },
      h('h2', {}, t('closing.title')),
      h('p', { class: left ? 'msg warning' : 'muted', id: 'open-work-summary' }, left ? t('closing.left', { n: left }) : t('closing.none')),
      items.length ? h('table', { class: 'matrix open-work' },
        h('thead', {}, h('tr', {}, ['closing.col.kind', 'closing.col.item', 'closing.col.status', 'closing.col.decision'].map((k) => h('th', {}, t(k))))),
        h('tbody', {}, items.map(row))) : null));
  }
}

customElements.define('liaison-open-work', OpenWork);
