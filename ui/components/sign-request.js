// The signer's side of a signing request (issue 17): the request read-only — project, document,
// revision, its fingerprint to compare with the coordinator's, who asked, the signers, the frozen
// content — its PDF to save and read, and the choices the rule allows, signed with the user's key.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call, toast } from '../lib/ipc.js';

function label(key) {
  const k = `field.${key}`;
  const s = t(k);
  return s === k ? key : s;
}

/** The frozen content, read-only: objects as label/value lists, arrays as numbered lists. */
export function contentView(v) {
  if (Array.isArray(v)) return v.length ? h('ol', { class: 'req-list' }, v.map((x) => h('li', {}, contentView(x)))) : h('span', { class: 'muted' }, '—');
  if (v && typeof v === 'object') {
    return h('dl', { class: 'req-fields' }, Object.entries(v).flatMap(([k, x]) => [h('dt', {}, label(k)), h('dd', {}, contentView(x))]));
  }
  if (v === null || v === '') return h('span', { class: 'muted' }, '—');
  return String(v);
}

function dialog() {
  let d = document.getElementById('request-dialog');
  if (!d) {
    d = h('dialog', { id: 'request-dialog', class: 'request-dialog' });
    document.body.appendChild(d);
  }
  return d;
}

/** Shows request `view` (from `request_open`) in a modal dialog. */
export function showRequest(view) {
  const d = dialog();
  const comment = h('input', { type: 'text', id: 'request-comment', placeholder: t('signoff.comment'), 'aria-label': t('signoff.comment') });
  const pass = h('input', { type: 'password', id: 'request-passphrase', autocomplete: 'current-password', placeholder: t('prefs.identity.passphrase'), 'aria-label': t('prefs.identity.passphrase') });
  const sign = async (decision) => {
    try {
      const path = await call('request_sign', { path: view.path, decision, comment: comment.value, passphrase: pass.value });
      pass.value = '';
      if (path) {
        toast(t('request.signed', { path }));
        d.close();
      }
    } catch {
      // Shown by call().
    }
  };
  const savePdf = async () => {
    try {
      const path = await call('request_save_pdf', { path: view.path });
      if (path) toast(t('request.pdf_saved', { path }));
    } catch {
      // Shown by call().
    }
  };
  const fp = view.fingerprint.toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
  mount(d, h('form', { method: 'dialog', class: 'request', onsubmit: (e) => e.preventDefault() },
    h('h2', {}, t('request.title')),
    h('p', {}, h('strong', {}, view.projectName), ` · ${view.document} · ${t('signoff.revision', { revision: view.revision })}`),
    h('div', { class: 'fingerprint' },
      h('span', { class: 'fp-label' }, t('signoff.fingerprint')),
      h('code', { class: 'fp', id: 'request-fingerprint' }, fp)),
    h('p', { class: 'muted' }, t('request.asked', { name: view.askedBy, at: view.askedAt })),
    view.mine ? null : h('p', { class: 'muted warning' }, t('request.not_mine')),
    h('p', { class: 'muted' }, t('request.signers', { names: view.signers.map((s) => s.name).join('、') })),
    h('div', { class: 'req-content' }, contentView(view.content)),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', id: 'request-save-pdf', onclick: savePdf }, t('request.save_pdf'))),
    h('div', { class: 'sig-act' }, comment, pass,
      view.decisions.map((dec, i) => h('button', {
        type: 'button', class: i === 0 ? 'primary small' : 'danger small', dataset: { decision: dec }, onclick: () => sign(dec),
      }, t(`decision.${dec}`)))),
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', onclick: () => d.close() }, t('common.cancel')))));
  if (!d.open) d.showModal();
}

/** Asks for a request file and shows it. */
export async function openRequest() {
  try {
    const view = await call('request_open_dialog', {});
    if (view) showRequest(view);
  } catch {
    // Shown by call().
  }
}
