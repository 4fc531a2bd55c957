// Runs one edit against the backend and reports it in the top bar's save indicator.

import { call, clearRefusals } from './ipc.js';

function report(from, state) {
  from.dispatchEvent(new CustomEvent('save-state', { bubbles: true, detail: { state } }));
}

/**
 * Calls `cmd` as an edit: saving → saved; a refusal → refused (shown beside its control; nothing
 * failed to save); a real failure → failed with the message shown. Resolves to the result or null.
 */
export async function edit(from, cmd, args) {
  clearRefusals();
  report(from, 'saving');
  try {
    const result = await call(cmd, args);
    report(from, 'saved');
    return result ?? true;
  } catch (err) {
    report(from, err && err.refusal ? 'refused' : 'failed');
    return null;
  }
}
