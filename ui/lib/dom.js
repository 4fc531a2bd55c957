// Builds DOM nodes without HTML parsing: every string becomes a text node, so user text is never markup.

import { longestEm } from './measure.js';

/**
 * h('div', {class: 'x', onclick: fn, dataset: {k: 'v'}}, 'text', child, [more])
 * Attributes are set with setAttribute (never innerHTML); `on*` keys add listeners.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'value') {
      el.value = value;
    } else if (key === 'checked' || key === 'disabled' || key === 'selected') {
      el[key] = Boolean(value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  // A list that must show its longest choice whole (class "fit"): its width follows that choice.
  if (tag === 'select' && el.classList.contains('fit')) {
    el.style.setProperty('--fit-em', String(longestEm([...el.options].map((o) => o.textContent))));
  }
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces the children of `el` with `children`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/**
 * Runs `draw` (which replaces the children of `root`) and gives the focus back to the field that had
 * it, by id, with its caret: a redraw after a save does not take the user out of the next field.
 */
export function keepFocus(root, draw) {
  const active = document.activeElement;
  const id = active && root.contains(active) && active.id ? active.id : null;
  let range = null;
  try { range = id ? [active.selectionStart, active.selectionEnd] : null; } catch { range = null; }
  draw();
  if (!id) return;
  const again = root.querySelector(`#${CSS.escape(id)}`);
  if (!again || again.disabled) return;
  again.focus();
  if (range && range[0] !== null && typeof again.setSelectionRange === 'function') {
    try { again.setSelectionRange(range[0], range[1]); } catch { /* not a text field */ }
  }
}
