// Unit tests of the Gantt chart's model: dates as day numbers, the scale, links, windows and geometry (run by `node --test ui/`).

import test from 'node:test';
import assert from 'node:assert/strict';
import {
  DIAMOND, MID_Y, OVERSCAN, PX_PER_DAY, ROW_H, ROW_STEP, STUB,
  anchors, axisCells, barSpan, buildModel, calendarFor, columnTemplate, dateOf, dayNum, diamond, isoWeek,
  mondayOf, monthStart, nextMonth, nextTask, offDays, progress, range, route, rowAtY, sameModelInputs,
  visibleWindow, weekday, yearStart,
} from './gantt-model.js';

const iso = (dn) => dateOf(dn).toISOString().slice(0, 10);

/** A plan of two tasks a week apart in 2026, linked finish-to-start. */
function sample(extra = {}) {
  return {
    columns: [{ key: 'outline', width: 60 }, { key: 'name', width: 200 }],
    rows: [
      { id: 1, name: 'A', start: '2026-03-02', finish: '2026-03-06', bufferFinish: '2026-03-09' },
      { kind: 'group', label: 'g' },
      { id: 2, name: 'B', start: '2026-03-10', finish: '2026-03-12', baselineStart: '2026-03-09', baselineFinish: '2026-03-11' },
      { id: 3, name: 'M', start: '2026-03-20', milestone: true },
    ],
    links: [{ from: 1, to: 2, kind: 'fs' }],
    today: '2026-03-04',
    zoom: 'day',
    ...extra,
  };
}

test('day numbers count days since 1970-01-01 and read back as the same date', () => {
  assert.equal(dayNum('1970-01-01'), 0);
  assert.equal(dayNum('1970-01-05'), 4);
  for (const s of ['2024-02-29', '2026-03-29', '2026-12-31']) assert.equal(iso(dayNum(s)), s);
  assert.ok(Number.isNaN(dayNum('')));
  assert.ok(Number.isNaN(dayNum(null)));
});

test('weekdays, Mondays, month and year starts follow the calendar', () => {
  assert.equal(weekday(dayNum('1970-01-01')), 4); // a Thursday
  assert.equal(weekday(dayNum('2026-12-06')), 0); // a Sunday
  assert.equal(iso(mondayOf(dayNum('2026-12-06'))), '2026-11-30');
  assert.equal(iso(mondayOf(dayNum('2026-11-30'))), '2026-11-30');
  assert.equal(iso(monthStart(dayNum('2026-12-31'))), '2026-12-01');
  assert.equal(iso(nextMonth(dayNum('2026-12-31'))), '2027-01-01');
  assert.equal(iso(yearStart(dayNum('2026-07-15'))), '2026-01-01');
});

test('ISO week numbers belong to the year of their Thursday', () => {
  assert.equal(isoWeek(dayNum('2021-01-03')), 53); // still 2020's last week
  assert.equal(isoWeek(dayNum('2026-01-01')), 1);
  assert.equal(isoWeek(dayNum('2024-12-30')), 1); // already 2025's first week
  assert.equal(isoWeek(dayNum('2026-03-04')), 10);
});

test('the model scales dates to pixels per zoom and starts on a Monday before the first date', () => {
  for (const zoom of ['day', 'week', 'month']) {
    const m = buildModel(sample({ zoom }));
    assert.equal(m.px, PX_PER_DAY[zoom]);
    assert.ok(m.day0 <= dayNum('2026-03-02'));
    if (zoom !== 'month') assert.equal(weekday(m.day0), 1);
    assert.ok(m.width >= (dayNum('2026-03-20') - m.day0 + 1) * m.px);
  }
  const unknown = buildModel(sample({ zoom: 'decade' }));
  assert.equal(unknown.zoom, 'day');
  assert.equal(unknown.px, PX_PER_DAY.day);
});

test('rows are indexed by id without groups, and odd dates still draw', () => {
  const m = buildModel(sample({
    rows: [
      { kind: 'group', label: 'g' },
      { id: 7, start: '2026-03-10', finish: '2026-03-05', bufferFinish: '2026-03-08' },
      { id: 8 },
    ],
  }));
  assert.deepEqual([...m.index], [[7, 1], [8, 2]]);
  assert.equal(m.df[1], m.ds[1]); // an inverted finish is a one-day bar
  assert.ok(Number.isNaN(m.dbuf[1])); // a buffer ending before the finish is none
  assert.ok(Number.isNaN(m.ds[2]));
  assert.equal(m.homeDay, dayNum('2026-03-04')); // today is in range
});

