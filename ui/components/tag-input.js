// <liaison-tag-input>: a list of short names (departments) typed one by one, shown as removable chips.
// The text box stays the same element while chips come and go, so focus and typing are never lost.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

export class TagInput extends HTMLElement {
  #values = [];
  #chips = null;
  #input = null;

  connectedCallback() { this.#build(); }

  get value() { return [...this.#values]; }
  set value(v) { this.#values = Array.isArray(v) ? [...v] : []; if (this.#chips) this.#renderChips(); }

  /** Re-reads labels after a language change. */
  render() { this.#build(); }

  #commit(text) {
    const parts = text.split(/[,，、;；\n]/).map((s) => s.trim()).filter(Boolean);
    let changed = false;
    for (const p of parts) if (!this.#values.includes(p)) { this.#values.push(p); changed = true; }
    if (changed) { this.#renderChips(); this.#changed(); }
  }

  #remove(i) {
    this.#values.splice(i, 1);
    this.#renderChips();
    this.#changed();
    this.#input.focus();
  }

  #changed() { this.dispatchEvent(new Event('change', { bubbles: true })); }

  #build() {
    this.#chips = h('span', { class: 'tags' });
    this.#input = h('input', {
      type: 'text',
      class: 'tag-entry',
      id: this.getAttribute('input-id') || undefined,
      placeholder: t('hint.departments'),
      onkeydown: (e) => {
        if (e.key === 'Enter' || e.key === ',' || e.key === '，') {
          e.preventDefault();
          this.#commit(e.target.value);
          e.target.value = '';
        } else if (e.key === 'Backspace' && !e.target.value && this.#values.length) {
          this.#remove(this.#values.length - 1);
        }
      },
      onblur: (e) => { if (e.target.value.trim()) { this.#commit(e.target.value); e.target.value = ''; } },
      oninput: (e) => e.stopPropagation(),
    });
    mount(this, this.#chips, this.#input);
    this.#renderChips();
  }

  #renderChips() {
    mount(this.#chips, this.#values.map((v, i) => h('span', { class: 'tag' },
      h('span', { class: 'tag-text' }, v),
      h('button', { type: 'button', class: 'tag-remove', title: t('common.remove'), 'aria-label': t('common.remove'), onclick: () => this.#remove(i) }, '×'))));
  }
}
customElements.define('liaison-tag-input', TagInput);
