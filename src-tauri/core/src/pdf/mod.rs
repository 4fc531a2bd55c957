//! PDF documents with our own layout on printpdf's drawing operations.
//!
//! A [`Doc`] is a list of blocks (title block, headings, paragraphs, tables, a sign-off block).
//! [`render`] lays them out on A4 pages: text wraps by the Chinese rules of [`text`], table cells
//! wrap and a table's header row repeats on every page it runs onto, a row taller than what is
//! left of a page continues on the next one, and every page gets a running header and a footer
//! with the fingerprint and "第 x 页 / 共 y 页". Layout first produces a page-independent draw
//! list; only then, with the page count and the faces used known, is it turned into PDF
//! operations, so a font the document does not use is not embedded at all.

pub mod font_places;
pub mod fonts;
mod sfnt;
pub mod text;

use crate::error::{Error, Result};
use crate::i18n::{self, Lang};
pub use fonts::{Fonts, Glyph};
use printpdf::{
    Codepoint, Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextRenderingMode,
};

mod emit;
use emit::*;

/// One column of a table: its title and its share of the width.
#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    pub weight: f32,
}

impl Column {
    pub fn new(title: impl Into<String>, weight: f32) -> Column {
        Column {
            title: title.into(),
            weight,
        }
    }
}

/// A table: a header row (repeated on each page) unless `columns` have no titles; `label_first`
/// shades the first column (a form of label and value pairs).
#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    pub label_first: bool,
    /// The least height of a row (room for a handwritten signature).
    pub min_row: f32,
}

/// What a page holds, in reading order.
#[derive(Debug, Clone)]
pub enum Block {
    /// A section heading, kept with what follows it.
    Heading(String),
    /// A paragraph of running text.
    Para(String),
    /// A small grey note.
    Note(String),
    Table(Table),
    /// A table whose cells at (row, column) are shaded amber: a figure below its target, marked
    /// as the app marks it.
    MarkedTable(Table, Vec<(usize, usize)>),
    /// Label and value pairs, as a two-column form.
    Fields(Vec<(String, String)>),
    /// Starts a new page (between the sections of a combined document).
    PageBreak,
    /// A bookmark in the reader's outline at this point.
    Bookmark(String),
}

/// A document to render.
#[derive(Debug, Clone)]
pub struct Doc {
    pub lang: Lang,
    /// The large title on the first page and in the running header (项目登记表).
    pub title: String,
    /// The line under the title (the project's name).
    pub subtitle: String,
    pub landscape: bool,
    pub blocks: Vec<Block>,
    /// The fingerprint printed in every footer.
    pub fingerprint: String,
    /// Metadata: author (the user), subject, identifier (machine-readable, for `liaison verify`).
    pub author: String,
    pub subject: String,
    pub identifier: String,
    pub keywords: Vec<String>,
}

/// A rendered document: the bytes, its page count and the characters no font had.
#[derive(Debug)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub missing: Vec<char>,
}

const A4: (f32, f32) = (595.28, 841.89);
const MARGIN_X: f32 = 50.0;
const TOP: f32 = 58.0;
const BOTTOM: f32 = 58.0;
const BODY: f32 = 10.0;
const SMALL: f32 = 9.0;
const PAD_X: f32 = 4.0;
const PAD_Y: f32 = 3.5;
const LINE: f32 = 1.45;

/// Something to draw, positioned on a page (y up from the bottom, as in PDF).
enum Item {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        grey: f32,
        text: String,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        tint: Tint,
    },
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        grey: f32,
    },
}

/// A fill: a grey level (0 black, 1 white), or the amber of a figure below its target.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tint {
    Grey(f32),
    Amber,
}

/// The layout state: pages of items and the cursor on the last one.
struct Layout<'a> {
    fonts: &'a Fonts,
    w: f32,
    h: f32,
    pages: Vec<Vec<Item>>,
    bookmarks: Vec<(String, usize)>,
    y: f32,
}

impl<'a> Layout<'a> {
    fn content_w(&self) -> f32 {
        self.w - 2.0 * MARGIN_X
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.h - TOP;
    }

    fn room(&self) -> f32 {
        self.y - BOTTOM
    }

    fn push(&mut self, item: Item) {
        self.pages.last_mut().expect("a page").push(item);
    }

    fn text_w(&self, s: &str, size: f32) -> f32 {
        s.chars().map(|c| self.fonts.width(c, size)).sum()
    }

    fn wrap(&self, s: &str, size: f32, max: f32) -> Vec<String> {
        text::break_lines(s, max, |c| self.fonts.width(c, size))
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, grey: f32, s: &str) {
        if !s.is_empty() {
            self.push(Item::Text {
                x,
                y,
                size,
                bold,
                grey,
                text: s.to_string(),
            });
        }
    }

