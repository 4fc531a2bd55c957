// Signing by key in the sign-off panel (issue 17): how each signature was obtained (电子签名 /
// 纸质签字 / 代为登记), binding an identity card to a signer, exporting signing requests, importing
// signing responses, and recording a paper signature with its scan. Used by signoff-panel.js.

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call, toast } from '../lib/ipc.js';
import { openSend } from './send-dialog.js';
import './message-log.js';

/** The bindings and methods of a document: {bindings, methods}. */
export async function loadKeys(kind, docId) {
  try {
    return await call('signing_keys_panel', { kind, docId }, { quiet: true });
  } catch {
    return { bindings: [], methods: [] };
  }
}

function grouped(fp) {
  return (fp || '').slice(0, 32).toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
}

/** The label of how the signature of `personId` in `roundId` was obtained. */
export function methodBadge(keys, roundId, personId) {
  const m = keys.methods.find((x) => x.roundId === roundId && x.personId === personId);
  const method = m ? m.method : 'proxy';
  let detail = '';
  if (m && m.keyFingerprint) detail = t('signoff.method.key', { fingerprint: grouped(m.keyFingerprint) });
  else if (m && m.scanSha256) detail = t('signoff.method.scan', { sha: m.scanSha256.slice(0, 16) });
  else if (m && m.recordedBy) detail = t('signoff.method.by', { name: m.recordedBy });
  return h('span', { class: `sig-method ${method}`, dataset: { method }, title: detail }, t(`signoff.method.${method}`),
    detail ? h('span', { class: 'sig-method-detail' }, detail) : null);
}

/** The keys bound to a person, and a button that binds another card to them. */
export function keyCell(keys, person, reload) {
  const mine = keys.bindings.filter((b) => b.personId === person.id);
  const bind = async () => {
    try {
      const b = await call('bind_card', { personId: person.id });
      if (b) {
        toast(t('signoff.keys.bound_toast', { fingerprint: b.grouped, name: b.personName, holder: b.holder.name }));
        await reload();
      }
    } catch {
      // Shown by call().
    }
  };
  return h('div', { class: 'key-cell' },
    mine.map((b) => h('code', { class: 'key-fp', title: b.holder.name }, b.grouped)),
    h('button', { type: 'button', class: 'link small', dataset: { bind: String(person.id) }, onclick: bind }, t('signoff.keys.bind')));
}

/** Export requests / import responses, send them by e-mail or remind, for round `roundId` under way. */
export function keysToolbar(kind, docId, reload, roundId) {
  const mail = async (what, key) => {
    if (await openSend(what, t(key, { document: t(`doc.${kind}`) }))) await reload();
  };
  const exportAll = async (button) => {
    try {
      const paths = await call('export_requests', { kind, docId, personId: null });
      if (paths.length) toast(t('signoff.keys.exported', { path: paths.join('\n') }));
    } catch {
      // Shown by call().
    }
    button.blur();
  };
  const importSome = async () => {
    try {
      report(await call('import_responses_dialog', {}));
      await reload();
    } catch {
      // Shown by call().
    }
  };
  return h('div', { class: 'actions keys-toolbar' },
    h('button', { type: 'button', class: 'secondary', id: 'signoff-export-requests', onclick: (e) => exportAll(e.currentTarget) }, t('signoff.keys.export')),
    h('button', { type: 'button', class: 'secondary', id: 'signoff-import-responses', onclick: importSome }, t('signoff.keys.import')),
    h('button', { type: 'button', class: 'secondary', id: 'signoff-mail-requests', onclick: () => mail({ what: 'request', kind, id: docId }, 'send.ui.title.request') }, t('send.ui.mail_requests')),
    h('button', { type: 'button', class: 'secondary', id: 'signoff-remind', onclick: () => mail({ what: 'reminder', round: roundId }, 'send.ui.title.reminder') }, t('send.ui.remind')));
}

/** Says what importing each response file did. */
export function report(results) {
  for (const r of results) {
    if (r.recorded) toast(t('signoff.keys.imported', { file: r.file, name: r.name, decision: t(`decision.${r.decision}`) }));
    else toast(t('signoff.keys.import_refused', { file: r.file, reason: r.message }), 'warning');
  }
}

/** A button that records `decision` as signed on paper, with the scan the user picks. */
export function paperButton(sign, onPanel) {
  const act = async () => {
    try {
      const panel = await call('sign_on_paper', { sign: sign() });
      if (panel) onPanel(panel);
    } catch {
      // Shown by call().
    }
  };
  return h('button', { type: 'button', class: 'secondary small', title: t('signoff.paper.title'), dataset: { paper: String(sign().personId) }, onclick: act }, t('signoff.paper'));
}
