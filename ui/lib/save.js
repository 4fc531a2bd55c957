// Runs one edit against the backend and reports it in the top bar's save indicator.

import { call } from './ipc.js';

function report(from, state) {
  from.dispatchEvent(new CustomEvent('save-state', { bubbles: true, detail: { state } }));
}

/** Calls `cmd` as an edit: saving → saved, or failed with the message shown; resolves to the result or null. */
export async function edit(from, cmd, args) {
  report(from, 'saving');
  try {
    const result = await call(cmd, args);
    report(from, 'saved');
    return result ?? true;
  } catch {
    report(from, 'failed');
    return null;
  }
}