    fn rule(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, grey: f32) {
        self.push(Item::Rule {
            x1,
            y1,
            x2,
            y2,
            width,
            grey,
        });
    }

    /// Ensures `need` points are left on the page, starting a new one otherwise.
    fn ensure(&mut self, need: f32) {
        if self.room() < need {
            self.new_page();
        }
    }

    fn title_block(&mut self, title: &str, subtitle: &str) {
        let size = 18.0;
        let tw = self.text_w(title, size);
        let x = (self.w - tw) / 2.0;
        self.y -= size;
        self.text(x, self.y, size, true, 0.0, title);
        self.y -= 10.0;
        if !subtitle.is_empty() {
            for l in self.wrap(subtitle, 11.0, self.content_w()) {
                let lw = self.text_w(&l, 11.0);
                self.y -= 11.0 * LINE;
                self.text((self.w - lw) / 2.0, self.y, 11.0, false, 0.25, &l);
            }
        }
        self.y -= 8.0;
        let (x1, x2) = (MARGIN_X, self.w - MARGIN_X);
        self.rule(x1, self.y, x2, self.y, 1.2, 0.0);
        self.y -= 2.5;
        self.rule(x1, self.y, x2, self.y, 0.4, 0.0);
        self.y -= 14.0;
    }

    /// A heading, kept on one page with the start of what follows (`follow`: see `lead`).
    fn heading(&mut self, s: &str, follow: f32) {
        let size = 12.0;
        let lines = self.wrap(s, size, self.content_w());
        // Never more than half a page, so a long first block cannot push headings on forever.
        let follow = follow
            .max(3.0 * BODY * LINE)
            .min((self.h - TOP - BOTTOM) / 2.0);
        self.ensure(lines.len() as f32 * size * LINE + 12.0 + follow);
        self.y -= 6.0;
        for l in &lines {
            self.y -= size * LINE;
            self.text(MARGIN_X, self.y + 3.0, size, true, 0.0, l);
        }
        self.rule(MARGIN_X, self.y, self.w - MARGIN_X, self.y, 0.5, 0.55);
        self.y -= 6.0;
    }

    fn para(&mut self, s: &str, size: f32, grey: f32) {
        let lh = size * LINE;
        for l in self.wrap(s, size, self.content_w()) {
            self.ensure(lh);
            self.y -= lh;
            self.text(MARGIN_X, self.y + size * 0.3, size, false, grey, &l);
        }
        self.y -= size * 0.5;
    }

    /// Draws the header row of a table at the cursor.
    fn header_row(&mut self, xs: &[f32], titles: &[Vec<String>]) {
        let lh = SMALL * LINE;
        let n = titles.iter().map(Vec::len).max().unwrap_or(1) as f32;
        let h = n * lh + 2.0 * PAD_Y;
        let top = self.y;
        let right = *xs.last().expect("columns");
        self.push(Item::Fill {
            x: xs[0],
            y: top - h,
            w: right - xs[0],
            h,
            tint: Tint::Grey(0.9),
        });
        for (i, lines) in titles.iter().enumerate() {
            for (k, l) in lines.iter().enumerate() {
                let y = top - PAD_Y - (k as f32 + 1.0) * lh + SMALL * 0.3;
                self.text(xs[i] + PAD_X, y, SMALL, true, 0.0, l);
            }
        }
        self.hline(xs, top - h);
        self.y = top - h;
    }

    /// A horizontal table border at `y`.
    fn hline(&mut self, xs: &[f32], y: f32) {
        let right = *xs.last().expect("columns");
        self.rule(xs[0], y, right, y, 0.5, 0.35);
    }

    /// Starts the part of a table on this page: the header row (when any) under a top border.
    fn open_segment(&mut self, xs: &[f32], titles: &[Vec<String>], header: bool) -> f32 {
        let top = self.y;
        self.hline(xs, top);
        if header {
            self.header_row(xs, titles);
        }
        top
    }

    /// Ends the part of a table on this page: the column borders from `top` down to the cursor.
    fn close_segment(&mut self, xs: &[f32], top: f32) {
        let bottom = self.y;
        for &x in xs {
            self.rule(x, top, x, bottom, 0.5, 0.35);
        }
    }

    /// A table's column edges and the width inside each column.
    fn grid(&self, t: &Table) -> (Vec<f32>, Vec<f32>) {
        let total: f32 = t.columns.iter().map(|c| c.weight).sum::<f32>().max(0.001);
        let cw = self.content_w();
        let mut xs = vec![MARGIN_X];
        for c in &t.columns {
            let last = *xs.last().expect("start");
            xs.push(last + cw * c.weight / total);
        }
        let inner: Vec<f32> = xs.windows(2).map(|w| w[1] - w[0] - 2.0 * PAD_X).collect();
        (xs, inner)
    }

