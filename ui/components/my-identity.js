// <liaison-my-identity>: Preferences ▸ 我的签名身份 — create a personal signing key (kept
// encrypted with a passphrase in the settings folder), show its fingerprint for checking by phone,
// export the identity card for the coordinator.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call, toast } from '../lib/ipc.js';
import { openRequest } from './sign-request.js';

export class MyIdentity extends HTMLElement {
  #me = null;

  async connectedCallback() {
    this.#draw();
    try {
      this.#me = await call('my_identity', {}, { quiet: true });
    } catch {
      this.#me = null;
    }
    this.#draw();
  }

  #draw() {
    mount(this, h('fieldset', { class: 'my-identity' },
      h('legend', {}, t('prefs.identity')),
      this.#me ? this.#existing() : this.#create()));
  }

  #existing() {
    const me = this.#me;
    const pass = h('input', { type: 'password', id: 'identity-card-passphrase', autocomplete: 'current-password', placeholder: t('prefs.identity.passphrase'), 'aria-label': t('prefs.identity.passphrase') });
    const exportCard = async () => {
      try {
        const path = await call('identity_export_card', { passphrase: pass.value });
        pass.value = '';
        if (path) toast(t('prefs.identity.card_saved', { path }));
      } catch {
        // Shown by call().
      }
    };
    return [
      h('p', {}, h('strong', {}, me.holder.name), ` ${me.holder.department}`),
      h('div', { class: 'fingerprint' },
        h('span', { class: 'fp-label' }, t('prefs.identity.fingerprint')),
        h('code', { class: 'fp', id: 'identity-fingerprint' }, me.grouped)),
      h('p', { class: 'muted' }, t('prefs.identity.fingerprint_note')),
      h('div', { class: 'person-add' }, pass,
        h('button', { type: 'button', class: 'secondary', id: 'identity-export-card', onclick: exportCard }, t('prefs.identity.export_card'))),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', id: 'identity-open-request', onclick: openRequest }, t('request.open'))),
    ];
  }

  #create() {
    const field = (id, key, type = 'text') => h('input', { type, id, placeholder: t(key), 'aria-label': t(key), autocomplete: type === 'password' ? 'new-password' : 'off' });
    const name = field('identity-name', 'field.person.name');
    const dept = field('identity-department', 'field.person.department');
    const role = field('identity-role', 'field.person.role');
    const pass = field('identity-passphrase', 'prefs.identity.passphrase', 'password');
    const again = field('identity-passphrase-again', 'prefs.identity.passphrase_again', 'password');
    const create = async () => {
      if (pass.value !== again.value) {
        toast(t('keys.passphrase_mismatch'), 'warning');
        return;
      }
      try {
        this.#me = await call('identity_create', { name: name.value, department: dept.value, role: role.value, passphrase: pass.value });
        toast(t('prefs.identity.created'));
        this.#draw();
      } catch {
        // Shown by call().
      }
    };
    return [
      h('p', { class: 'muted' }, t('prefs.identity.none')),
      h('div', { class: 'person-add' }, name, dept, role),
      h('div', { class: 'person-add' }, pass, again,
        h('button', { type: 'button', class: 'secondary', id: 'identity-create', onclick: create }, t('prefs.identity.create'))),
    ];
  }
}
customElements.define('liaison-my-identity', MyIdentity);
