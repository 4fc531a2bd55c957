// An archived project is read-only: one mechanism for every screen. The shell marks the stage root
// `readonly`; every edit control under it (input, select, textarea, button) is disabled as soon as it
// is drawn, while the controls that only look (tabs, filters, search, zoom, export, history) stay
// usable. A control that only looks and is not in VIEW_ONLY says so with a `data-view` attribute.

/** The controls that change nothing in the project. */
export const VIEW_ONLY = [
  '[data-view]', '[data-view] *',
  '.tabs button', '.seg button', '.filters *', 'input[type="search"]',
  '[id^="tab-"]', '[id^="xlsx-"]', '[id*="export"]', '[id$="-history"]', '#history-open',
  '#calendar-open', '[data-zoom]', '.dialog-head button', '.refusal button', 'summary',
  'button.stat', '.warning-link', '#ledger-more', 'button.chip.link', '#view-chart', '#view-list',
].join(', ');

const CONTROLS = 'input, select, textarea, button';

/** Disables the edit controls under `root` (itself included), remembering which it disabled. */
export function disableEdits(root) {
  const all = root.matches?.(CONTROLS) ? [root, ...root.querySelectorAll(CONTROLS)] : root.querySelectorAll(CONTROLS);
  for (const el of all) {
    if (el.disabled || el.matches(VIEW_ONLY)) continue;
    el.disabled = true;
    el.dataset.readonly = '';
  }
}

let observer = null;

/**
 * Puts `root` (the stage root) in the read-only state or out of it. While on, everything drawn
 * under it later (a screen redrawn, a tab opened, a dialog) is disabled too.
 */
export function setReadOnly(root, on) {
  observer?.disconnect();
  observer = null;
  root.classList.toggle('readonly', on);
  document.body.classList.toggle('read-only', on);
  if (!on) {
    for (const el of root.querySelectorAll('[data-readonly]')) { el.disabled = false; delete el.dataset.readonly; }
    return;
  }
  disableEdits(root);
  observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') {
        // A screen that redraws a control's state (disabled = false) does not undo read-only.
        if (r.target.matches(CONTROLS) && !r.target.disabled) disableEdits(r.target);
        continue;
      }
      for (const node of r.addedNodes) if (node.nodeType === 1) disableEdits(node);
    }
  });
  observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
}