    /// A table's header lines (none when no column has a title).
    fn titles(&self, t: &Table, inner: &[f32]) -> Vec<Vec<String>> {
        t.columns
            .iter()
            .zip(inner)
            .map(|(c, &w)| self.wrap(&c.title, SMALL, w))
            .collect()
    }

    /// The least height a table starts with on a page: its header and its first row whole (the
    /// first three lines of a row tall enough to be split).
    fn table_start(&self, t: &Table) -> f32 {
        let (_, inner) = self.grid(t);
        let lh = SMALL * LINE;
        let header = if t.columns.iter().any(|c| !c.title.is_empty()) {
            let titles = self.titles(t, &inner);
            titles.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * PAD_Y
        } else {
            0.0
        };
        let first = t.rows.first().map_or(1, |row| {
            inner
                .iter()
                .enumerate()
                .map(|(i, &w)| {
                    self.wrap(row.get(i).map_or("", String::as_str), SMALL, w)
                        .len()
                })
                .max()
                .unwrap_or(1)
        });
        let lines = if first >= SPLITTABLE { 3 } else { first.max(1) };
        header + (lines as f32 * lh + 2.0 * PAD_Y).max(t.min_row)
    }

    /// The least height `block` needs to begin on a page (what a heading before it keeps with it).
    fn lead(&self, block: &Block) -> f32 {
        match block {
            Block::Para(s) => {
                self.wrap(s, BODY, self.content_w()).len().clamp(1, 3) as f32 * BODY * LINE
            }
            Block::Note(s) => self.wrap(s, 8.0, self.content_w()).len() as f32 * 8.0 * LINE + 4.0,
            Block::Table(t) | Block::MarkedTable(t, _) => self.table_start(t),
            Block::Fields(pairs) => self.table_start(&fields_table(pairs)),
            _ => 0.0,
        }
    }

    fn table(&mut self, t: &Table, marked: &[(usize, usize)]) {
        let (xs, inner) = self.grid(t);
        let has_header = t.columns.iter().any(|c| !c.title.is_empty());
        let titles = self.titles(t, &inner);
        let lh = SMALL * LINE;
        let header_h = titles.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * PAD_Y;
        // The header stays with the first row (or the first lines of a tall one).
        self.ensure(self.table_start(t));
        let mut seg = self.open_segment(&xs, &titles, has_header);
        for (r, row) in t.rows.iter().enumerate() {
            let cells: Vec<Vec<String>> = inner
                .iter()
                .enumerate()
                .map(|(i, &w)| self.wrap(row.get(i).map(String::as_str).unwrap_or(""), SMALL, w))
                .collect();
            let mut from = 0usize;
            let n = cells.iter().map(Vec::len).max().unwrap_or(1);
            loop {
                let left = n - from;
                let need = (left as f32 * lh + 2.0 * PAD_Y).max(t.min_row);
                let fits = ((self.room() - 2.0 * PAD_Y) / lh).floor().max(0.0) as usize;
                // What a fresh page holds under the repeated header.
                let fresh = self.h - TOP - BOTTOM - if has_header { header_h } else { 0.0 };
                let take = if need <= self.room() {
                    left
                } else if fits >= 1
                    && (need > fresh || (left >= SPLITTABLE && fits >= 3 && left - fits >= 2))
                {
                    // A row split only when it must be (taller than a page) or is tall enough that
                    // at least three lines stay here and two go over; a short row moves whole.
                    fits.min(left)
                } else {
                    self.close_segment(&xs, seg);
                    self.new_page();
                    seg = self.open_segment(&xs, &titles, has_header);
                    continue;
                };
                let h = if take == left {
                    need
                } else {
                    take as f32 * lh + 2.0 * PAD_Y
                };
                let top = self.y;
                if t.label_first {
                    self.push(Item::Fill {
                        x: xs[0],
                        y: top - h,
                        w: xs[1] - xs[0],
                        h,
                        tint: Tint::Grey(0.95),
                    });
                }
                for &(_, c) in marked.iter().filter(|(mr, c)| *mr == r && c + 1 < xs.len()) {
                    self.push(Item::Fill {
                        x: xs[c],
                        y: top - h,
                        w: xs[c + 1] - xs[c],
                        h,
                        tint: Tint::Amber,
                    });
                }
                for (i, lines) in cells.iter().enumerate() {
                    let bold = t.label_first && i == 0;
                    for (k, l) in lines.iter().skip(from).take(take).enumerate() {
                        let y = top - PAD_Y - (k as f32 + 1.0) * lh + SMALL * 0.3;
                        self.text(xs[i] + PAD_X, y, SMALL, bold, 0.0, l);
                    }
                }
                self.hline(&xs, top - h);
                self.y = top - h;
                from += take;
                if from >= n {
                    break;
                }
                self.close_segment(&xs, seg);
                self.new_page();
                seg = self.open_segment(&xs, &titles, has_header);
            }
        }
        self.close_segment(&xs, seg);
        self.y -= 10.0;
    }
}

