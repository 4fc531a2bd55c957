// <liaison-gantt>: the Plan screen's task grid and Gantt chart, virtualized so 2,000 tasks paint like 50.
// Only the rows near the viewport, and about three viewports of the time axis, are in the DOM. Everything that
// depends on the data alone (dates as day numbers, link routes, the id → row map) is computed once per data.
// Scrolling adds and removes whole rows and chart blocks off screen and never rewrites what is visible.
// Catalog keys: gantt.today, gantt.baseline, gantt.buffer, gantt.empty, gantt.week, gantt.violated

import { h } from '../lib/dom.js';
import { t, getLang } from '../lib/i18n.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const DAY_MS = 86400000;
const ROW_H = 28;
const HEAD_H = 44;
const HEAD_MID = 22;         // the line between the two header lines
const OVERSCAN = 10;         // rows rendered beyond each edge of the viewport
const ROW_STEP = 8;          // the row window moves in steps of 8 rows (one chart block), so most frames touch no DOM
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
const LABEL_GAP = STUB + 5;  // bar labels start past the link stubs, so a link's vertical never crosses the text
const STATUSES = new Set(['not_started', 'in_progress', 'done', 'blocked', 'needs_support']);
const FORMATS = {
  monthLong: { year: 'numeric', month: 'long' },
  monthShort: { year: 'numeric', month: 'short' },
  month: { month: 'short' },
  year: { year: 'numeric' },
  date: { year: 'numeric', month: 'numeric', day: 'numeric' },
};

// Used for a paint before the element has ever been measured (data set right after it was created).
const GUESSED_METRICS = { top: 0, left: 0, gridLeft: 0, width: 1400, height: 800, scrollbar: 0 };

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

/** Keys of `data` the model is built from; `selected` and `sort` only change the paint. */
const MODEL_KEYS = ['columns', 'rows', 'links', 'today', 'zoom', 'nonWorking', 'workingWeekends', 'showChart'];

/** Whether `next` would build the same model as `prev` (the same arrays, not equal copies: that check is cheap). */
function sameModelInputs(prev, next) {
  return Boolean(prev) && MODEL_KEYS.every((k) => prev[k] === next[k]);
}

