// <liaison-robot-settings>: the project's group robot (组建 ▸ 沟通计划): a DingTalk, Feishu/Lark or
// WeCom incoming-webhook robot that meeting notices and the warnings can be posted to. The webhook
// and its signing secret are kept in the project file (the platforms hand them to the group
// owner); the secret is never shown again once saved.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { call, toast } from '../lib/ipc.js';
import { ask } from '../lib/confirm.js';

const KINDS = ['dingtalk', 'feishu', 'wecom'];

export class RobotSettings extends HTMLElement {
  #robot = null;
  #loaded = false;

  async connectedCallback() {
    try {
      this.#robot = await call('robot_settings', {}, { quiet: true });
    } catch {
      this.#robot = null;
    }
    this.#loaded = true;
    this.#draw();
  }

  #draw() {
    if (!this.#loaded) return;
    const r = this.#robot || { kind: 'dingtalk', url: '', secret: '' };
    const kind = h('select', { id: 'robot-kind', class: 'fit', 'aria-label': t('send.robot.kind') },
      KINDS.map((k) => h('option', { value: k, selected: r.kind === k }, t(`send.robot.kind.${k}`))));
    const url = h('input', { type: 'url', id: 'robot-url', value: r.url, placeholder: 'https://', 'data-field-key': 'send.robot.url', autocomplete: 'off' });
    const secret = h('input', { type: 'password', id: 'robot-secret', autocomplete: 'off', 'data-field-key': 'send.robot.secret',
      placeholder: r.secret ? t('send.robot.secret_saved') : t('send.robot.secret_hint') });
    const save = async () => {
      try {
        this.#robot = await call('robot_save', { robot: { kind: kind.value, url: url.value, secret: secret.value || r.secret || '' } });
        toast(t('send.robot.saved'));
        this.#draw();
      } catch {
        // Shown beside the field by call().
      }
    };
    const remove = async () => {
      if (!(await ask(t('send.robot.remove_confirm'), { ok: t('common.remove') }))) return;
      try {
        await call('robot_remove');
        this.#robot = null;
        this.#draw();
      } catch {
        // Shown by call().
      }
    };
    const test = async () => {
      try {
        const res = await call('robot_post', { post: { what: 'warnings' } });
        toast(res.status === 'sent' ? t('send.robot.posted') : t('send.ui.status.failed', { answer: res.answer }), res.status === 'sent' ? 'info' : 'error');
      } catch {
        // Shown beside the button by call().
      }
    };
    mount(this, h('section', { class: 'card', id: 'robot' },
      h('h2', {}, t('send.robot.title')),
      h('p', { class: 'muted' }, t('send.robot.hint')),
      h('div', { class: 'grid three robot-grid' },
        h('label', {}, h('span', { class: 'label' }, t('send.robot.kind')), kind),
        h('label', { class: 'wide' }, h('span', { class: 'label' }, t('send.robot.url')), url),
        h('label', {}, h('span', { class: 'label' }, t('send.robot.secret')), secret)),
      h('div', { class: 'actions' },
        this.#robot ? h('button', { type: 'button', class: 'secondary small', id: 'robot-remove', onclick: remove }, t('common.remove')) : null,
        this.#robot ? h('button', { type: 'button', class: 'secondary small', id: 'robot-post-warnings', onclick: test }, t('send.robot.post_warnings')) : null,
        h('button', { type: 'button', class: 'primary small', id: 'robot-save', onclick: save }, t('common.save')))));
  }
}
customElements.define('liaison-robot-settings', RobotSettings);
