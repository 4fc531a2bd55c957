// Dates and times as the app reads and writes them, whatever the system locale: YYYY-MM-DD and
// HH:MM. Pure functions (no DOM), tested with `node --test` in dates.test.js.

/** The years a date may have; the core refuses the same (validate.rs). */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

const pad = (n) => String(n).padStart(2, '0');

/**
 * Reads a typed date: 2026-12-16, 2026/12/16, 2026.12.16, 2026年12月16日, 20261216 (month and day
 * with one or two digits). Returns {value: 'YYYY-MM-DD'}, {value: ''} for an empty text, or
 * {error: catalog key} — `validation.date_plain` for no such date, `validation.year_range` for a
 * year outside MIN_YEAR–MAX_YEAR (a two-digit or five-digit year is never guessed).
 */
export function parseDate(text) {
  const s = String(text ?? '').trim();
  if (s === '') return { value: '' };
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s) || /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) {
    // A date whose year has other than four digits (16-12-16, 20261-12-16) names its real fault.
    const wrongYear = /^(\d+)\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?$/.exec(s);
    return { error: wrongYear ? 'validation.year_range' : 'validation.date_plain' };
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < MIN_YEAR || y > MAX_YEAR) return { error: 'validation.year_range' };
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return { error: 'validation.date_plain' };
  return { value: `${y}-${pad(mo)}-${pad(d)}` };
}

/** Reads a typed time of day, 9:05 or 09:05 (also 9.05 and 0905). Returns {value: 'HH:MM'}, {value: ''} or {error}. */
export function parseTime(text) {
  const s = String(text ?? '').trim();
  if (s === '') return { value: '' };
  const m = /^(\d{1,2})\s*[:：.]\s*(\d{2})$/.exec(s) || /^(\d{2})(\d{2})$/.exec(s);
  if (!m) return { error: 'validation.time' };
  const [hh, mm] = [Number(m[1]), Number(m[2])];
  if (hh > 23 || mm > 59) return { error: 'validation.time' };
  return { value: `${pad(hh)}:${pad(mm)}` };
}

/**
 * Reads a date with a time, "2026-12-16 10:00" (or a T between them). Returns {value:
 * 'YYYY-MM-DD HH:MM'}, {value: ''}, or {error}; a date without a time is refused (a meeting needs its hour).
 */
export function parseDateTime(text) {
  const s = String(text ?? '').trim();
  if (s === '') return { value: '' };
  const m = /^(.+?)(?:\s+|T)(\d{1,2}\s*[:：.]\s*\d{2})(?::\d{2})?$/.exec(s);
  if (!m) {
    const d = parseDate(s);
    return d.error ? d : { error: 'validation.time' };
  }
  const d = parseDate(m[1]);
  if (d.error) return d;
  const t = parseTime(m[2]);
  if (t.error) return t;
  return { value: `${d.value} ${t.value}` };
}

/** A stored date or time ("2026-12-16", "2026-12-16T10:00:00") as the field shows it. */
export function formatStored(stored, withTime) {
  const s = String(stored ?? '');
  if (!s) return '';
  return withTime ? s.slice(0, 16).replace('T', ' ') : s.slice(0, 10);
}

/** Today in local time as YYYY-MM-DD. */
export function todayIso(now = new Date()) {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function daysIn(year, month) {
  return [31, (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}