function buildModel(data) {
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
 * Keeps one element per key (a row index, a block index) under `parent`. When the wanted keys change, only
 * elements for new keys are built and only those for dropped keys removed; the rest stay untouched, so the
 * browser repaints nothing that is on screen while scrolling.
 */
class Recycler {
  constructor(parent) {
    this.parent = parent;
    this.els = new Map(); // key → element
  }

  clear() {
    this.parent.replaceChildren();
    this.els.clear();
  }

  sync(keys, build) {
    const wanted = new Set(keys);
    for (const [key, el] of this.els) {
      if (wanted.has(key)) continue;
      el.remove();
      this.els.delete(key);
    }
    const frag = document.createDocumentFragment();
    for (const key of keys) {
      if (this.els.has(key)) continue;
      const el = build(key);
      this.els.set(key, el);
      frag.append(el);
    }
    this.parent.append(frag);
  }
}

function range(r0, r1) {
  const out = new Array(r1 - r0);
  for (let i = r0; i < r1; i++) out[i - r0] = i;
  return out;
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
  #anchorDay = NaN;        // day currently ANCHOR_PX from the chart's left edge
  #shownLeft = NaN;        // chart offset currently applied to the chart and axis
  #shownGridLeft = 0;      // sideways scroll of the body currently applied to the header
  #chartW = -1;
  #metrics = null;         // scroll positions and sizes, read once per frame (reading them in the setter would force a layout)
  #pendingLeft = null;     // chart offset to hand to the native scrollbar at the next frame
  #scrollbarW = 0;         // width of the body's vertical scrollbar
  #lastPaintMs = 0;
  #carryMs = 0;            // a first paint from a guessed size, counted into the frame that completes it
  #topLabels = [];         // month/year labels that slide to stay readable while the axis scrolls
  #calendar = null;        // weekend runs, period lines and today of the horizontal window, drawn into each block
  #pointer = null;         // last pointer position, so the hover follows rows that scroll under a still mouse
  #resize = null;
  #uid = ++instances;
  #el = null;              // the fixed skeleton nodes
  #layers = null;          // Recyclers: grid rows, chart blocks

  constructor() {
    super();
    this.addEventListener('keydown', (e) => this.#onKey(e));
    this.addEventListener('wheel', (e) => this.#onWheel(e), { passive: false });
  }

  connectedCallback() {
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
    this.setAttribute('role', 'grid');
    this.#build();
    this.#resize = new ResizeObserver(() => this.#schedule(false)); // the frame reads the new size
    this.#resize.observe(this);
    this.#schedule(false); // learn the size before data arrives
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
    if (!sameModelInputs(this.#model?.data, this.#data)) this.#model = buildModel(this.#data);
    this.#selected = this.#data.selected ?? null;
    // Later data keeps the user's place, unless that place is no longer in the chart (the dates moved
    // away from it): then the chart goes home again (today, or the first start).
    const m = this.#model;
    const kept = this.#homed && this.#anchorDay >= m.day0 && (this.#anchorDay - m.day0) * m.px < m.width;
    this.#pendingDay = kept ? this.#anchorDay : m.homeDay;
    this.#applyStructure();
    // Paint from the last frame's scroll positions and size: reading them now would force a layout of the page.
    // Scroll and resize events schedule a frame that reads them afresh and adds only what this paint missed.
    this.#renderNow(true, this.#metrics);
    this.#lastPaintMs = performance.now() - t0;
    if (!this.#metrics?.width) this.#carryMs = this.#lastPaintMs; // painted from a guessed size: the next frame completes it
    if (!this.#metrics?.width || this.#pendingLeft !== null) this.#schedule(false);
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
    const { scroll: sc, hscroll: hs } = this.#el;
    if (i * ROW_H < sc.scrollTop || (i + 1) * ROW_H > sc.scrollTop + sc.clientHeight) {
      sc.scrollTop = Math.max(0, i * ROW_H - Math.floor(sc.clientHeight / 3));
    }
    const a = m.showChart && anchors(m, i);
    if (a && (a.left < hs.scrollLeft || a.left > hs.scrollLeft + hs.clientWidth - ANCHOR_PX)) {
      this.#pendingDay = null; // the row's bar wins over a first show's "today"
      this.#pendingLeft = null;
      this.#homed = true;
      hs.scrollLeft = Math.max(0, a.left - ANCHOR_PX);
    }
  }

  // ---- skeleton and structure

  /**
   * Layout: a fixed header (column heads | time axis) over one vertical scroller holding the grid and the chart
   * pane side by side, and a horizontal scrollbar under the chart. The scroller never scrolls sideways and has
   * no sticky parts: WebKitGTK composites wide sticky layers slowly. The chart and axis instead shift by a
   * transform, and only a window of about three viewports of them is ever drawn.
   */
  #build() {
    if (this.#el) return;
    const el = {};
    el.corner = h('div', { class: 'gantt-corner', role: 'row', 'aria-rowindex': 1, onclick: (e) => this.#onHeadClick(e) });
    el.axis = svg('svg', { class: 'gantt-axis', height: HEAD_H });
    el.todayPill = h('div', { class: 'gantt-today-pill', hidden: true });
    el.axisInner = h('div', { class: 'gantt-shift' }, el.axis, el.todayPill);
    el.timehead = h('div', { class: 'gantt-timehead', 'aria-hidden': 'true' }, el.axisInner);
    el.head = h('div', { class: 'gantt-head' }, el.corner, el.timehead);
    el.rows = h('div', { class: 'gantt-rows', role: 'rowgroup' });
    el.grid = h('div', { class: 'gantt-grid' }, el.rows);
    el.hatchId = `gantt-hatch-${this.#uid}`;
    // The chart is the selection and hover bands under one small <svg> per block of ROW_STEP rows. WebKit repaints
    // a whole <svg> when anything in it changes, and paints tall shapes slowly, so each block draws its own piece
    // of everything (calendar, row lines, links) and rows entering the window never touch what is on screen.
    el.defs = svg('svg', { class: 'gantt-defs', width: 0, height: 0 });
    el.defs.append(this.#defs(el.hatchId));
    el.blocks = h('div', { class: 'gantt-blocks' });
    el.chart = h('div', { class: 'gantt-shift' }, el.defs, el.blocks);
    el.selBand = h('div', { class: 'gantt-band-sel', hidden: true });
    el.hoverBand = h('div', { class: 'gantt-band-hover', hidden: true });
    el.pane = h('div', { class: 'gantt-pane', 'aria-hidden': 'true' }, el.selBand, el.hoverBand, el.chart);
    el.body = h('div', { class: 'gantt-body' }, el.grid, el.pane);
    el.scroll = h('div', {
      class: 'gantt-scroll',
      onscroll: () => this.#schedule(false),
      onclick: (e) => this.#onClick(e),
      ondblclick: (e) => this.#onDblClick(e),
      onmousemove: (e) => this.#onMove(e),
      onmouseleave: () => { this.#pointer = null; this.#setHover(-1); },
    }, el.body);
    el.hspacer = h('div', { class: 'gantt-hspacer' });
    el.hscroll = h('div', { class: 'gantt-hscroll', onscroll: () => this.#schedule(false) }, el.hspacer);
    el.empty = h('div', { class: 'gantt-empty', hidden: true });
    this.#el = el;
    this.#layers = { grid: new Recycler(el.rows), blocks: new Recycler(el.blocks) };
    this.replaceChildren(el.head, el.scroll, el.hscroll, el.empty);
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
    this.#setHover(-1); // the row under the pointer may be another one now; the next frame finds it
    const height = `${m.rows.length * ROW_H}px`;
    this.classList.toggle('gantt-list', !m.showChart);
    this.style.setProperty('--gantt-cols', m.colTemplate);
    this.style.setProperty('--gantt-grid-w', `${m.gridW}px`);
    this.setAttribute('aria-rowcount', String(m.rows.length + 1));
    el.grid.style.height = height;
    el.pane.style.height = height;
    this.#placeBand(el.selBand, m.index.get(this.#selected) ?? -1);
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

  // ---- frames: read the scroll positions once, repaint only when the rendered window must move

  #schedule(force) {
    this.#force ||= force;
    if (!this.#raf) this.#raf = requestAnimationFrame(() => { this.#raf = 0; this.#frame(); });
  }

  #frame() {
    const { scroll: sc, hscroll: hs } = this.#el;
    if (this.#pendingLeft !== null) { // the layout is fresh at the start of a frame, so this write is cheap
      hs.scrollLeft = this.#pendingLeft;
      this.#pendingLeft = null;
    }
    this.#metrics = {
      top: sc.scrollTop,
      left: hs.scrollLeft,
      gridLeft: sc.scrollLeft,
      width: sc.clientWidth,
      height: sc.clientHeight,
      scrollbar: sc.offsetWidth - sc.clientWidth,
    };
    if (!this.#model) return;
    // The reads above cost a layout only if the DOM changed since the last frame, one the browser was about to do.
    const t0 = performance.now();
    if (this.#renderNow(this.#force, this.#metrics)) this.#lastPaintMs = this.#carryMs + performance.now() - t0;
    this.#carryMs = 0;
  }

  /** Paints for the given scroll positions and size (null: not known yet); returns whether the DOM changed. */
  #renderNow(force, metrics) {
    this.#force = false;
    const m = this.#model;
    const sized = Boolean(metrics?.width);
    const mt = sized ? metrics : GUESSED_METRICS;
    const view = { top: mt.top, left: mt.left, h: mt.height, w: mt.width - m.gridW };
    const chartW = Math.max(m.width, view.w);
    if (sized && m.showChart && this.#pendingDay !== null) { // bring the pending day to the chart's left edge
      view.left = clamp(Math.round((this.#pendingDay - m.day0) * m.px - ANCHOR_PX), 0, Math.max(0, chartW - view.w));
      if (view.left !== mt.left) this.#pendingLeft = view.left;
      this.#pendingDay = null;
      this.#homed = true;
    }
    const win = this.#windowFor(view);
    const prev = this.#win;
    const xMoved = force || !prev || win.x0 !== prev.x0 || win.x1 !== prev.x1;
    const moved = xMoved || win.r0 !== prev.r0 || win.r1 !== prev.r1;
    if (moved) {
      this.#win = win;
      this.#paint(win, xMoved, force, chartW);
    }
    this.#shift(view.left, mt.gridLeft);
    if (!sized) return moved;
    this.#fitScrollbar(mt.scrollbar);
    if (m.showChart && this.#pendingDay === null) {
      this.#anchorDay = m.day0 + (view.left + ANCHOR_PX) / m.px;
      this.#slideTopLabels(view.left, view.w);
    }
    if (this.#pointer) this.#setHover(this.#rowAtY(this.#pointer.y - this.#pointer.top, view.top));
    return moved;
  }

  /** Keeps the header and the chart's scrollbar clear of the body's vertical scrollbar, so columns line up. */
  #fitScrollbar(width) {
    if (width === this.#scrollbarW) return;
    this.#scrollbarW = width;
    this.#el.head.style.paddingRight = `${width}px`;
    this.#el.hscroll.style.right = `${width}px`;
  }

  /**
   * Moves the chart and the axis to the chart's horizontal offset, and the column heads with the body when a
   * grid wider than the element scrolls sideways.
   */
  #shift(left, gridLeft) {
    if (left !== this.#shownLeft) {
      this.#shownLeft = left;
      this.#el.chart.style.transform = `translateX(${-left}px)`;
      this.#el.axisInner.style.transform = `translateX(${-left}px)`;
    }
    if (gridLeft !== this.#shownGridLeft) {
      this.#shownGridLeft = gridLeft;
      this.#el.head.style.transform = `translateX(${-gridLeft}px)`;
    }
  }

  #windowFor(view) {
    const m = this.#model;
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

  /**
   * `force` rebuilds everything (data or selection changed); a new horizontal window redraws the chart;
   * otherwise only grid rows and chart blocks entering the window are built.
   */
  #paint(win, xMoved, force, chartW) {
    const m = this.#model;
    const layers = this.#layers;
    if (force) layers.grid.clear();
    layers.grid.sync(range(win.r0, win.r1), (i) => this.#gridRow(m.rows[i], i));
    if (!m.showChart) return;
    if (chartW !== this.#chartW) {
      this.#chartW = chartW;
      this.#el.hspacer.style.width = `${chartW}px`;
    }
    if (xMoved) {
      layers.blocks.clear();
      this.#paintAxis(win);
      this.#calendar = this.#calendarFor(win);
    }
    // the row window is aligned to ROW_STEP, so it is exactly a run of whole blocks
    layers.blocks.sync(range(Math.floor(win.r0 / ROW_STEP), Math.ceil(win.r1 / ROW_STEP)), (b) => this.#block(b, win));
  }

  /**
   * Rows [b * ROW_STEP, +ROW_STEP) of the horizontal window as one <svg>: calendar and row lines, group bands,
   * link lines, bars, then arrowheads on top (so a head entering a finish is never hidden by a buffer). Every link crossing the block
   * is drawn whole and clipped by the block's edges, so a long link shows wherever the viewport is between its ends.
   */
  #block(b, win) {
    const m = this.#model;
    const r0 = b * ROW_STEP;
    const r1 = Math.min(m.rows.length, r0 + ROW_STEP);
    const top = r0 * ROW_H;
    const width = win.x1 - win.x0;
    const block = svg('svg', { class: 'gantt-block', width, height: (r1 - r0) * ROW_H });
    block.style.left = `${win.x0}px`;
    block.style.top = `${top}px`;
    const g = svg('g', { transform: `translate(${-win.x0} ${-top})` }); // draw in chart coordinates
    this.#drawCalendar(g, win, r0, r1);
    const heads = [];
    for (let i = r0; i < r1; i++) {
      if (m.rows[i].kind === 'group') g.append(svg('rect', { class: 'gantt-band', x: win.x0, y: i * ROW_H, width, height: ROW_H }));
    }
    for (const l of m.links) {
      if (l.lo >= r1 || l.hi < r0) continue;
      g.append(svg('path', { class: this.#linkClass(l, 'gantt-link'), d: l.d }));
      if (l.toRow >= r0 && l.toRow < r1) heads.push(svg('path', { class: this.#linkClass(l, 'gantt-arrow'), d: l.head }));
    }
    for (let i = r0; i < r1; i++) {
      const task = this.#taskShape(i);
      if (task) g.append(task);
    }
    g.append(...heads);
    block.append(g);
    return block;
  }

  /** Violated links in the error colour, links touching the selected task in the accent colour. */
  #linkClass(l, base) {
    if (l.violated) return `${base} gantt-link-bad`;
    const sel = this.#selected;
    return sel !== null && (l.from === sel || l.to === sel) ? `${base} gantt-link-sel` : base;
  }

  // ---- grid

  #gridRow(row, i) {
    const cls = ['gantt-row'];
    if (i === this.#hover) cls.push('gantt-hovered');
    let el;
    if (row.kind === 'group') {
      cls.push('gantt-group');
      el = h('div', { class: cls.join(' '), role: 'row', 'aria-rowindex': i + 2 },
        h('div', { class: 'gantt-cell', role: 'gridcell' },
          h('span', { class: 'gantt-group-label' }, text(row.label)),
          row.count === undefined ? null : h('span', { class: 'gantt-group-count' }, text(row.count))));
    } else {
      const selected = row.id === this.#selected;
      if (selected) cls.push('gantt-selected');
      if (row.summary) cls.push('gantt-summary-row');
      if (row.violated) cls.push('gantt-violated');
      el = h('div', { class: cls.join(' '), role: 'row', 'aria-rowindex': i + 2, 'aria-selected': String(selected) });
      for (const col of this.#model.columns) el.append(this.#cell(row, col.key));
    }
    el.style.top = `${i * ROW_H}px`; // absolutely placed: rows that stay in the window never move or repaint
    return el;
  }

  #cell(row, key) {
    const v = row[key];
    const cell = h('div', { class: typeof v === 'number' ? 'gantt-cell gantt-num' : 'gantt-cell', role: 'gridcell' });
    if (key === 'name') {
      cell.classList.add('gantt-name');
      cell.style.paddingLeft = `${8 + (row.depth || 0) * INDENT}px`;
      cell.title = row.violated ? `${text(v)}\n⚠ ${t('gantt.violated')}` : text(v);
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
    const g = svg('g', { transform: `translate(${-win.x0} 0)` });
    let off = '';
    let lines = `M${win.x0} ${HEAD_MID + 0.5}H${win.x1}`;
    for (const c of bottom) {
      const x0 = x(c.s);
      if (c.off) off += `M${x0} ${HEAD_MID}h${m.px}v${HEAD_H - HEAD_MID}h${-m.px}z`;
      lines += `M${crisp(x0)} ${HEAD_MID}V${HEAD_H}`;
    }
    if (off) g.append(svg('path', { class: 'gantt-axis-off', d: off }));
    for (const c of top) lines += `M${crisp(x(c.s))} 0V${HEAD_MID}`;
    g.append(svg('path', { class: 'gantt-axis-lines', d: lines }));
    this.#topLabels = [];
    for (const c of top) {
      const label = svg('text', { class: 'gantt-axis-top', x: x(c.s) + 8, y: 15 });
      label.textContent = c.label;
      this.#topLabels.push({ el: label, x0: x(c.s), x1: x(c.e), w: c.label.length * 7 + 8, at: x(c.s) + 8 });
      g.append(label);
    }
    for (const c of bottom) {
      const label = svg('text', { class: c.off ? 'gantt-axis-bottom gantt-offday' : 'gantt-axis-bottom', x: (x(c.s) + x(c.e)) / 2, y: 37 });
      label.textContent = c.label;
      g.append(label);
    }
    const axis = this.#el.axis;
    axis.setAttribute('width', String(win.x1 - win.x0));
    axis.style.left = `${win.x0}px`;
    axis.replaceChildren(g);
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
      const at = Math.max(l.x0 + 8, Math.min(left + 8, l.x1 - l.w));
      if (at === l.at) continue; // an unchanged attribute would still cost a repaint
      l.at = at;
      l.el.setAttribute('x', String(at));
    }
  }

  /** Weekend and holiday runs, period lines and the today line of the horizontal window, as x positions. */
  #calendarFor(win) {
    const m = this.#model;
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

  /** The calendar and the row lines behind rows [r0, r1). */
  #drawCalendar(g, win, r0, r1) {
    const cal = this.#calendar;
    const y0 = r0 * ROW_H;
    const hgt = (r1 - r0) * ROW_H;
    const vlines = (xs) => xs.map((x) => `M${x} ${y0}v${hgt}`).join('');
    let rows = '';
    for (let i = r0; i < r1; i++) rows += `M${win.x0} ${(i + 1) * ROW_H - 0.5}H${win.x1}`;
    if (cal.off.length) g.append(svg('path', { class: 'gantt-off', d: cal.off.map(([x, w]) => `M${x} ${y0}h${w}v${hgt}h${-w}z`).join('') }));
    g.append(svg('path', { class: 'gantt-rowline', d: rows }));
    if (cal.minor.length) g.append(svg('path', { class: 'gantt-vline', d: vlines(cal.minor) }));
    if (cal.major.length) g.append(svg('path', { class: 'gantt-vline gantt-vline-major', d: vlines(cal.major) }));
    if (!Number.isNaN(cal.today)) g.append(svg('path', { class: 'gantt-today', d: `M${cal.today} ${y0}v${hgt}` }));
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
    const span = (a, b) => (a === b ? format('date', a) : `${format('date', a)} – ${format('date', b)}`);
    const lines = [text(row.name), row.milestone ? format('date', m.ds[i]) : `${span(m.ds[i], m.df[i])} · ${clamp(Number(row.percent) || 0, 0, 100)}%`];
    if (!Number.isNaN(m.dbuf[i])) lines.push(`${t('gantt.buffer')}: ${span(m.df[i] + 1, m.dbuf[i])}`);
    if (!Number.isNaN(m.dbs[i])) lines.push(`${t('gantt.baseline')}: ${span(m.dbs[i], m.dbf[i])}`);
    if (row.violated) lines.push(`⚠ ${t('gantt.violated')}`);
    return lines.join('\n');
  }

  // ---- interaction

  /** Row index under a y offset from the top of the scroller, or -1 past the last row. */
  #rowAtY(y, scrollTop) {
    const i = Math.floor((y + scrollTop) / ROW_H);
    return i >= 0 && i < this.#model.rows.length ? i : -1;
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
    const rows = this.#layers.grid.els;
    rows.get(this.#hover)?.classList.remove('gantt-hovered');
    this.#hover = i;
    rows.get(i)?.classList.add('gantt-hovered');
    this.#placeBand(this.#el.hoverBand, i);
  }

  /** Moves a full-width chart band (selection, hover) to row i, or hides it for -1. */
  #placeBand(band, i) {
    band.hidden = i < 0;
    if (i >= 0) band.style.top = `${i * ROW_H}px`;
  }

  /** Sideways wheel (a trackpad, or Shift + wheel) scrolls the chart; plain wheel scrolls the rows natively. */
  #onWheel(e) {
    if (!this.#model?.showChart) return;
    const dx = e.shiftKey ? e.deltaX || e.deltaY : e.deltaX;
    if (!e.shiftKey && Math.abs(dx) <= Math.abs(e.deltaY)) return;
    e.preventDefault();
    this.#el.hscroll.scrollLeft += e.deltaMode === WheelEvent.DOM_DELTA_LINE ? dx * ROW_H : dx;
  }

  #onHeadClick(e) {
    const head = e.target.closest('[data-sort-key]');
    if (head) this.#emit('gantt-sort', { key: head.dataset.sortKey });
  }

  #onClick(e) {
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
      this.#placeBand(this.#el.selBand, i);
      this.#schedule(true);
    }
    if (reveal) this.#reveal(i);
    this.#emit('gantt-select', { id });
  }

  /** Scrolls the least needed to show row i. */
  #reveal(i) {
    const sc = this.#el.scroll;
    const top = i * ROW_H;
    if (top < sc.scrollTop) sc.scrollTop = top;
    else if (top + ROW_H > sc.scrollTop + sc.clientHeight) sc.scrollTop = top + ROW_H - sc.clientHeight;
  }

  #emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}

customElements.define('liaison-gantt', LiaisonGantt);
