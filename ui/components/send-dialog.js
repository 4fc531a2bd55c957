// The send dialog (issue 18): who a notice, minutes, request or reminder goes to (people without an
// e-mail address in their contact are named, never skipped silently), then the send with its
// progress and each recipient's result, the server's answer beside a failure. Cancel before
// sending sends nothing; once sending, the dialog stays until every recipient is done.

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call, listen } from '../lib/ipc.js';
import { split, summary, statusText } from '../lib/send-results.js';

const say = ({ key, params }) => t(key, params);

/**
 * Opens the dialog for `what` ({what: 'notice', meeting} | {what: 'minutes', meeting} |
 * {what: 'request', kind, id} | {what: 'reminder', round}) under `title`. Resolves to the outcome
 * of the send, or null when nothing was sent.
 */
export async function openSend(what, title) {
  let recipients;
  try {
    recipients = await call('send_preview', { what });
  } catch {
    return null;
  }
  const { reachable, unreachable } = split(recipients);
  return new Promise((resolve) => {
    const cells = new Map();
    const rows = recipients.map((r) => {
      const cell = h('td', { class: `status ${r.address ? 'waiting' : 'noAddress'}` },
        r.address ? t('send.ui.status.waiting') : t('send.ui.status.no_address'));
      cells.set(r.personId, cell);
      return h('tr', { dataset: { person: String(r.personId) } }, h('td', {}, r.name), h('td', {}, r.address || '—'), cell);
    });
    const table = h('table', { class: 'send-list', id: 'send-list' },
      h('thead', {}, h('tr', {}, h('th', {}, t('send.ui.recipient')), h('th', {}, t('send.ui.address')), h('th', {}, t('send.ui.status')))),
      h('tbody', {}, rows));
    const bar = h('progress', { id: 'send-progress', max: String(Math.max(recipients.length, 1)), value: '0' });
    const result = h('p', { class: 'send-summary', id: 'send-summary', role: 'status' });
    const go = h('button', { type: 'button', class: 'primary', id: 'send-go', disabled: !reachable.length },
      t('send.ui.send', { count: reachable.length }));
    const cancel = h('button', { type: 'button', class: 'secondary', id: 'send-cancel' }, t('common.cancel'));
    const settings = h('button', { type: 'button', class: 'secondary', id: 'send-settings', hidden: true }, t('send.ui.open_settings'));
    const dialog = h('dialog', { class: 'send-dialog', id: 'send-dialog', 'aria-labelledby': 'send-title' },
      h('h2', { id: 'send-title' }, title),
      unreachable.length
        ? h('p', { class: 'msg warning', id: 'send-missing' }, t('send.ui.missing', { names: unreachable.map((r) => r.name).join('、') }))
        : null,
      table, bar, result,
      h('div', { class: 'dialog-actions' }, settings, cancel, go));
    let outcome = null;
    let busy = false;
    const finish = () => {
      if (busy) return;
      if (dialog.open) dialog.close();
      dialog.remove();
      resolve(outcome);
    };
    const show = (r) => {
      const cell = cells.get(r.personId);
      if (!cell) return;
      cell.textContent = say(statusText(r));
      cell.className = `status ${r.status}`;
    };
    go.addEventListener('click', async () => {
      busy = true;
      go.disabled = true;
      cancel.disabled = true;
      result.textContent = t('send.ui.sending');
      result.className = 'send-summary';
      const stop = await listen('send-progress', (p) => { bar.value = p.done; show(p.result); });
      try {
        outcome = await call('send_mail', { what }, { quiet: true });
        outcome.results.forEach(show);
        bar.value = bar.max;
        const s = summary(outcome);
        result.textContent = say(s);
        result.className = `send-summary ${s.key === 'send.ui.some_failed' ? 'refusal' : 'done'}`;
        go.hidden = true;
        cancel.textContent = t('common.close');
      } catch (err) {
        // Refused before anything went out (no server set, an archived project …): said here,
        // where the user is looking; the send can be tried again.
        result.textContent = err.message;
        result.className = 'send-summary refusal';
        settings.hidden = !['send.no_server', 'send.no_password'].includes(err.key);
        go.disabled = !reachable.length;
      } finally {
        stop();
        busy = false;
        cancel.disabled = false;
      }
    });
    cancel.addEventListener('click', finish);
    settings.addEventListener('click', () => {
      finish();
      document.dispatchEvent(new CustomEvent('open-prefs', { detail: { section: 'mail' } }));
    });
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); finish(); });
    document.body.appendChild(dialog);
    dialog.showModal();
    (go.disabled ? cancel : go).focus();
  });
}
