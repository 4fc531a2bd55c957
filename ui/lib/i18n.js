// The UI side of the one catalog (ui/i18n/catalog.json, served by the backend): t() and data-i18n.

let catalog = {};
let lang = 'zh-CN';

export function setCatalog(c) { catalog = c || {}; }
export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh-CN';
  document.documentElement.lang = lang;
  // The classic error script (errors.js) labels its dismiss button with this.
  window.LIAISON_DISMISS = t('common.dismiss');
}
export function getLang() { return lang; }

/** The text of `key` in the current language with `{name}` placeholders filled from `params`. */
export function t(key, params = {}) {
  const entry = catalog[key];
  let text = entry ? (entry[lang] ?? entry['zh-CN']) : key;
  for (const [name, value] of Object.entries(params)) {
    text = text.split(`{${name}}`).join(String(value));
  }
  return text;
}

/** Fills every element under `root` that names a catalog key in data-i18n (text) or data-i18n-* (attributes). */
export function applyI18n(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
}
