// The Gantt chart's model, free of the DOM: calendar dates as day numbers, the date ↔ x scale per zoom,
// the rows' parsed dates and overall span, link anchors and orthogonal routes, the visible-row window, the
// calendar of a window, bar geometry and keyboard navigation. `gantt-chart.js` paints from it; unit tests
// in `gantt-model.test.js` (run by `node --test ui/`).

/** Milliseconds in a day. */
export const DAY_MS = 86400000;
/** Height of one row, in the grid and in the chart. */
export const ROW_H = 28;
export const OVERSCAN = 10;         // rows rendered beyond each edge of the viewport
export const ROW_STEP = 8;          // the row window moves in steps of 8 rows (one chart block), so most frames touch no DOM
export const PX_PER_DAY = { day: 28, week: 10, month: 3 };
export const RANGE_PAD = { day: 7, week: 14, month: 31 }; // days of air around the earliest and latest dates
export const BAR_Y = 6;
export const BAR_H = 14;
export const MID_Y = 13.5;          // links run through the bar's middle; .5 keeps 1px strokes crisp
export const BASE_Y = 22;
export const BASE_H = 3;
export const DIAMOND = 7;
export const STUB = 8;              // length of a link's horizontal stubs
export const HEAD_LEN = 5;          // arrowhead length

// ---- calendar dates as day numbers (days since 1970-01-01, UTC so daylight saving never moves a day)

export function dayNum(s) {
  if (typeof s !== 'string' || s.length < 10) return NaN;
  return Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / DAY_MS;
}

export function dateOf(dn) { return new Date(dn * DAY_MS); }

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
export function weekday(dn) { return (((dn + 4) % 7) + 7) % 7; }

export function mondayOf(dn) { return dn - ((weekday(dn) + 6) % 7); }

export function monthStart(dn) {
  const d = dateOf(dn);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS;
}

export function nextMonth(dn) {
  const d = dateOf(dn);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS;
}

export function yearStart(dn) { return Date.UTC(dateOf(dn).getUTCFullYear(), 0, 1) / DAY_MS; }

export function nextYear(dn) { return Date.UTC(dateOf(dn).getUTCFullYear() + 1, 0, 1) / DAY_MS; }

/** ISO 8601 week number: the week belongs to the year of its Thursday. */
export function isoWeek(dn) {
  const thursday = mondayOf(dn) + 3;
  return Math.floor((thursday - yearStart(thursday)) / 7) + 1;
}


export function clamp(v, lo, hi) { return Math.min(Math.max(v, lo), hi); }

/** Pixel x snapped to the middle of a device pixel, so 1px lines stay sharp. */
export function crisp(x) { return Math.round(x) + 0.5; }

// ---- the model: everything that depends on the data only, computed once per `data` set

/** Keys of `data` the model is built from; `selected` and `sort` only change the paint. */
export const MODEL_KEYS = ['columns', 'rows', 'links', 'today', 'zoom', 'nonWorking', 'workingWeekends', 'showChart'];

/** Whether `next` would build the same model as `prev` (the same arrays, not equal copies: that check is cheap). */
export function sameModelInputs(prev, next) {
  return Boolean(prev) && MODEL_KEYS.every((k) => prev[k] === next[k]);
}

export function buildModel(data) {
  const zoom = PX_PER_DAY[data.zoom] ? data.zoom : 'day';
  const rows = Array.isArray(data.rows) ? data.rows : [];
  const m = {
    data,
    zoom,
    px: PX_PER_DAY[zoom],
    rows,
    columns: Array.isArray(data.columns) ? data.columns : [],
    showChart: data.showChart !== false,
    today: dayNum(data.today),
    index: new Map(),
  };
  const span = parseDates(m);
  const lo = Number.isFinite(span.lo) ? span.lo : (Number.isNaN(m.today) ? Math.floor(Date.now() / DAY_MS) : m.today);
  const hi = Number.isFinite(span.hi) ? span.hi : lo;
  m.day0 = monthStart(lo - RANGE_PAD[zoom]);
  if (zoom !== 'month') m.day0 = mondayOf(m.day0); // whole weeks in the week header
  m.width = (nextMonth(hi + RANGE_PAD[zoom]) - m.day0) * m.px;
  const todayInRange = m.today >= m.day0 && (m.today - m.day0) * m.px < m.width;
  m.homeDay = todayInRange ? m.today : (Number.isFinite(span.firstStart) ? span.firstStart : m.day0);
  m.off = offDays(data);
  m.gridW = m.columns.reduce((sum, c) => sum + (c.width || 100), 0);
  m.colTemplate = columnTemplate(m);
  m.links = buildLinks(Array.isArray(data.links) ? data.links : [], m);
  return m;
}

