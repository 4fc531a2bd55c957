// The one date field of the app: a text input that reads and types YYYY-MM-DD (with `time`,
// YYYY-MM-DD HH:MM) in both languages whatever the system locale, checks what was typed (dates.js)
// and says what is wrong beside itself instead of sending it.

import { h } from './dom.js';
import { t } from './i18n.js';
import { parseDate, parseDateTime, parseTime, formatStored } from './dates.js';

/**
 * dateField({id, value, time, disabled, fieldKey, onchange, ...attrs}) → <input class="date-field">.
 * `value` is the stored form ("2026-12-16", "2026-12-16T10:00:00"); `onchange(value, event)` gets the
 * checked value ("2026-12-16", "2026-12-16 10:00" or "" when emptied) and is not called for a text
 * that is not a date. The input's `.value` is normalized on change, so forms that read it get it right.
 */
export function dateField({ value = '', time = false, fieldKey, onchange, class: cls, ...attrs } = {}) {
  const format = time ? 'YYYY-MM-DD HH:MM' : 'YYYY-MM-DD';
  const input = h('input', {
    type: 'text',
    class: `date-field${time ? ' with-time' : ''}${cls ? ` ${cls}` : ''}`,
    inputmode: 'numeric',
    autocomplete: 'off',
    spellcheck: 'false',
    maxlength: time ? 19 : 11,
    placeholder: format,
    title: t(time ? 'date.hint_time' : 'date.hint'),
    'data-field-key': fieldKey,
    value: formatStored(value, time),
    ...attrs,
  });
  input.addEventListener('change', (e) => checked(input, (time ? parseDateTime : parseDate)(input.value), e, onchange));
  return input;
}

/** timeField({value, onchange, ...attrs}) → <input class="time-field"> that reads and types HH:MM. */
export function timeField({ value = '', fieldKey, onchange, class: cls, ...attrs } = {}) {
  const input = h('input', {
    type: 'text', class: `time-field${cls ? ` ${cls}` : ''}`, inputmode: 'numeric', autocomplete: 'off',
    maxlength: 5, placeholder: 'HH:MM', title: t('date.hint_clock'), 'data-field-key': fieldKey, value, ...attrs,
  });
  input.addEventListener('change', (e) => checked(input, parseTime(input.value), e, onchange));
  return input;
}

/** Shows the fault of what was typed beside the field and stops the edit, or passes the value on. */
function checked(input, read, e, onchange) {
  const old = input.parentElement?.querySelector(':scope > .date-error');
  if (old) old.remove();
  if (read.error) {
    // Stop the edit here: the page's own change handlers must not send a bad value.
    e.stopImmediatePropagation();
    input.setAttribute('aria-invalid', 'true');
    input.after(h('span', { class: 'msg error date-error', role: 'alert' }, t(read.error, { value: input.value })));
    return;
  }
  input.removeAttribute('aria-invalid');
  input.value = read.value;
  if (onchange) onchange(read.value, e);
}

/** The value of a date field as the backend takes it ('' or null when empty is the caller's choice). */
export function dateValue(input) {
  const read = (input.classList.contains('with-time') ? parseDateTime : parseDate)(input.value);
  return read.error ? null : read.value;
}
