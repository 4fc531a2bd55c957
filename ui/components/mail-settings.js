// <liaison-mail-settings>: Preferences ▸ 邮件 — the company's SMTP server that notices, minutes and
// signing requests go out through. The password goes to the OS's keychain (or, where there is
// none, is kept for this session only, and the dialog says so); it is never shown again.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call } from '../lib/ipc.js';

const SECURITY = ['starttls', 'tls', 'none'];

export class MailSettings extends HTMLElement {
  #s = null;
  #note = '';

  async connectedCallback() {
    this.#draw();
    try {
      this.#s = await call('mail_settings', {}, { quiet: true });
    } catch {
      this.#s = null;
    }
    this.#draw();
  }

  #draw() {
    if (!this.#s) {
      mount(this, h('fieldset', { class: 'mail-settings' }, h('legend', {}, t('prefs.mail'))));
      return;
    }
    const s = this.#s.smtp;
    const input = (id, key, value, attrs = {}) => [
      h('label', { for: id }, t(key)),
      h('input', { type: 'text', id, value: value ?? '', autocomplete: 'off', ...attrs }),
    ];
    const security = h('select', { id: 'mail-security', 'data-field-key': 'prefs.smtp.security' },
      SECURITY.map((v) => h('option', { value: v, selected: s.security === v }, t(`prefs.smtp.security.${v}`))));
    const note = h('p', { class: 'muted', id: 'mail-note', role: 'status' }, this.#note);
    const read = () => ({
      host: this.querySelector('#mail-host').value,
      port: Number(this.querySelector('#mail-port').value) || 0,
      security: security.value,
      username: this.querySelector('#mail-username').value,
      fromAddress: this.querySelector('#mail-from').value,
      fromName: this.querySelector('#mail-from-name').value,
    });
    const save = async () => {
      const password = this.querySelector('#mail-password').value;
      try {
        this.#s = await call('mail_settings_save', { smtp: read(), password: password || null });
        this.#note = this.#s.kept === 'session' ? t('prefs.mail.kept_session')
          : this.#s.kept === 'keychain' ? t('prefs.mail.kept_keychain') : t('prefs.mail.saved');
        this.#draw();
      } catch {
        // Shown beside the field by call().
      }
    };
    const test = async () => {
      note.textContent = t('prefs.mail.testing');
      try {
        const problem = await call('mail_test', {});
        this.#note = problem ? t('prefs.mail.test_failed', { answer: problem }) : t('prefs.mail.test_ok');
      } catch (err) {
        this.#note = err.message;
      }
      this.#draw();
    };
    const forget = async () => {
      try {
        this.#s = await call('mail_forget_password', {});
        this.#note = t('prefs.mail.forgotten');
        this.#draw();
      } catch {
        // Shown by call().
      }
    };
    mount(this, h('fieldset', { class: 'mail-settings', id: 'mail-settings' },
      h('legend', {}, t('prefs.mail')),
      this.#s.overriddenBy ? h('p', { class: 'msg warning' }, t('prefs.mail.overridden', { value: this.#s.overriddenBy })) : null,
      h('div', { class: 'mail-grid' },
        input('mail-host', 'prefs.smtp.host', s.host, { placeholder: 'smtp.example.com', 'data-field-key': 'prefs.smtp.host' }),
        input('mail-port', 'prefs.smtp.port', s.port ? String(s.port) : '', { inputmode: 'numeric', placeholder: t('prefs.smtp.port_default') }),
        h('label', { for: 'mail-security' }, t('prefs.smtp.security')), security,
        input('mail-username', 'prefs.smtp.username', s.username, { 'data-field-key': 'prefs.smtp.username' }),
        h('label', { for: 'mail-password' }, t('prefs.smtp.password')),
        h('input', { type: 'password', id: 'mail-password', autocomplete: 'new-password', placeholder: this.#s.passwordSaved ? t('prefs.mail.password_saved') : '' }),
        input('mail-from', 'prefs.smtp.from_address', s.fromAddress, { placeholder: 'name@example.com', 'data-field-key': 'prefs.smtp.from_address' }),
        input('mail-from-name', 'prefs.smtp.from_name', s.fromName, { 'data-field-key': 'prefs.smtp.from_name' })),
      note,
      h('div', { class: 'actions' },
        this.#s.passwordSaved ? h('button', { type: 'button', class: 'secondary small', id: 'mail-forget', onclick: forget }, t('prefs.mail.forget')) : null,
        h('button', { type: 'button', class: 'secondary small', id: 'mail-test', onclick: test }, t('prefs.mail.test')),
        h('button', { type: 'button', class: 'secondary small', id: 'mail-save', onclick: save }, t('prefs.mail.save')))));
  }
}
customElements.define('liaison-mail-settings', MailSettings);
