// <liaison-gantt>: the Plan screen's task grid and Gantt chart, virtualized so 2,000 tasks paint like 50.
// Only the rows near the viewport, and about three viewports of the time axis, are in the DOM. Everything that
// depends on the data alone (dates as day numbers, link routes, the id → row map) is computed once per data, by the
// pure model in `../lib/gantt-model.js`.
// Scrolling adds and removes whole rows and chart blocks off screen and never rewrites what is visible.
// Catalog keys: gantt.today, gantt.baseline, gantt.buffer, gantt.empty, gantt.week, gantt.violated

import { h } from '../lib/dom.js';
import { t, getLang } from '../lib/i18n.js';
import {
  BAR_H, BAR_Y, BASE_H, BASE_Y, DIAMOND, MID_Y, ROW_H, ROW_STEP, STUB,
  anchors, axisCells, barSpan, buildModel, calendarFor, clamp, crisp, dateOf, diamond, isoWeek, nextTask, progress,
  range, rowAtY, sameModelInputs, visibleWindow,
} from '../lib/gantt-model.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const HEAD_H = 44;
const HEAD_MID = 22;         // the line between the two header lines
const INDENT = 16;           // px per outline level in the name column
const ANCHOR_PX = 48;        // where "today" lands from the chart's left edge on first show
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

/** A day number as a date label of `kind` in the user's language. */
function format(kind, dn) {
  const key = `${getLang()}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(getLang(), { ...FORMATS[kind], timeZone: 'UTC' });
    formatters.set(key, f);
  }
  return f.format(dateOf(dn));
}

/** A time axis cell's label: week numbers from the catalog, months and years from the locale. */
function axisLabel(kind, dn) {
  return kind === 'week' ? t('gantt.week', { n: isoWeek(dn) }) : format(kind, dn);
}

// ---- small helpers

function svg(tag, attrs) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const key in attrs) el.setAttribute(key, attrs[key]);
  return el;
}

function text(v) { return v === null || v === undefined ? '' : String(v); }

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
    const win = visibleWindow(m, view);
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
    if (this.#pointer) this.#setHover(rowAtY(m, this.#pointer.y - this.#pointer.top, view.top));
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
      this.#calendar = calendarFor(m, win);
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
    const [top, bottom] = axisCells(m, d0, d1, axisLabel);
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
    const y = i * ROW_H;
    const cls = ['gantt-task', `gantt-st-${STATUSES.has(row.status) ? row.status : 'not_started'}`];
    if (row.id === this.#selected) cls.push('gantt-selected');
    if (row.violated) cls.push('gantt-violated');
    if (row.overdue) cls.push('gantt-overdue');
    if (row.summary) cls.push('gantt-summary-task');
    const g = svg('g', { class: cls.join(' ') });
    const { xs, xe, bufferEnd } = barSpan(m, i);
    let labelX = xe;
    if (row.milestone) {
      labelX = this.#milestone(g, i, xs);
    } else if (row.summary) {
      this.#baseline(g, i, y);
      g.append(svg('path', { class: 'gantt-summary', d: `M${xs} ${y + 7}H${xe}V${y + 17}l-5 -5H${xs + 5}l-5 5z` }));
    } else {
      this.#baseline(g, i, y);
      if (!Number.isNaN(bufferEnd)) {
        labelX = bufferEnd;
        g.append(svg('rect', { class: 'gantt-buffer', x: xe, y: y + BAR_Y, width: labelX - xe, height: BAR_H, rx: 2, fill: `url(#${this.#el.hatchId})` }));
      }
      g.append(svg('rect', { class: 'gantt-bar', x: xs, y: y + BAR_Y, width: xe - xs, height: BAR_H, rx: 3 }));
      const pct = progress(row);
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
    if (!Number.isNaN(m.dbs[i]) && m.dbs[i] !== m.ds[i]) {
      g.append(svg('path', { class: 'gantt-baseline-ms', d: diamond((m.dbs[i] - m.day0) * m.px + m.px / 2, cy, DIAMOND - 2) }));
    }
    const c = xs + m.px / 2;
    g.append(svg('path', { class: 'gantt-milestone', d: diamond(c, cy, DIAMOND) }));
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

  #rowAt(e) {
    if (!this.#model) return -1;
    const sc = this.#el.scroll;
    return rowAtY(this.#model, e.clientY - sc.getBoundingClientRect().top, sc.scrollTop);
  }

  #onMove(e) {
    if (!this.#model) return;
    this.#pointer = { y: e.clientY, top: this.#el.scroll.getBoundingClientRect().top };
    this.#setHover(rowAtY(this.#model, e.clientY - this.#pointer.top, this.#el.scroll.scrollTop));
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
      const firstVisible = Math.floor(this.#el.scroll.scrollTop / ROW_H);
      const i = nextTask(this.#model.rows, current, e.key === 'ArrowDown' ? 1 : -1, firstVisible);
      if (i >= 0) this.#select(i, true);
    } else if (e.key === 'Enter' && current >= 0) {
      e.preventDefault();
      this.#emit('gantt-open', { id: this.#selected });
    }
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
