// <liaison-start-page>: shown when no project is open: new, open, sample, and the recent files.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

export class StartPage extends HTMLElement {
  #recent = [];

  set recent(list) { this.#recent = list || []; this.render(); }

  connectedCallback() { this.render(); }

  #action(name, detail) {
    this.dispatchEvent(new CustomEvent('start-action', { bubbles: true, detail: { name, ...detail } }));
  }

  render() {
    const recent = this.#recent.length
      ? h('ul', { class: 'recent-list' }, this.#recent.map((r) => h('li', { class: r.missing ? 'recent missing' : 'recent' },
          h('button', {
            type: 'button', class: 'recent-open', disabled: r.missing,
            title: r.path, onclick: () => this.#action('open-path', { path: r.path }),
          },
          h('span', { class: 'recent-name' }, r.name),
          h('span', { class: 'recent-path' }, r.path),
          r.missing ? h('span', { class: 'recent-flag' }, t('start.recent.missing')) : null),
          h('button', {
            type: 'button', class: 'link recent-forget', title: t('start.recent.remove'),
            onclick: () => this.#action('forget', { path: r.path }),
          }, t('start.recent.remove')))))
      : h('p', { class: 'muted' }, t('start.recent.none'));
    mount(this, h('section', { class: 'start' },
      h('div', { class: 'start-hero' },
        h('img', { class: 'start-mark', src: 'assets/mark.svg', alt: '' }),
        h('div', {},
          h('h1', {}, t('start.title')),
          h('p', { class: 'muted' }, t('app.tagline')))),
      h('div', { class: 'start-actions' },
        h('button', { type: 'button', class: 'primary', id: 'start-new', onclick: () => this.#action('new') }, t('start.new')),
        h('button', { type: 'button', id: 'start-open', onclick: () => this.#action('open') }, t('start.open')),
        h('button', { type: 'button', id: 'start-sample', onclick: () => this.#action('sample') }, t('start.sample')),
        h('button', { type: 'button', id: 'start-new-from', title: t('start.new_from_hint'), onclick: () => this.#action('new-from') }, t('start.new_from'))),
      h('h2', {}, t('start.recent')),
      recent));
  }
}
customElements.define('liaison-start-page', StartPage);
