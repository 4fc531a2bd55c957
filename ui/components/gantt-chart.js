// <liaison-gantt>: the Plan screen's task grid and Gantt chart, virtualized so 2,000 tasks paint like 50.
// Only the rows near the viewport (and the time-axis cells near it) are in the DOM; everything that depends
// on the data alone (dates as day numbers, link routes, the id → row map) is computed once when data is set.
// Catalog keys: gantt.today, gantt.baseline, gantt.buffer, gantt.empty, gantt.week, gantt.violated

import { h } from '../lib/dom.js';
import { t, getLang } from '../lib/i18n.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const DAY_MS = 86400000;
const ROW_H = 28;
const HEAD_H = 44;
const HEAD_MID = 22;         // the line between the two header lines
const OVERSCAN = 10;         // rows rendered beyond each edge of the viewport
const ROW_STEP = 8;          // the row window moves in steps of 8 rows, so most scroll frames touch no DOM
const INDENT = 16;           // px per outline level in the name column
const ANCHOR_PX = 48;        // where "today" lands from the chart's left edge on first show
const PX_PER_DAY = { day: 28, week: 10, month: 3 };
const RANGE_PAD = { day: 7, week: 14, month: 31 }; // days of air around the earliest and latest dates
const BAR_Y = 6;
const BAR_H = 14;
const MID_Y = 13.5;          // links run through the bar's middle; .5 keeps 1px strokes crisp
const BASE_Y = 22;
const BASE_H = 3;
const DIAMOND = 7;
const STUB = 8;              // length of a link's horizontal stubs
const HEAD_LEN = 5;          // arrowhead length
const LABEL_GAP = STUB + 5;   // bar labels start past the link stubs, so a link's vertical never crosses the text
const STATUSES = new Set(['not_started', 'in_progress', 'done', 'blocked', 'needs_support']);
const FORMATS = {
  monthLong: { year: 'numeric', month: 'long' },
  monthShort: { year: 'numeric', month: 'short' },
  month: { month: 'short' },
  year: { year: 'numeric' },
  date: { year: 'numeric', month: 'numeric', day: 'numeric' },
};

let instances = 0;
const formatters = new Map();

// ---- calendar dates as day numbers (days since 1970-01-01, UTC so daylight saving never moves a day)

function dayNum(s) {
  if (typeof s !== 'string' || s.length < 10) return NaN;
  return Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / DAY_MS;
}

function dateOf(dn) { return new Date(dn * DAY_MS); }

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
function weekday(dn) { return (((dn + 4) % 7) + 7) % 7; }

function mondayOf(dn) { return dn - ((weekday(dn) + 6) % 7); }

function monthStart(dn) {
  const d = dateOf(dn);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS;
}

function nextMonth(dn) {
  const d = dateOf(dn);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS;
}

function yearStart(dn) { return Date.UTC(dateOf(dn).getUTCFullYear(), 0, 1) / DAY_MS; }

function nextYear(dn) { return Date.UTC(dateOf(dn).getUTCFullYear() + 1, 0, 1) / DAY_MS; }

/** ISO 8601 week number: the week belongs to the year of its Thursday. */
function isoWeek(dn) {
  const thursday = mondayOf(dn) + 3;
  return Math.floor((thursday - yearStart(thursday)) / 7) + 1;
}

