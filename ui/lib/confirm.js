// The one confirmation of the app: an in-page modal <dialog> that asks before a destructive action
// (and, with `input`, asks for a required reason). Esc or the Cancel button cancels, Enter confirms,
// the focus stays inside; the buttons are labelled with the action ("归档" / "取消").

import { h } from './dom.js';
import { t } from './i18n.js';

/**
 * Asks `message` and resolves to true (OK) or false (Cancel, Esc). With `input` ({label}) it asks
 * for a text too and resolves to the trimmed text, or null when cancelled; OK waits for a text.
 * `ok` is the label of the OK button (the action, e.g. t('archive.close')).
 */
export function ask(message, { ok, cancel = t('common.cancel'), danger = true, input = null } = {}) {
  return new Promise((resolve) => {
    const field = input ? h('textarea', { id: 'confirm-input', rows: 3, 'aria-label': input.label }) : null;
    const okButton = h('button', { type: 'button', class: danger ? 'primary danger' : 'primary', id: 'confirm-ok' }, ok);
    const cancelButton = h('button', { type: 'button', class: 'secondary', id: 'confirm-cancel' }, cancel);
    const dialog = h('dialog', { class: 'confirm-dialog', id: 'confirm-dialog', role: 'alertdialog', 'aria-labelledby': 'confirm-message' },
      h('p', { class: 'confirm-message', id: 'confirm-message' }, message),
      input ? h('label', { class: 'confirm-label', for: 'confirm-input' }, input.label) : null,
      field,
      h('div', { class: 'dialog-actions' }, cancelButton, okButton));
    const ready = () => !field || field.value.trim() !== '';
    const sync = () => { okButton.disabled = !ready(); };
    let done = false;
    const finish = (yes) => {
      if (done) return;
      done = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      if (field) resolve(yes ? field.value.trim() : null);
      else resolve(yes);
    };
    okButton.addEventListener('click', () => { if (ready()) finish(true); });
    cancelButton.addEventListener('click', () => finish(false));
    // Esc: the dialog's own cancel event, answered as Cancel.
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); finish(false); });
    dialog.addEventListener('close', () => finish(false));
    dialog.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        // Enter confirms, unless it activates the focused Cancel button.
        if (document.activeElement === cancelButton) return;
        e.preventDefault();
        if (ready()) finish(true);
      } else if (e.key === 'Tab') {
        // The focus cycles among the dialog's own controls.
        const stops = [field, cancelButton, okButton].filter((x) => x && !x.disabled);
        const at = stops.indexOf(document.activeElement);
        const next = e.shiftKey ? (at <= 0 ? stops.length - 1 : at - 1) : (at + 1) % stops.length;
        e.preventDefault();
        stops[next].focus();
      }
    });
    if (field) field.addEventListener('input', sync);
    sync();
    document.body.appendChild(dialog);
    dialog.showModal();
    (field || okButton).focus();
  });
}
