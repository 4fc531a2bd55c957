// <liaison-prefs>: the Preferences dialog's content: the user's display name and the language.

import { h, mount } from '../lib/dom.js';
import { t, getLang } from '../lib/i18n.js';
import './my-identity.js';
import './mail-settings.js';

export class Prefs extends HTMLElement {
  #name = '';
  // Drawn when first opened: its parts (signing identity, mail server) ask the backend for their
  // state, which start-up must not wait for.
  #opened = false;

  set displayName(v) { this.#name = v || ''; this.#opened = true; this.render(); }

  render() {
    if (!this.#opened) return;
    const name = h('input', { type: 'text', id: 'prefs-name', value: this.#name, maxlength: '100', placeholder: t('prefs.display_name.hint') });
    const lang = h('select', { id: 'prefs-lang' },
      h('option', { value: 'zh-CN', selected: getLang() === 'zh-CN' }, '中文（简体）'),
      h('option', { value: 'en', selected: getLang() === 'en' }, 'English'));
    const done = (save) => this.dispatchEvent(new CustomEvent('prefs-done', {
      bubbles: true, detail: save ? { displayName: name.value, language: lang.value } : null,
    }));
    mount(this, h('form', { class: 'prefs', method: 'dialog', onsubmit: (e) => { e.preventDefault(); done(true); } },
      h('h2', {}, t('prefs.title')),
      h('label', { for: 'prefs-name' }, t('prefs.display_name')), name,
      h('label', { for: 'prefs-lang' }, t('prefs.language')), lang,
      h('liaison-my-identity', {}),
      h('liaison-mail-settings', {}),
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', onclick: () => done(false) }, t('common.cancel')),
        h('button', { type: 'submit', class: 'primary', id: 'prefs-save' }, t('common.save')))));
  }
}
customElements.define('liaison-prefs', Prefs);