function format(kind, dn) {
  const key = `${getLang()}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(getLang(), { ...FORMATS[kind], timeZone: 'UTC' });
    formatters.set(key, f);
  }
  return f.format(dateOf(dn));
}

// ---- small helpers

function svg(tag, attrs) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const key in attrs) el.setAttribute(key, attrs[key]);
  return el;
}

function clamp(v, lo, hi) { return Math.min(Math.max(v, lo), hi); }

/** Pixel x snapped to the middle of a device pixel, so 1px lines stay sharp. */
function crisp(x) { return Math.round(x) + 0.5; }

function text(v) { return v === null || v === undefined ? '' : String(v); }

// ---- the model: everything that depends on the data only, computed once per `data` set

function buildModel(data) {
  const zoom = PX_PER_DAY[data.zoom] ? data.zoom : 'day';
  const rows = Array.isArray(data.rows) ? data.rows : [];
  const m = {
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
function parseDates(m) {
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
function offDays(data) {
  const holidays = new Set((data.nonWorking || []).map(dayNum));
  const workdays = new Set((data.workingWeekends || []).map(dayNum));
  return (dn) => {
    if (holidays.has(dn)) return true;
    const wd = weekday(dn);
    return (wd === 0 || wd === 6) && !workdays.has(dn);
  };
}

/** CSS grid columns; in the list view the name column (or the last) takes the spare width. */
function columnTemplate(m) {
  const stretch = m.columns.some((c) => c.key === 'name') ? 'name' : m.columns.at(-1)?.key;
  return m.columns.map((c) => {
    const w = `${c.width || 100}px`;
    return !m.showChart && c.key === stretch ? `minmax(${w}, 1fr)` : w;
  }).join(' ');
}

/** Left and right connection points of row i's bar (or diamond), or null when it has no dates. */
function anchors(m, i) {
  const s = m.ds[i];
  if (Number.isNaN(s)) return null;
  const x = (s - m.day0) * m.px;
  if (m.rows[i].milestone) {
    const c = x + m.px / 2;
    return { left: c - DIAMOND - 1, right: c + DIAMOND + 1 };
  }
  return { left: x, right: (m.df[i] + 1 - m.day0) * m.px };
}

function buildLinks(list, m) {
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
function route(kind, ax, ay, bx, bTop, down) {
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

// ---- time axis cells for a day range, per zoom: [top line cells, bottom line cells]

function axisCells(m, d0, d1) {
  const top = [];
  const bottom = [];
  const topYears = m.zoom === 'month';
  for (let s = topYears ? yearStart(d0) : monthStart(d0); s < d1;) {
    const e = topYears ? nextYear(s) : nextMonth(s);
    top.push({ s, e, label: format(topYears ? 'year' : (m.zoom === 'day' ? 'monthLong' : 'monthShort'), s) });
    s = e;
  }
  if (m.zoom === 'day') {
    for (let s = d0; s < d1; s++) bottom.push({ s, e: s + 1, label: String(dateOf(s).getUTCDate()), off: m.off(s) });
  } else if (m.zoom === 'week') {
    for (let s = mondayOf(d0); s < d1; s += 7) bottom.push({ s, e: s + 7, label: t('gantt.week', { n: isoWeek(s) }) });
  } else {
    for (let s = monthStart(d0); s < d1; s = nextMonth(s)) bottom.push({ s, e: nextMonth(s), label: format('month', s) });
  }
  return [top, bottom];
}

/**
 * One element per row for a contiguous window of rows. When the window moves, only rows that enter it are
 * built and only rows that leave it are removed; the rows in between stay untouched in the DOM.
 */
class RowWindow {
  constructor(parent) {
    this.parent = parent;
    this.els = new Map(); // row index → element, or null when the row draws nothing
    this.r0 = 0;
    this.r1 = 0;
  }

  clear() {
    this.parent.replaceChildren();
    this.els.clear();
    this.r0 = 0;
    this.r1 = 0;
  }

  update(r0, r1, build) {
    for (const [i, el] of this.els) {
      if (i >= r0 && i < r1) continue;
      el?.remove();
      this.els.delete(i);
    }
    const before = document.createDocumentFragment();
    const after = document.createDocumentFragment();
    for (let i = r0; i < r1; i++) {
      if (this.els.has(i)) continue;
      const el = build(i);
      this.els.set(i, el);
      if (el) (i < this.r0 ? before : after).append(el);
    }
    this.parent.prepend(before);
    this.parent.append(after);
    this.r0 = r0;
    this.r1 = r1;
  }
}

export class LiaisonGantt extends HTMLElement {
  #data = {};
  #model = null;
  #selected = null;
  #hover = -1;
  #win = null;
  #raf = 0;
  #force = false;
  #homed = false;          // the chart has been scrolled to "today" once; later data keeps the user's place
  #pendingDay = null;      // day to bring to the chart's left edge once the element has a size
  #leftDay = NaN;          // day currently at the chart's left edge
  #chartW = -1;
  #lastPaintMs = 0;
  #gridRows = null;        // RowWindow of grid rows
  #taskRows = null;        // RowWindow of chart bars
  #topLabels = [];         // month/year labels that slide to stay readable while the axis scrolls
  #pointer = null;         // last pointer position, so the hover follows rows that scroll under a still mouse
  #resize = null;
  #uid = ++instances;
  #el = null;              // the fixed skeleton nodes

  constructor() {
    super();
    this.addEventListener('keydown', (e) => this.#onKey(e));
  }

  connectedCallback() {
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
    this.setAttribute('role', 'grid');
    this.#build();
    this.#resize = new ResizeObserver(() => this.#schedule(true));
    this.#resize.observe(this.#el.scroll);
  }

  disconnectedCallback() {
    this.#resize?.disconnect();
    cancelAnimationFrame(this.#raf);
    this.#raf = 0;
  }

  get data() { return this.#data; }

  set data(d) {
    const t0 = performance.now();
    this.#data = d || {};
    this.#build();
    this.#model = buildModel(this.#data);
    this.#selected = this.#data.selected ?? null;
    this.#pendingDay = this.#homed && !Number.isNaN(this.#leftDay) ? this.#leftDay : this.#model.homeDay;
    this.#applyStructure();
    this.#renderNow(true);
    this.#lastPaintMs = performance.now() - t0;
  }

  get lastPaintMs() { return this.#lastPaintMs; }

  get renderedRowCount() { return this.#el ? this.#el.rows.childElementCount : 0; }

  /** Re-reads labels (e.g. after a language change). */
  render() {
    if (!this.#model) return;
    this.#applyStructure();
    this.#schedule(true);
  }

  /** Scrolls so the row (and, in the chart, its bar) is visible; a far-away row lands a third down the view. */
  scrollToRow(id) {
    const m = this.#model;
    const i = m?.index.get(id);
    if (i === undefined) return;
    const sc = this.#el.scroll;
    const viewH = sc.clientHeight - HEAD_H;
    if (i * ROW_H < sc.scrollTop || (i + 1) * ROW_H > sc.scrollTop + viewH) {
      sc.scrollTop = Math.max(0, i * ROW_H - Math.floor(viewH / 3));
    }
    const a = m.showChart && anchors(m, i);
    if (a && (a.left < sc.scrollLeft || a.left > sc.scrollLeft + sc.clientWidth - m.gridW - ANCHOR_PX)) {
      sc.scrollLeft = Math.max(0, a.left - ANCHOR_PX);
    }
  }

  // ---- skeleton and structure

  #build() {
    if (this.#el) return;
    const el = {};
    el.corner = h('div', { class: 'gantt-corner', role: 'row', 'aria-rowindex': 1 });
    el.axis = svg('svg', { class: 'gantt-axis', height: HEAD_H });
    el.todayPill = h('div', { class: 'gantt-today-pill', hidden: true });
    el.timehead = h('div', { class: 'gantt-timehead', 'aria-hidden': 'true' }, el.axis, el.todayPill);
    el.rows = h('div', { class: 'gantt-rows', role: 'rowgroup' });
    el.grid = h('div', { class: 'gantt-grid' }, el.rows);
    el.hatchId = `gantt-hatch-${this.#uid}`;
    el.back = svg('g', { class: 'gantt-back' });
    el.hoverRect = svg('rect', { class: 'gantt-hover', height: ROW_H, visibility: 'hidden' });
    el.links = svg('g', { class: 'gantt-links' });
    el.tasks = svg('g', { class: 'gantt-tasks' });
    el.arrows = svg('g', { class: 'gantt-arrows' }); // above the bars, so a head entering a finish is never hidden by a buffer
    el.chart = svg('svg', { class: 'gantt-chart', 'aria-hidden': 'true' });
    el.chart.append(this.#defs(el.hatchId), el.back, el.hoverRect, el.links, el.tasks, el.arrows);
    el.empty = h('div', { class: 'gantt-empty', hidden: true });
    el.inner = h('div', { class: 'gantt-inner' }, el.corner, el.timehead, el.grid, el.chart);
    el.scroll = h('div', {
      class: 'gantt-scroll',
      onscroll: () => this.#schedule(false),
      onclick: (e) => this.#onClick(e),
      ondblclick: (e) => this.#onDblClick(e),
      onmousemove: (e) => this.#onMove(e),
      onmouseleave: () => { this.#pointer = null; this.#setHover(-1); },
    }, el.inner);
    this.#el = el;
    this.#gridRows = new RowWindow(el.rows);
    this.#taskRows = new RowWindow(el.tasks);
    this.replaceChildren(el.scroll, el.empty);
  }

  /** The diagonal hatch that marks buffer time. */
  #defs(id) {
    const pattern = svg('pattern', { id, width: 5, height: 5, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
    pattern.append(svg('rect', { class: 'gantt-hatch-bg', width: 5, height: 5 }), svg('rect', { class: 'gantt-hatch-line', width: 1.6, height: 5 }));
    const defs = svg('defs', {});
    defs.append(pattern);
    return defs;
  }

  /** Everything that changes with the data but not with scrolling. */
  #applyStructure() {
    const m = this.#model;
    const el = this.#el;
    this.classList.toggle('gantt-list', !m.showChart);
    this.style.setProperty('--gantt-cols', m.colTemplate);
    this.style.setProperty('--gantt-grid-w', `${m.gridW}px`);
    this.setAttribute('aria-rowcount', String(m.rows.length + 1));
    el.grid.style.height = `${m.rows.length * ROW_H}px`;
    el.chart.setAttribute('height', String(m.rows.length * ROW_H));
    el.empty.hidden = m.rows.length > 0;
    el.empty.textContent = t('gantt.empty');
    this.#paintColumnHeads();
  }

  #paintColumnHeads() {
    const sort = this.#data.sort;
    this.#el.corner.replaceChildren(...this.#model.columns.map((c) => {
      const active = Boolean(sort) && sort.key === c.key;
      const desc = active && sort.dir === 'desc';
      return h('div', {
        class: active ? 'gantt-head-cell gantt-sorted' : 'gantt-head-cell',
        role: 'columnheader',
        'aria-sort': active ? (desc ? 'descending' : 'ascending') : undefined,
        title: text(c.label),
        dataset: { sortKey: c.key },
      }, h('span', { class: 'gantt-head-label' }, text(c.label)),
      active ? h('span', { class: 'gantt-sort-arrow', 'aria-hidden': 'true' }, desc ? '▼' : '▲') : null);
    }));
  }

  // ---- frames: read the scroll position once, repaint only when the rendered window must move

  #schedule(force) {
    this.#force ||= force;
    if (!this.#raf) this.#raf = requestAnimationFrame(() => { this.#raf = 0; this.#frame(); });
  }

  #frame() {
    if (!this.#model) return;
    const t0 = performance.now();
    if (this.#renderNow(this.#force)) this.#lastPaintMs = performance.now() - t0;
  }

  /** Returns whether the DOM was repainted. */
  #renderNow(force) {
    this.#force = false;
    const m = this.#model;
    const sc = this.#el.scroll;
    const view = { top: sc.scrollTop, left: sc.scrollLeft, h: sc.clientHeight, w: sc.clientWidth };
    const sized = view.w > 0;
    if (!sized) { // not laid out yet: paint a plausible window; the ResizeObserver repaints once the size is known
      view.h = 800;
      view.w = 1200;
    }
    const chartW = Math.max(m.width, view.w - m.gridW);
    let jumpTo = null;
    if (sized && m.showChart && this.#pendingDay !== null) {
      jumpTo = clamp(Math.round((this.#pendingDay - m.day0) * m.px - ANCHOR_PX), 0, Math.max(0, m.gridW + chartW - view.w));
      view.left = jumpTo;
    }
    const win = this.#windowFor(view);
    const prev = this.#win;
    const moved = force || !prev || win.r0 !== prev.r0 || win.r1 !== prev.r1 || win.x0 !== prev.x0 || win.x1 !== prev.x1;
    if (moved) {
      this.#win = win;
      this.#paint(win, force || !prev || win.x0 !== prev.x0 || win.x1 !== prev.x1, force, chartW);
    }
    if (jumpTo !== null) {
      sc.scrollLeft = jumpTo;
      this.#pendingDay = null;
      this.#homed = true;
    }
    if (m.showChart && sized && this.#pendingDay === null) {
      this.#leftDay = m.day0 + view.left / m.px;
      this.#slideTopLabels(view.left, view.w - m.gridW);
    }
    if (this.#pointer) this.#setHover(this.#rowAtY(this.#pointer.y - this.#pointer.top, view.top));
    return moved;
  }

  #windowFor(view) {
    const m = this.#model;
    const n = m.rows.length;
    const first = Math.floor(view.top / ROW_H) - OVERSCAN;
    const last = Math.ceil((view.top + view.h - HEAD_H) / ROW_H) + OVERSCAN;
    const r0 = clamp(Math.floor(first / ROW_STEP) * ROW_STEP, 0, n);
    const r1 = clamp(Math.ceil(last / ROW_STEP) * ROW_STEP, r0, n);
    if (!m.showChart) return { r0, r1, x0: 0, x1: 0 };
    // the horizontal window (axis cells, weekend shading) also moves in steps, of half a viewport
    const span = Math.max(256, view.w - m.gridW);
    const step = Math.ceil(span / 2 / 64) * 64;
    const k = Math.floor(view.left / step);
    return { r0, r1, x0: Math.max(0, (k - 1) * step), x1: (k + 1) * step + span + step };
  }

  /** `force` rebuilds every row (the data or selection changed); otherwise only rows entering the window are built. */
  #paint(win, axisMoved, force, chartW) {
    const m = this.#model;
    if (force) {
      this.#gridRows.clear();
      this.#taskRows.clear();
    }
    this.#gridRows.update(win.r0, win.r1, (i) => this.#gridRow(m.rows[i], i));
    this.#el.rows.style.transform = `translateY(${win.r0 * ROW_H}px)`;
    if (!m.showChart) return;
    if (chartW !== this.#chartW) {
      this.#chartW = chartW;
      this.#el.chart.setAttribute('width', String(chartW));
      this.#el.axis.setAttribute('width', String(chartW));
    }
    if (axisMoved) this.#paintAxis(win);
    this.#paintBack(win);
    this.#paintLinks(win);
    this.#taskRows.update(win.r0, win.r1, (i) => this.#taskShape(i));
  }

  // ---- grid

  #gridRow(row, i) {
    const cls = ['gantt-row'];
    if (i === this.#hover) cls.push('gantt-hovered');
    if (row.kind === 'group') {
      cls.push('gantt-group');
      return h('div', { class: cls.join(' '), role: 'row', 'aria-rowindex': i + 2 },
        h('div', { class: 'gantt-cell', role: 'gridcell' },
          h('span', { class: 'gantt-group-label' }, text(row.label)),
          row.count === undefined ? null : h('span', { class: 'gantt-group-count' }, text(row.count))));
    }
    const selected = row.id === this.#selected;
    if (selected) cls.push('gantt-selected');
    if (row.summary) cls.push('gantt-summary-row');
    if (row.violated) cls.push('gantt-violated');
    const el = h('div', { class: cls.join(' '), role: 'row', 'aria-rowindex': i + 2, 'aria-selected': String(selected) });
    for (const col of this.#model.columns) el.append(this.#cell(row, col.key));
    return el;
  }

  #cell(row, key) {
    const v = row[key];
    const cell = h('div', { class: typeof v === 'number' ? 'gantt-cell gantt-num' : 'gantt-cell', role: 'gridcell' });
    if (key === 'name') {
      cell.classList.add('gantt-name');
      cell.style.paddingLeft = `${8 + (row.depth || 0) * INDENT}px`;
      cell.title = text(v);
      if (row.milestone) cell.append(h('span', { class: 'gantt-diamond', 'aria-hidden': 'true' }, '◆'));
    }
    cell.append(text(v));
    return cell;
  }

  // ---- chart

  #paintAxis(win) {
    const m = this.#model;
    const d0 = m.day0 + Math.floor(win.x0 / m.px);
    const d1 = m.day0 + Math.ceil(win.x1 / m.px);
    const [top, bottom] = axisCells(m, d0, d1);
    const x = (dn) => (dn - m.day0) * m.px;
    const frag = document.createDocumentFragment();
    let off = '';
    let lines = `M${win.x0} ${HEAD_MID + 0.5}H${win.x1}`;
    for (const c of bottom) {
      const x0 = x(c.s);
      if (c.off) off += `M${x0} ${HEAD_MID}h${m.px}v${HEAD_H - HEAD_MID}h${-m.px}z`;
      lines += `M${crisp(x0)} ${HEAD_MID}V${HEAD_H}`;
    }
    if (off) frag.append(svg('path', { class: 'gantt-axis-off', d: off }));
    this.#topLabels = [];
    for (const c of top) lines += `M${crisp(x(c.s))} 0V${HEAD_MID}`;
    frag.append(svg('path', { class: 'gantt-axis-lines', d: lines }));
    for (const c of top) {
      const label = svg('text', { class: 'gantt-axis-top', x: x(c.s) + 8, y: 15 });
      label.textContent = c.label;
      this.#topLabels.push({ el: label, x0: x(c.s), x1: x(c.e), w: c.label.length * 7 + 8 });
      frag.append(label);
    }
    for (const c of bottom) {
      const label = svg('text', { class: c.off ? 'gantt-axis-bottom gantt-offday' : 'gantt-axis-bottom', x: (x(c.s) + x(c.e)) / 2, y: 37 });
      label.textContent = c.label;
      frag.append(label);
    }
    this.#el.axis.replaceChildren(frag);
    const pill = this.#el.todayPill;
    pill.hidden = Number.isNaN(m.today);
    if (!pill.hidden) {
      pill.textContent = t('gantt.today');
      pill.style.left = `${crisp(x(m.today) + m.px / 2)}px`;
    }
  }

  /** Keeps each month (year) label inside the visible part of its cell, like a sticky heading. */
  #slideTopLabels(left, width) {
    for (const l of this.#topLabels) {
      if (l.x1 < left || l.x0 > left + width) continue;
      l.el.setAttribute('x', String(Math.max(l.x0 + 8, Math.min(left + 8, l.x1 - l.w))));
    }
  }

  /** Weekend shading, group bands, row and period lines, the selection band and the today line. */
  #paintBack(win) {
    const m = this.#model;
    const el = this.#el;
    const yTop = win.r0 * ROW_H;
    const height = (win.r1 - win.r0) * ROW_H;
    const x = (dn) => (dn - m.day0) * m.px;
    const d0 = m.day0 + Math.floor(win.x0 / m.px);
    const d1 = m.day0 + Math.ceil(win.x1 / m.px);
    const frag = document.createDocumentFragment();
    if (m.zoom !== 'month') {
      let off = '';
      for (let d = d0; d < d1; d++) {
        if (!m.off(d)) continue;
        let e = d + 1;
        while (e < d1 && m.off(e)) e++;
        off += `M${x(d)} ${yTop}h${(e - d) * m.px}v${height}h${-(e - d) * m.px}z`;
        d = e;
      }
      if (off) frag.append(svg('path', { class: 'gantt-off', d: off }));
    }
    let rowLines = '';
    for (let i = win.r0; i < win.r1; i++) {
      if (m.rows[i].kind === 'group') frag.append(svg('rect', { class: 'gantt-band', x: win.x0, y: i * ROW_H, width: win.x1 - win.x0, height: ROW_H }));
      rowLines += `M${win.x0} ${(i + 1) * ROW_H - 0.5}H${win.x1}`;
    }
    const sel = m.index.get(this.#selected);
    if (sel >= win.r0 && sel < win.r1) frag.append(svg('rect', { class: 'gantt-sel', x: win.x0, y: sel * ROW_H, width: win.x1 - win.x0, height: ROW_H }));
    const [minor, major] = this.#periodLines(d0, d1, yTop, height);
    frag.append(
      svg('path', { class: 'gantt-rowline', d: rowLines }),
      svg('path', { class: 'gantt-vline', d: minor }),
      svg('path', { class: 'gantt-vline gantt-vline-major', d: major }),
    );
    if (!Number.isNaN(m.today)) {
      const tx = crisp(x(m.today) + m.px / 2);
      frag.append(svg('path', { class: 'gantt-today', d: `M${tx} ${yTop}v${height}` }));
    }
    el.back.replaceChildren(frag);
    el.hoverRect.setAttribute('x', String(win.x0));
    el.hoverRect.setAttribute('width', String(win.x1 - win.x0));
  }

  /** Faint lines at week (day zoom) or month starts, stronger ones at month (or year) starts. */
  #periodLines(d0, d1, yTop, height) {
    const m = this.#model;
    const line = (dn) => `M${crisp((dn - m.day0) * m.px)} ${yTop}v${height}`;
    let minor = '';
    let major = '';
    if (m.zoom === 'month') {
      for (let s = monthStart(d0); s < d1; s = nextMonth(s)) {
        if (s === yearStart(s)) major += line(s);
        else minor += line(s);
      }
    } else {
      for (let s = mondayOf(d0); s < d1; s += 7) minor += line(s);
      for (let s = monthStart(d0); s < d1; s = nextMonth(s)) major += line(s);
    }
    return [minor || 'M0 0', major || 'M0 0'];
  }

  /** All visible links as six paths (normal, touching the selection, violated; lines and heads). */
  #paintLinks(win) {
    const buckets = { normal: [[], []], sel: [[], []], bad: [[], []] };
    const selId = this.#selected;
    for (const l of this.#model.links) {
      if (l.lo >= win.r1 || l.hi < win.r0) continue; // a long link still draws while the viewport is between its ends
      const b = l.violated ? buckets.bad : (selId !== null && (l.from === selId || l.to === selId) ? buckets.sel : buckets.normal);
      b[0].push(l.d);
      b[1].push(l.head);
    }
    const lineFrag = document.createDocumentFragment();
    const headFrag = document.createDocumentFragment();
    for (const name of ['normal', 'sel', 'bad']) { // later buckets draw on top
      const [lines, heads] = buckets[name];
      if (!lines.length) continue;
      lineFrag.append(svg('path', { class: `gantt-link gantt-link-${name}`, d: lines.join('') }));
      headFrag.append(svg('path', { class: `gantt-arrow gantt-link-${name}`, d: heads.join('') }));
    }
    this.#el.links.replaceChildren(lineFrag);
    this.#el.arrows.replaceChildren(headFrag);
  }

  #taskShape(i) {
    const m = this.#model;
    const row = m.rows[i];
    if (row.kind === 'group' || Number.isNaN(m.ds[i])) return null;
    const x = (dn) => (dn - m.day0) * m.px;
    const y = i * ROW_H;
    const cls = ['gantt-task', `gantt-st-${STATUSES.has(row.status) ? row.status : 'not_started'}`];
    if (row.id === this.#selected) cls.push('gantt-selected');
    if (row.violated) cls.push('gantt-violated');
    if (row.overdue) cls.push('gantt-overdue');
    if (row.summary) cls.push('gantt-summary-task');
    const g = svg('g', { class: cls.join(' ') });
    const xs = x(m.ds[i]);
    const xe = Math.max(xs + 2, x(m.df[i] + 1));
    let labelX = xe;
    if (row.milestone) {
      labelX = this.#milestone(g, i, xs);
    } else if (row.summary) {
      this.#baseline(g, i, y);
      g.append(svg('path', { class: 'gantt-summary', d: `M${xs} ${y + 7}H${xe}V${y + 17}l-5 -5H${xs + 5}l-5 5z` }));
    } else {
      this.#baseline(g, i, y);
      if (!Number.isNaN(m.dbuf[i])) {
        labelX = x(m.dbuf[i] + 1);
        g.append(svg('rect', { class: 'gantt-buffer', x: xe, y: y + BAR_Y, width: labelX - xe, height: BAR_H, rx: 2, fill: `url(#${this.#el.hatchId})` }));
      }
      g.append(svg('rect', { class: 'gantt-bar', x: xs, y: y + BAR_Y, width: xe - xs, height: BAR_H, rx: 3 }));
      const pct = row.status === 'done' ? 100 : clamp(Number(row.percent) || 0, 0, 100);
      if (pct > 0) g.append(svg('rect', { class: 'gantt-progress', x: xs, y: y + BAR_Y, width: (xe - xs) * pct / 100, height: BAR_H, rx: 3 }));
    }
    const label = svg('text', { class: 'gantt-label', x: labelX + LABEL_GAP, y: y + 18 });
    label.textContent = text(row.name);
    const title = svg('title', {});
    title.textContent = this.#tooltip(row, i);
    g.append(label, title);
    return g;
  }

  /** Diamond at the start date (its baseline as a hollow diamond); returns where the label may start. */
  #milestone(g, i, xs) {
    const m = this.#model;
    const cy = i * ROW_H + MID_Y;
    const diamond = (c, r) => `M${c} ${cy - r}l${r} ${r}l${-r} ${r}l${-r} ${-r}z`;
    if (!Number.isNaN(m.dbs[i]) && m.dbs[i] !== m.ds[i]) {
      g.append(svg('path', { class: 'gantt-baseline-ms', d: diamond((m.dbs[i] - m.day0) * m.px + m.px / 2, DIAMOND - 2) }));
    }
    const c = xs + m.px / 2;
    g.append(svg('path', { class: 'gantt-milestone', d: diamond(c, DIAMOND) }));
    return c + DIAMOND;
  }

  #baseline(g, i, y) {
    const m = this.#model;
    if (Number.isNaN(m.dbs[i])) return;
    const bx = (m.dbs[i] - m.day0) * m.px;
    g.append(svg('rect', { class: 'gantt-baseline', x: bx, y: y + BASE_Y, width: (m.dbf[i] + 1 - m.dbs[i]) * m.px, height: BASE_H, rx: 1 }));
  }

  #tooltip(row, i) {
    const m = this.#model;
    const range = (a, b) => (a === b ? format('date', a) : `${format('date', a)} – ${format('date', b)}`);
    const lines = [text(row.name), row.milestone ? format('date', m.ds[i]) : `${range(m.ds[i], m.df[i])} · ${clamp(Number(row.percent) || 0, 0, 100)}%`];
    if (!Number.isNaN(m.dbuf[i])) lines.push(`${t('gantt.buffer')}: ${range(m.df[i] + 1, m.dbuf[i])}`);
    if (!Number.isNaN(m.dbs[i])) lines.push(`${t('gantt.baseline')}: ${range(m.dbs[i], m.dbf[i])}`);
    if (row.violated) lines.push(`⚠ ${t('gantt.violated')}`);
    return lines.join('\n');
  }

  // ---- interaction

  /** Row index under a y offset from the top of the scroll viewport, or -1 (header, past the last row). */
  #rowAtY(y, scrollTop) {
    if (y < HEAD_H) return -1;
    const i = Math.floor((y - HEAD_H + scrollTop) / ROW_H);
    return i < this.#model.rows.length ? i : -1;
  }

  #rowAt(e) {
    if (!this.#model) return -1;
    const sc = this.#el.scroll;
    return this.#rowAtY(e.clientY - sc.getBoundingClientRect().top, sc.scrollTop);
  }

  #onMove(e) {
    if (!this.#model) return;
    this.#pointer = { y: e.clientY, top: this.#el.scroll.getBoundingClientRect().top };
    this.#setHover(this.#rowAtY(e.clientY - this.#pointer.top, this.#el.scroll.scrollTop));
  }

  #setHover(i) {
    if (i === this.#hover) return;
    this.#gridRows.els.get(this.#hover)?.classList.remove('gantt-hovered');
    this.#hover = i;
    this.#gridRows.els.get(i)?.classList.add('gantt-hovered');
    const rect = this.#el.hoverRect;
    rect.setAttribute('visibility', i < 0 ? 'hidden' : 'visible');
    if (i >= 0) rect.setAttribute('y', String(i * ROW_H));
  }

  #onClick(e) {
    const head = e.target.closest('[data-sort-key]');
    if (head) {
      this.#emit('gantt-sort', { key: head.dataset.sortKey });
      return;
    }
    const i = this.#rowAt(e);
    if (i >= 0 && this.#model.rows[i].kind !== 'group') this.#select(i, false);
  }

  #onDblClick(e) {
    const i = this.#rowAt(e);
    if (i >= 0 && this.#model.rows[i].kind !== 'group') this.#emit('gantt-open', { id: this.#model.rows[i].id });
  }

  #onKey(e) {
    if (!this.#model || e.altKey || e.ctrlKey || e.metaKey) return;
    const current = this.#model.index.get(this.#selected) ?? -1;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const i = this.#nextTask(current, e.key === 'ArrowDown' ? 1 : -1);
      if (i >= 0) this.#select(i, true);
    } else if (e.key === 'Enter' && current >= 0) {
      e.preventDefault();
      this.#emit('gantt-open', { id: this.#selected });
    }
  }

  /** The next task row from `from` in direction `dir`, skipping group headers; with no selection, the first visible task. */
  #nextTask(from, dir) {
    const rows = this.#model.rows;
    let i = from;
    if (i < 0) {
      const firstVisible = Math.floor(this.#el.scroll.scrollTop / ROW_H);
      i = dir > 0 ? firstVisible - 1 : firstVisible + 1;
    }
    for (i += dir; i >= 0 && i < rows.length; i += dir) if (rows[i].kind !== 'group') return i;
    return -1;
  }

  #select(i, reveal) {
    const id = this.#model.rows[i].id;
    if (id !== this.#selected) {
      this.#selected = id;
      this.#schedule(true);
    }
    if (reveal) this.#reveal(i);
    this.#emit('gantt-select', { id });
  }

  /** Scrolls the least needed to show row i below the sticky header. */
  #reveal(i) {
    const sc = this.#el.scroll;
    const top = i * ROW_H;
    if (top < sc.scrollTop) sc.scrollTop = top;
    else if (top + ROW_H + HEAD_H > sc.scrollTop + sc.clientHeight) sc.scrollTop = top + ROW_H + HEAD_H - sc.clientHeight;
  }

  #emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}

customElements.define('liaison-gantt', LiaisonGantt);