test('without today in range the chart starts at the first start', () => {
  const m = buildModel(sample({ today: '2030-01-01' }));
  assert.equal(m.homeDay, dayNum('2026-03-02'));
});

test('the model is rebuilt only when one of its inputs is another object', () => {
  const a = sample();
  assert.equal(sameModelInputs(a, { ...a, selected: 2, sort: 'name' }), true);
  assert.equal(sameModelInputs(a, { ...a, rows: [...a.rows] }), false);
  assert.equal(sameModelInputs(a, { ...a, zoom: 'week' }), false);
  assert.equal(sameModelInputs(undefined, a), false);
});

test('weekends are off unless made working days, holidays always', () => {
  const off = offDays({ nonWorking: ['2026-10-01'], workingWeekends: ['2026-10-10'] });
  assert.equal(off(dayNum('2026-10-01')), true); // a Thursday holiday
  assert.equal(off(dayNum('2026-10-02')), false);
  assert.equal(off(dayNum('2026-10-03')), true); // a Saturday
  assert.equal(off(dayNum('2026-10-10')), false); // a make-up Saturday
});

test('in the list view the name column takes the spare width', () => {
  const columns = [{ key: 'outline', width: 60 }, { key: 'name' }];
  assert.equal(columnTemplate({ columns, showChart: true }), '60px 100px');
  assert.equal(columnTemplate({ columns, showChart: false }), '60px minmax(100px, 1fr)');
  assert.equal(columnTemplate({ columns: [{ key: 'a', width: 50 }], showChart: false }), 'minmax(50px, 1fr)');
});

test('links anchor at bar ends and milestone diamonds', () => {
  const m = buildModel(sample());
  const a = anchors(m, 0);
  assert.equal(a.left, (dayNum('2026-03-02') - m.day0) * m.px);
  assert.equal(a.right, (dayNum('2026-03-07') - m.day0) * m.px);
  const ms = anchors(m, 3);
  const c = (dayNum('2026-03-20') - m.day0) * m.px + m.px / 2;
  assert.deepEqual(ms, { left: c - DIAMOND - 1, right: c + DIAMOND + 1 });
  assert.equal(anchors(buildModel(sample({ rows: [{ id: 1 }] })), 0), null);
});

test('only links between two dated rows are routed', () => {
  const m = buildModel(sample({
    links: [
      { from: 1, to: 2 }, { from: 1, to: 1 }, { from: 1, to: 99 }, { from: 2, to: 3, kind: 'ss', violated: 1 },
    ],
  }));
  assert.deepEqual(m.links.map((l) => [l.from, l.to, l.lo, l.hi, l.violated]), [[1, 2, 0, 2, false], [2, 3, 2, 3, true]]);
});

test('a finish-to-start route runs straight when there is room and doubles back when not', () => {
  const straight = route('fs', 100, MID_Y, 200, ROW_H * 2, true);
  assert.equal(straight.d, `M100 ${MID_Y}H${100 + STUB + 0.5}V${2 * ROW_H + MID_Y}H200`);
  const back = route('fs', 100, MID_Y, 104, ROW_H * 2, true);
  assert.equal((back.d.match(/V/g) || []).length, 2);
  assert.ok(back.d.includes(`V${2 * ROW_H + 0.5}`)); // along the top of the successor's row
  const up = route('fs', 100, 2 * ROW_H + MID_Y, 104, 0, false);
  assert.ok(up.d.includes(`V${ROW_H + 0.5}`)); // along the bottom of the successor's row
});

test('start-to-start and finish-to-finish routes stub out past the nearer end, arrows point into the end', () => {
  assert.ok(route('ss', 100, MID_Y, 150, ROW_H, true).d.includes(`H${100 - STUB + 0.5}`));
  assert.ok(route('ff', 100, MID_Y, 150, ROW_H, true).d.includes(`H${150 + STUB + 0.5}`));
  assert.ok(route('fs', 100, MID_Y, 150, ROW_H, true).head.includes('l-5 '));
  assert.ok(route('ff', 100, MID_Y, 150, ROW_H, true).head.includes('l5 '));
});

test('the row window covers the viewport plus overscan, in whole blocks, inside the rows', () => {
  const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i + 1 }));
  const m = { rows, showChart: true };
  const view = { top: 100 * ROW_H + 5, left: 3000, h: 20 * ROW_H, w: 900 };
  const w = visibleWindow(m, view);
  assert.equal(w.r0 % ROW_STEP, 0);
  assert.equal(w.r1 % ROW_STEP, 0);
  assert.ok(w.r0 <= 100 - OVERSCAN && w.r1 >= 121 + OVERSCAN);
  assert.ok(w.r1 - w.r0 < 20 + 2 * OVERSCAN + 2 * ROW_STEP);
  assert.ok(w.x0 <= view.left && w.x1 >= view.left + view.w);
  const top = visibleWindow({ rows: rows.slice(0, 5), showChart: false }, { top: 0, left: 0, h: 600, w: 900 });
  assert.deepEqual(top, { r0: 0, r1: 5, x0: 0, x1: 0 });
});