/// A label/value form as the two-column table it is drawn as.
fn fields_table(pairs: &[(String, String)]) -> Table {
    Table {
        columns: vec![Column::new("", 0.28), Column::new("", 0.72)],
        rows: pairs
            .iter()
            .map(|(k, v)| vec![k.clone(), v.clone()])
            .collect(),
        label_first: true,
        min_row: 0.0,
    }
}

/// Rows of at least this many lines may be split across pages (three lines stay, two go over);
/// shorter rows move whole to the next page.
const SPLITTABLE: usize = 6;

/// Lays the document out and writes the PDF.
pub fn render(doc: &Doc, fonts: &Fonts) -> Result<Rendered> {
    let (w, h) = if doc.landscape { (A4.1, A4.0) } else { A4 };
    let mut lay = Layout {
        fonts,
        w,
        h,
        pages: Vec::new(),
        bookmarks: Vec::new(),
        y: 0.0,
    };
    lay.new_page();
    lay.title_block(&doc.title, &doc.subtitle);
    for (i, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Heading(s) => {
                // Notes under a heading stay with it, and so does the start of the block after them.
                let rest = &doc.blocks[i + 1..];
                let notes = rest.iter().take_while(|b| matches!(b, Block::Note(_)));
                let follow: f32 = notes.map(|b| lay.lead(b)).sum::<f32>()
                    + rest
                        .iter()
                        .find(|b| !matches!(b, Block::Note(_)))
                        .map_or(0.0, |b| lay.lead(b));
                lay.heading(s, follow)
            }
            Block::Para(s) => lay.para(s, BODY, 0.0),
            Block::Note(s) => lay.para(s, 8.0, 0.35),
            Block::Table(t) => lay.table(t, &[]),
            Block::MarkedTable(t, marked) => lay.table(t, marked),
            Block::Fields(pairs) => lay.table(&fields_table(pairs), &[]),
            Block::PageBreak => {
                if lay.y < lay.h - TOP - 1.0 {
                    lay.new_page();
                }
            }
            Block::Bookmark(name) => {
                let page = lay.pages.len();
                lay.bookmarks.push((name.clone(), page));
            }
        }
    }
    let total = lay.pages.len();
    let head = if doc.subtitle.is_empty() {
        doc.title.clone()
    } else {
        format!("{} · {}", doc.subtitle, doc.title)
    };
    let fp_label = i18n::format(doc.lang, "pdf.fingerprint", &[("fp", &doc.fingerprint)]);
    // Running header and footer on every page.
    for i in 0..total {
        let page_label = i18n::format(
            doc.lang,
            "pdf.page",
            &[("n", &(i + 1).to_string()), ("total", &total.to_string())],
        );
        let mut extra = Vec::new();
        {
            let mut put = |item: Item| extra.push(item);
            if i > 0 {
                put(Item::Text {
                    x: MARGIN_X,
                    y: h - 36.0,
                    size: 8.0,
                    bold: false,
                    grey: 0.4,
                    text: head.clone(),
                });
                put(Item::Rule {
                    x1: MARGIN_X,
                    y1: h - 41.0,
                    x2: w - MARGIN_X,
                    y2: h - 41.0,
                    width: 0.4,
                    grey: 0.6,
                });
            }
            put(Item::Rule {
                x1: MARGIN_X,
                y1: 42.0,
                x2: w - MARGIN_X,
                y2: 42.0,
                width: 0.4,
                grey: 0.6,
            });
            put(Item::Text {
                x: MARGIN_X,
                y: 30.0,
                size: 7.0,
                bold: false,
                grey: 0.35,
                text: fp_label.clone(),
            });
            let pw: f32 = page_label.chars().map(|c| fonts.width(c, 8.0)).sum();
            put(Item::Text {
                x: w - MARGIN_X - pw,
                y: 30.0,
                size: 8.0,
                bold: false,
                grey: 0.2,
                text: page_label,
            });
        }
        lay.pages[i].extend(extra);
    }
    emit(doc, fonts, lay.pages, &lay.bookmarks, w, h)
}

#[cfg(test)]
mod tests;
