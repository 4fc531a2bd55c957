// The single way the UI calls the backend: errors become visible messages in the user's language.
// A refusal (a rule said no; nothing failed) is shown beside the control that was used or the field
// it names; a failure (the file, the system) is shown as a banner at the top of the page.

import { h } from './dom.js';
import { t } from './i18n.js';

const tauri = window.__TAURI__;

/** How many calls the page has made to the backend (the start-up report counts them). */
let calls = 0;
export const ipcCalls = () => calls;

/** The control the user used last (clicked, changed or pressed a key in), where a refusal is shown. */
let lastControl = null;
const CONTROLS = 'button, input, select, textarea, [role="button"], [tabindex]';
for (const type of ['pointerdown', 'click', 'change', 'keydown']) {
  document.addEventListener(type, (e) => {
    const el = e.target instanceof Element ? e.target.closest(CONTROLS) : null;
    if (el && !el.closest('.refusal')) lastControl = el;
  }, true);
}

/**
 * Calls a backend command; on failure shows the message in the page and rethrows the error
 * {code, key, field, params, refusal, message}.
 */
export async function call(cmd, args = {}, { quiet = false } = {}) {
  calls += 1;
  try {
    return await tauri.core.invoke(cmd, args);
  } catch (raw) {
    const err = normalize(raw);
    if (!quiet) {
      if (err.refusal) showRefusal(err);
      else showError(err.message);
    }
    throw err;
  }
}

/** Listens to a backend event (one call to the backend). */
export function listen(event, handler) {
  calls += 1;
  return tauri.event.listen(event, (e) => handler(e.payload));
}

function normalize(raw) {
  if (raw && typeof raw === 'object' && 'message' in raw) {
    return {
      code: raw.code || 'error',
      key: raw.key || '',
      field: raw.field || null,
      params: raw.params || {},
      refusal: Boolean(raw.refusal),
      message: String(raw.message),
    };
  }
  return { code: 'internal', key: 'error.internal', field: null, params: {}, refusal: false, message: t('error.internal', { detail: String(raw) }) };
}

/** Shows an error banner at the top of the page until dismissed. */
export function showError(message, kind = 'error') {
  const banners = document.getElementById('banners');
  const banner = h('div', { class: `banner ${kind}` },
    h('span', { class: 'banner-icon', 'aria-hidden': 'true' }, '!'),
    h('span', { class: 'banner-text' }, message),
    h('button', { type: 'button', class: 'link', onclick: () => banner.remove() }, t('common.dismiss')));
  banners.appendChild(banner);
  return banner;
}

/**
 * Shows a refusal beside the field it names (an element with that `data-field-key`) or the control
 * that was used; without either, as a dismissable banner. One refusal is shown at a time; it goes
 * when dismissed, when the user edits again, or when its control leaves the page.
 */
export function showRefusal(err) {
  clearRefusals();
  const view = document.getElementById('view-body');
  const anchor = refusalAnchor(document, view, err.field, lastControl);
  if (!anchor) {
    showError(err.message, 'refusal').classList.add('refusal');
    return;
  }
  const box = h('div', { class: 'refusal floating', role: 'alert' },
    h('span', { class: 'refusal-text' }, err.message),
    h('button', { type: 'button', class: 'link refusal-dismiss', onclick: () => remove() }, t('common.dismiss')));
  const id = anchor.id;
  const screen = view?.firstElementChild;
  let target = anchor;
  const place = () => {
    if (!target.isConnected) target = id ? document.getElementById(id) : null;
    if (!target) {
      // The screen redrew without the control: keep the message as a banner. Another stage: drop it.
      remove();
      if (screen && screen.isConnected) showError(err.message, 'refusal').classList.add('refusal');
      return;
    }
    const r = target.getBoundingClientRect();
    box.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - box.offsetWidth - 8))}px`;
    box.style.top = `${Math.min(r.bottom + 4, window.innerHeight - box.offsetHeight - 8)}px`;
  };
  const again = (e) => { if (!box.contains(e.target)) remove(); };
  const remove = () => {
    box.remove();
    document.removeEventListener('scroll', place, true);
    window.removeEventListener('resize', place);
    document.removeEventListener('input', again, true);
    clearInterval(timer);
  };
  box.dismiss = remove;
  // Inside a modal dialog the box must be in the dialog too, or the backdrop would cover it.
  (anchor.closest('dialog[open]') || document.body).appendChild(box);
  anchor.setAttribute('aria-describedby', 'refusal');
  box.id = 'refusal';
  place();
  document.addEventListener('scroll', place, true);
  window.addEventListener('resize', place);
  document.addEventListener('input', again, true);
  // The page may redraw its controls after the call: follow the control by its id.
  const timer = setInterval(place, 250);
}

/** Where a refusal goes: the field it names, else the control used (when still in the page), else nowhere. */
function refusalAnchor(doc, view, field, last) {
  const scope = doc.querySelector('dialog[open]') || view;
  if (field && scope) {
    const named = scope.querySelector(`[data-field-key="${CSS.escape(field)}"]`);
    if (named) return named;
  }
  if (last && last.isConnected && (scope?.contains(last) || last.closest('dialog[open]'))) return last;
  return null;
}

/** Removes the refusal shown, if any (called before every edit). */
export function clearRefusals() {
  for (const el of document.querySelectorAll('.refusal.floating')) {
    if (typeof el.dismiss === 'function') el.dismiss();
    else el.remove();
  }
}

/** Shows a short message that fades by itself. */
export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const el = h('div', { class: `toast ${kind}` }, message);
  box.appendChild(el);
  setTimeout(() => el.remove(), kind === 'info' ? 4000 : 9000);
}
