// Exports a sheet (allocation, ledger, issues, risks, changes) to Excel where the user chooses.

import { h } from './dom.js';
import { t } from './i18n.js';
import { call } from './ipc.js';
import { exportedNotice } from './exported.js';

export async function exportXlsx(kind) {
  try {
    const done = await call('export_xlsx', { kind });
    if (done) exportedNotice(t('xlsx.exported', { path: done.path, rows: done.rows }), done.path);
  } catch {
    // Shown by call().
  }
}

/** The toolbar button that does it. */
export function xlsxButton(kind, cls = 'tool-btn') {
  return h('button', { type: 'button', class: cls, id: `xlsx-${kind}`, title: t('xlsx.export'), onclick: () => exportXlsx(kind) }, t('xlsx.export'));
}
