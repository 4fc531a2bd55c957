// Unit tests of the date and time parsing the date fields use (run by `node --test ui/`).

import test from 'node:test';
import assert from 'node:assert/strict';
import { parseDate, parseTime, parseDateTime, formatStored, todayIso } from './dates.js';

test('a typed ISO date reads back as itself', () => {
  assert.deepEqual(parseDate('2026-12-16'), { value: '2026-12-16' });
  assert.deepEqual(parseDate(' 2026-12-16 '), { value: '2026-12-16' });
});

test('other common spellings become YYYY-MM-DD', () => {
  assert.deepEqual(parseDate('2026/1/5'), { value: '2026-01-05' });
  assert.deepEqual(parseDate('2026.01.05'), { value: '2026-01-05' });
  assert.deepEqual(parseDate('2026年1月5日'), { value: '2026-01-05' });
  assert.deepEqual(parseDate('20260105'), { value: '2026-01-05' });
});

test('an empty field is empty, not an error', () => {
  assert.deepEqual(parseDate(''), { value: '' });
  assert.deepEqual(parseDate('   '), { value: '' });
});

test('absurd years are refused, never guessed', () => {
  assert.deepEqual(parseDate('0016-12-16'), { error: 'validation.year_range' });
  assert.deepEqual(parseDate('1999-12-31'), { error: 'validation.year_range' });
  assert.deepEqual(parseDate('2101-01-01'), { error: 'validation.year_range' });
  assert.deepEqual(parseDate('16-12-16'), { error: 'validation.year_range' });
  assert.deepEqual(parseDate('20261-12-16'), { error: 'validation.year_range' });
  assert.deepEqual(parseDate('2000-01-01'), { value: '2000-01-01' });
  assert.deepEqual(parseDate('2100-12-31'), { value: '2100-12-31' });
});

test('days that do not exist are refused; leap days are not', () => {
  assert.deepEqual(parseDate('2026-02-29'), { error: 'validation.date_plain' });
  assert.deepEqual(parseDate('2028-02-29'), { value: '2028-02-29' });
  assert.deepEqual(parseDate('2100-02-29'), { error: 'validation.date_plain' });
  assert.deepEqual(parseDate('2026-13-01'), { error: 'validation.date_plain' });
  assert.deepEqual(parseDate('2026-04-31'), { error: 'validation.date_plain' });
  assert.deepEqual(parseDate('12/16/2026'), { error: 'validation.date_plain' });
  assert.deepEqual(parseDate('tomorrow'), { error: 'validation.date_plain' });
});

test('times are HH:MM', () => {
  assert.deepEqual(parseTime('9:05'), { value: '09:05' });
  assert.deepEqual(parseTime('23:59'), { value: '23:59' });
  assert.deepEqual(parseTime('0930'), { value: '09:30' });
  assert.deepEqual(parseTime('24:00'), { error: 'validation.time' });
  assert.deepEqual(parseTime('10:60'), { error: 'validation.time' });
  assert.deepEqual(parseTime('ten'), { error: 'validation.time' });
});

test('a date with a time needs both parts', () => {
  assert.deepEqual(parseDateTime('2026-12-16 10:00'), { value: '2026-12-16 10:00' });
  assert.deepEqual(parseDateTime('2026-12-16T9:30'), { value: '2026-12-16 09:30' });
  assert.deepEqual(parseDateTime('2026-12-16T09:30:00'), { value: '2026-12-16 09:30' });
  assert.deepEqual(parseDateTime('2026-12-16'), { error: 'validation.time' });
  assert.deepEqual(parseDateTime('0016-12-16 10:00'), { error: 'validation.year_range' });
  assert.deepEqual(parseDateTime('2026-12-16 25:00'), { error: 'validation.time' });
  assert.deepEqual(parseDateTime(''), { value: '' });
});

test('stored values are shown in the field form', () => {
  assert.equal(formatStored('2026-12-16T10:00:00', true), '2026-12-16 10:00');
  assert.equal(formatStored('2026-12-16', false), '2026-12-16');
  assert.equal(formatStored(null, false), '');
});

test('today is the local date', () => {
  assert.equal(todayIso(new Date(2026, 0, 5, 23, 30)), '2026-01-05');
});
