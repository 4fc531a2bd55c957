// <liaison-stage-placeholder stage="plan">: what a stage not built yet will hold.

import { h, mount } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

export class StagePlaceholder extends HTMLElement {
  connectedCallback() { this.render(); }

  render() {
    const stage = this.getAttribute('stage');
    mount(this, h('section', { class: 'placeholder' },
      h('div', { class: 'placeholder-badge' }, t('stage.coming')),
      h('h1', {}, t(`stage.${stage}`)),
      h('p', {}, t(`stage.${stage}.empty`))));
  }
}
customElements.define('liaison-stage-placeholder', StagePlaceholder);
