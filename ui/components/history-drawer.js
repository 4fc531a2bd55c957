// <liaison-history>: the audit entries of one or more records, newest first, as a side panel.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call } from '../lib/ipc.js';

const CLIP = 160;

function label(field) {
  for (const key of [`field.${field}`, `history.field.${field}`]) {
    const text = t(key);
    if (text !== key) return text;
  }
  return field;
}

const WORDS = {
  approve: 'decision.approve', confirm: 'decision.confirm', reject: 'decision.reject',
  request_correction: 'decision.request_correction', approved: 'signoff.round.approved',
  rejected: 'signoff.round.rejected', withdrawn: 'signoff.round.withdrawn',
};

/** Lists (departments, milestones) read as lists; sign-off words in the user's language. */
function readable(field, raw) {
  const s = String(raw);
  if (s.startsWith('[')) {
    try {
      const list = JSON.parse(s);
      return list.map((x) => (typeof x === 'object' && x ? [x.date, x.node].filter(Boolean).join(' ') : String(x))).join('；');
    } catch {
      return s;
    }
  }
  if (field.startsWith('signoff.')) {
    return s
      .replace(/\b(request_correction|approve|confirm|reject|approved|rejected|withdrawn)\b/g, (w) => t(WORDS[w]))
      .replace(/\brevision (\d+)/g, (_, n) => t('signoff.revision', { revision: n }));
  }
  return s;
}

function value(field, v) {
  if (v === null || v === undefined || v === '' || v === '[]') return h('span', { class: 'muted' }, t('history.empty_value'));
  const s = readable(field, v);
  return h('span', { title: s.length > CLIP ? s : undefined }, s.length > CLIP ? `${s.slice(0, CLIP)}…` : s);
}

function when(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export class HistoryDrawer extends HTMLElement {
  #records = [];
  #entries = [];

  /** Shows the history of `records` (e.g. ['registration:1']). */
  async show(records) {
    this.#records = records;
    this.#entries = await call('history', { records });
    this.render();
  }

  render() {
    const rows = [...this.#entries].reverse();
    mount(this, h('div', { class: 'history' },
      h('div', { class: 'history-head' },
        h('h2', {}, t('history.title')),
        h('button', { type: 'button', class: 'icon-button', id: 'history-close', 'aria-label': t('common.close'), title: t('common.close'), onclick: () => this.dispatchEvent(new Event('history-close', { bubbles: true })) }, '×')),
      h('p', { class: 'muted' }, t('history.note')),
      rows.length
        ? h('ol', { class: 'history-list' }, rows.map((e) => h('li', { class: 'history-entry', dataset: { field: e.field } },
            h('div', { class: 'history-meta' },
              h('span', { class: 'history-field' }, label(e.field)),
              h('span', { class: 'muted' }, `${when(e.at)} · ${e.actor} · #${e.seq}`)),
            e.before !== null && e.before !== undefined
              ? h('div', { class: 'history-change' }, value(e.field, e.before), h('span', { class: 'arrow' }, '→'), value(e.field, e.after))
              : h('div', { class: 'history-change' }, value(e.field, e.after)))))
        : h('p', { class: 'muted' }, t('history.none'))));
  }
}
customElements.define('liaison-history', HistoryDrawer);
