// <liaison-message-log record-kind="meeting" record-id="3">: the messages sent about a record
// (e-mails and robot posts: when, what, to whom, and the server's answer), newest first, folded
// under a summary line so the record's own card stays short. `refresh()` reloads it.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call } from '../lib/ipc.js';

export class MessageLog extends HTMLElement {
  connectedCallback() { this.refresh(); }

  async refresh() {
    const id = this.getAttribute('record-id');
    let rows = [];
    try {
      rows = await call('messages_of', { recordKind: this.getAttribute('record-kind') || '', recordId: id ? Number(id) : null }, { quiet: true });
    } catch {
      rows = [];
    }
    if (!rows.length) { mount(this); return; }
    const failed = rows.filter((r) => r.result !== 'ok').length;
    mount(this, h('details', { class: 'message-log' },
      h('summary', {}, t('send.log.summary', { n: rows.length, failed })),
      h('table', { class: 'message-list' },
        h('thead', {}, h('tr', {}, ['send.log.at', 'send.log.kind', 'send.ui.recipient', 'send.ui.address', 'send.ui.status'].map((k) => h('th', {}, t(k))))),
        h('tbody', {}, rows.map((r) => h('tr', { class: r.result === 'ok' ? '' : 'failed' },
          h('td', {}, r.sentAt.replace('T', ' ').slice(0, 16)),
          h('td', {}, t(`send.log.kind.${r.kind}`)),
          h('td', {}, r.personName || '—'),
          h('td', {}, r.address),
          h('td', {}, r.result === 'ok' ? t('send.ui.status.sent') : t('send.ui.status.failed', { answer: r.answer }))))))));
  }
}
customElements.define('liaison-message-log', MessageLog);
