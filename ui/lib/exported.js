// The notice after every export (PDF, Excel, JSON, .ics, the archive folder): what was written,
// with "Open" and "Show in folder". The backend opens only what this run exported.

import { h } from './dom.js';
import { t } from './i18n.js';
import { call } from './ipc.js';

/** How long the notice stays, long enough to reach its buttons. */
const SHOWN_MS = 15000;

/** Shows `message` for the exported file or folder at `path`, with its two actions. */
export function exportedNotice(message, path) {
  const box = document.getElementById('toasts');
  const act = (command) => call(command, { path }).catch(() => {});
  const el = h('div', { class: 'toast exported', 'data-path': path },
    h('div', { class: 'toast-text' }, message),
    h('div', { class: 'toast-actions' },
      h('button', { type: 'button', class: 'small', 'data-export-action': 'open', onclick: () => act('open_exported') }, t('export.open')),
      h('button', { type: 'button', class: 'small', 'data-export-action': 'reveal', onclick: () => act('show_exported') }, t('export.reveal'))));
  box.appendChild(el);
  setTimeout(() => el.remove(), SHOWN_MS);
  return el;
}
