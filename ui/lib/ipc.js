// The single way the UI calls the backend: errors become visible messages in the user's language.

import { h } from './dom.js';
import { t } from './i18n.js';

const tauri = window.__TAURI__;

/** Calls a backend command; on failure shows the message in the page and rethrows {code, message}. */
export async function call(cmd, args = {}, { quiet = false } = {}) {
  try {
    return await tauri.core.invoke(cmd, args);
  } catch (raw) {
    const err = normalize(raw);
    if (!quiet) showError(err.message);
    throw err;
  }
}

/** Listens to a backend event. */
export function listen(event, handler) {
  return tauri.event.listen(event, (e) => handler(e.payload));
}

function normalize(raw) {
  if (raw && typeof raw === 'object' && 'message' in raw) return { code: raw.code || 'error', message: String(raw.message) };
  return { code: 'internal', message: t('error.internal', { detail: String(raw) }) };
}

/** Shows an error banner at the top of the page until dismissed. */
export function showError(message) {
  const banners = document.getElementById('banners');
  const banner = h('div', { class: 'banner error' },
    h('span', { class: 'banner-icon', 'aria-hidden': 'true' }, '!'),
    h('span', { class: 'banner-text' }, message),
    h('button', { type: 'button', class: 'link', onclick: () => banner.remove() }, t('common.dismiss')));
  banners.appendChild(banner);
}

/** Shows a short message that fades by itself. */
export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const el = h('div', { class: `toast ${kind}` }, message);
  box.appendChild(el);
  setTimeout(() => el.remove(), kind === 'info' ? 4000 : 9000);
}