/** Parses every row's dates into typed arrays (NaN = none) and returns the overall span. */
export function parseDates(m) {
  const n = m.rows.length;
  const arrays = ['ds', 'df', 'dbuf', 'dbs', 'dbf'];
  for (const a of arrays) m[a] = new Float64Array(n).fill(NaN);
  let lo = Infinity;
  let hi = -Infinity;
  let firstStart = Infinity;
  for (let i = 0; i < n; i++) {
    const r = m.rows[i];
    if (r.kind === 'group') continue;
    m.index.set(r.id, i);
    const s = dayNum(r.start);
    let f = dayNum(r.finish);
    if (!(f >= s)) f = s; // a missing or inverted finish draws a one-day bar rather than nothing
    const buf = dayNum(r.bufferFinish);
    const bs = dayNum(r.baselineStart);
    let bf = dayNum(r.baselineFinish);
    if (!(bf >= bs)) bf = bs;
    m.ds[i] = s;
    m.df[i] = f;
    m.dbuf[i] = buf > f ? buf : NaN;
    m.dbs[i] = bs;
    m.dbf[i] = bf;
    for (const a of arrays) {
      const v = m[a][i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (s < firstStart) firstStart = s;
  }
  return { lo, hi, firstStart };
}

/** Weekends unless listed as make-up working days, plus holidays. */
export function offDays(data) {
  const holidays = new Set((data.nonWorking || []).map(dayNum));
  const workdays = new Set((data.workingWeekends || []).map(dayNum));
  return (dn) => {
    if (holidays.has(dn)) return true;
    const wd = weekday(dn);
    return (wd === 0 || wd === 6) && !workdays.has(dn);
  };
}

/** CSS grid columns; in the list view the name column (or the last) takes the spare width. */
export function columnTemplate(m) {
  const stretch = m.columns.some((c) => c.key === 'name') ? 'name' : m.columns.at(-1)?.key;
  return m.columns.map((c) => {
    const w = `${c.width || 100}px`;
    return !m.showChart && c.key === stretch ? `minmax(${w}, 1fr)` : w;
  }).join(' ');
}

/** Left and right connection points of row i's bar (or diamond), or null when it has no dates. */
export function anchors(m, i) {
  const s = m.ds[i];
  if (Number.isNaN(s)) return null;
  const x = (s - m.day0) * m.px;
  if (m.rows[i].milestone) {
    const c = x + m.px / 2;
    return { left: c - DIAMOND - 1, right: c + DIAMOND + 1 };
  }
  return { left: x, right: (m.df[i] + 1 - m.day0) * m.px };
}

export function buildLinks(list, m) {
  const out = [];
  for (const l of list) {
    const i = m.index.get(l.from);
    const j = m.index.get(l.to);
    if (i === undefined || j === undefined || i === j) continue;
    const a = anchors(m, i);
    const b = anchors(m, j);
    if (!a || !b) continue;
    const kind = l.kind === 'ss' || l.kind === 'ff' ? l.kind : 'fs';
    const ax = Math.round(kind === 'ss' ? a.left : a.right);
    const bx = Math.round(kind === 'ff' ? b.right : b.left);
    out.push({
      lo: Math.min(i, j),
      hi: Math.max(i, j),
      from: l.from,
      to: l.to,
      toRow: j,
      violated: Boolean(l.violated),
      ...route(kind, ax, i * ROW_H + MID_Y, bx, j * ROW_H, j > i),
    });
  }
  return out;
}

/**
 * Orthogonal route: a stub out of the predecessor, a vertical run, a stub into the successor.
 * When a finish-to-start successor starts too early for that, the route doubles back along the row boundary.
 */
export function route(kind, ax, ay, bx, bTop, down) {
  const by = bTop + MID_Y;
  let d;
  let dir = 1; // the arrow points right into a start, left into a finish
  if (kind === 'ss') {
    d = `M${ax} ${ay}H${crisp(Math.min(ax, bx) - STUB)}V${by}H${bx}`;
  } else if (kind === 'ff') {
    d = `M${ax} ${ay}H${crisp(Math.max(ax, bx) + STUB)}V${by}H${bx}`;
    dir = -1;
  } else if (bx - ax >= 2 * STUB) {
    d = `M${ax} ${ay}H${crisp(ax + STUB)}V${by}H${bx}`;
  } else {
    const turnY = (down ? bTop : bTop + ROW_H) + 0.5;
    d = `M${ax} ${ay}H${crisp(ax + STUB)}V${turnY}H${crisp(bx - STUB)}V${by}H${bx}`;
  }
  const head = `M${bx} ${by}l${-dir * HEAD_LEN} -3.5v7z`;
  return { d, head };
}


// ---- windows, geometry and navigation the component paints from

/**
 * The rows [r0, r1) and the chart's x range [x0, x1) to render for a viewport (`top`, `left`, height `h`, chart
 * width `w`). The row window is aligned to ROW_STEP and reaches OVERSCAN rows past each edge.
 */
export function visibleWindow(m, view) {
  const n = m.rows.length;
  const first = Math.floor(view.top / ROW_H) - OVERSCAN;
  const last = Math.ceil((view.top + view.h) / ROW_H) + OVERSCAN;
  const r0 = clamp(Math.floor(first / ROW_STEP) * ROW_STEP, 0, n);
  const r1 = clamp(Math.ceil(last / ROW_STEP) * ROW_STEP, r0, n);
  if (!m.showChart) return { r0, r1, x0: 0, x1: 0 };
  // The horizontal window (blocks, calendar, axis) moves in steps of half a viewport. Widths are rounded up
  // to 512px so a slightly different size (a first paint from a guessed size) keeps the same window.
  const span = Math.ceil(Math.max(1, view.w) / 512) * 512;
  const step = span / 2;
  const k = Math.floor(view.left / step);
  return { r0, r1, x0: Math.max(0, (k - 1) * step), x1: (k + 1) * step + span + step };
}

/** Weekend and holiday runs, period lines and the today line of the horizontal window, as x positions. */
export function calendarFor(m, win) {
  const x = (dn) => (dn - m.day0) * m.px;
  const d0 = m.day0 + Math.floor(win.x0 / m.px);
  const d1 = m.day0 + Math.ceil(win.x1 / m.px);
  const cal = { off: [], minor: [], major: [], today: Number.isNaN(m.today) ? NaN : crisp(x(m.today + 0.5)) };
  if (m.zoom !== 'month') {
    for (let d = d0; d < d1; d++) {
      if (!m.off(d)) continue;
      let e = d + 1;
      while (e < d1 && m.off(e)) e++;
      cal.off.push([x(d), (e - d) * m.px]);
      d = e;
    }
  }
  if (m.zoom === 'month') { // month lines, year lines stronger
    for (let s = monthStart(d0); s < d1; s = nextMonth(s)) (s === yearStart(s) ? cal.major : cal.minor).push(crisp(x(s)));
  } else { // week lines, month lines stronger
    for (let s = mondayOf(d0); s < d1; s += 7) cal.minor.push(crisp(x(s)));
    for (let s = monthStart(d0); s < d1; s = nextMonth(s)) cal.major.push(crisp(x(s)));
  }
  return cal;
}

/** Where row i's bar starts and ends, and where its buffer ends (NaN without one), in chart pixels. */
export function barSpan(m, i) {
  const x = (dn) => (dn - m.day0) * m.px;
  const xs = x(m.ds[i]);
  const xe = Math.max(xs + 2, x(m.df[i] + 1));
  return { xs, xe, bufferEnd: Number.isNaN(m.dbuf[i]) ? NaN : x(m.dbuf[i] + 1) };
}

/** The share of a bar drawn as done, 0 to 100; a done task is full whatever its percent says. */
export function progress(row) {
  return row.status === 'done' ? 100 : clamp(Number(row.percent) || 0, 0, 100);
}

/** SVG path of a diamond centred on (c, cy) with half-diagonal r. */
export function diamond(c, cy, r) {
  return `M${c} ${cy - r}l${r} ${r}l${-r} ${r}l${-r} ${-r}z`;
}

/** Row index under a y offset from the top of the scroller, or -1 past the last row. */
export function rowAtY(m, y, scrollTop) {
  const i = Math.floor((y + scrollTop) / ROW_H);
  return i >= 0 && i < m.rows.length ? i : -1;
}

/**
 * The next task row from `from` in direction `dir`, skipping group headers, or -1; with no selection
 * (`from` -1), the first task from the first visible row `firstVisible`.
 */
export function nextTask(rows, from, dir, firstVisible) {
  let i = from;
  if (i < 0) i = dir > 0 ? firstVisible - 1 : firstVisible + 1;
  for (i += dir; i >= 0 && i < rows.length; i += dir) if (rows[i].kind !== 'group') return i;
  return -1;
}

/**
 * The time axis cells for days [d0, d1) at the model's zoom, as [top line cells, bottom line cells]; `label(kind,
 * dn)` names a cell (kinds `year`, `monthLong`, `monthShort`, `month`, `week`), a day cell shows its day of month.
 */
export function axisCells(m, d0, d1, label) {
  const top = [];
  const bottom = [];
  const topYears = m.zoom === 'month';
  for (let s = topYears ? yearStart(d0) : monthStart(d0); s < d1;) {
    const e = topYears ? nextYear(s) : nextMonth(s);
    top.push({ s, e, label: label(topYears ? 'year' : (m.zoom === 'day' ? 'monthLong' : 'monthShort'), s) });
    s = e;
  }
  if (m.zoom === 'day') {
    for (let s = d0; s < d1; s++) bottom.push({ s, e: s + 1, label: String(dateOf(s).getUTCDate()), off: m.off(s) });
  } else if (m.zoom === 'week') {
    for (let s = mondayOf(d0); s < d1; s += 7) bottom.push({ s, e: s + 7, label: label('week', s) });
  } else {
    for (let s = monthStart(d0); s < d1; s = nextMonth(s)) bottom.push({ s, e: nextMonth(s), label: label('month', s) });
  }
  return [top, bottom];
}

/** The integers [r0, r1). */
export function range(r0, r1) {
  const out = new Array(r1 - r0);
  for (let i = r0; i < r1; i++) out[i - r0] = i;
  return out;
}