test('a slightly different viewport width keeps the same horizontal window', () => {
  const m = { rows: [], showChart: true };
  const a = visibleWindow(m, { top: 0, left: 5000, h: 100, w: 1000 });
  const b = visibleWindow(m, { top: 0, left: 5000, h: 100, w: 1010 });
  assert.deepEqual([a.x0, a.x1], [b.x0, b.x1]);
});

test('the calendar of a window merges weekend runs and draws week and month lines', () => {
  const m = buildModel(sample({ nonWorking: ['2026-03-09'] }));
  const x = (s) => (dayNum(s) - m.day0) * m.px;
  const cal = calendarFor(m, { x0: x('2026-03-02'), x1: x('2026-03-16') });
  assert.deepEqual(cal.off, [[x('2026-03-07'), 3 * m.px], [x('2026-03-14'), 2 * m.px]]);
  assert.deepEqual(cal.minor, [x('2026-03-02') + 0.5, x('2026-03-09') + 0.5]);
  assert.deepEqual(cal.major, [x('2026-03-01') + 0.5]);
  assert.equal(cal.today, Math.round(x('2026-03-04') + m.px / 2) + 0.5);
  const months = buildModel(sample({ zoom: 'month' }));
  assert.deepEqual(calendarFor(months, { x0: 0, x1: 400 * months.px }).off, []);
});

test('bars are at least 2px wide, a buffer ends after its last day, progress is 0 to 100', () => {
  const m = buildModel(sample());
  const b = barSpan(m, 0);
  assert.equal(b.xe - b.xs, 5 * m.px);
  assert.equal(b.bufferEnd, (dayNum('2026-03-10') - m.day0) * m.px);
  assert.ok(Number.isNaN(barSpan(m, 2).bufferEnd));
  const tiny = buildModel(sample({ zoom: 'month' }));
  assert.ok(barSpan(tiny, 3).xe - barSpan(tiny, 3).xs >= 2);
  assert.equal(progress({ status: 'done', percent: 10 }), 100);
  assert.equal(progress({ percent: 140 }), 100);
  assert.equal(progress({ percent: '35' }), 35);
  assert.equal(progress({ percent: 'x' }), 0);
  assert.equal(diamond(10, 20, 3), 'M10 17l3 3l-3 3l-3 -3z');
});

test('rows are found under the pointer and the keyboard skips group headers', () => {
  const m = buildModel(sample());
  assert.equal(rowAtY(m, 5, 0), 0);
  assert.equal(rowAtY(m, 5, 2 * ROW_H), 2);
  assert.equal(rowAtY(m, 4 * ROW_H, 0), -1);
  assert.equal(rowAtY(m, -1, 0), -1);
  assert.equal(nextTask(m.rows, 0, 1, 0), 2);
  assert.equal(nextTask(m.rows, 2, -1, 0), 0);
  assert.equal(nextTask(m.rows, 3, 1, 0), -1);
  assert.equal(nextTask(m.rows, -1, 1, 1), 2); // no selection: the first task from the first visible row
  assert.equal(nextTask(m.rows, -1, -1, 1), 0);
});

test('the axis names months on top and days, weeks or months below', () => {
  const label = (kind, dn) => `${kind}:${iso(dn)}`;
  const m = buildModel(sample());
  const d0 = dayNum('2026-02-27');
  const [top, bottom] = axisCells(m, d0, dayNum('2026-03-03'), label);
  assert.deepEqual(top.map((c) => c.label), ['monthLong:2026-02-01', 'monthLong:2026-03-01']);
  assert.deepEqual(bottom.map((c) => c.label), ['27', '28', '1', '2']);
  assert.deepEqual(bottom.map((c) => c.off), [false, true, true, false]);
  const weeks = axisCells(buildModel(sample({ zoom: 'week' })), d0, dayNum('2026-03-10'), label)[1];
  assert.deepEqual(weeks.map((c) => c.label), ['week:2026-02-23', 'week:2026-03-02', 'week:2026-03-09']);
  const years = axisCells(buildModel(sample({ zoom: 'month' })), d0, dayNum('2026-04-01'), label)[0];
  assert.deepEqual(years.map((c) => c.label), ['year:2026-01-01']);
  assert.deepEqual(range(3, 6), [3, 4, 5]);
});
