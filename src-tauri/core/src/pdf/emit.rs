//! The draw lists as PDF pages: a pen that emits state only when it changes, text as glyph ids from
//! our own cache (`runs`: a string split by the face each character comes from), then the file.

use super::*;

pub(super) fn grey(v: f32) -> Color {
    Color::Greyscale(Greyscale {
        percent: v,
        icc_profile: None,
    })
}

/// Two decimals are a hundredth of a point: finer adds bytes, not precision.
pub(super) fn round(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

pub(super) fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point {
            x: Pt(round(x)),
            y: Pt(round(y)),
        },
        bezier: false,
    }
}

/// The drawing state of a page: what is in effect, so each operator is written only when it
/// changes, and consecutive lines share one text object (positions as relative moves).
#[derive(Default)]
pub(super) struct Pen {
    ops: Vec<Op>,
    fill: Option<Tint>,
    stroke: Option<(f32, f32)>,
    font: Option<(usize, f32)>,
    bold: bool,
    /// Inside a text object: the start of its current line.
    text: Option<(f32, f32)>,
}

impl Pen {
    fn fill(&mut self, t: Tint) {
        if self.fill != Some(t) {
            let col = match t {
                Tint::Grey(g) => grey(g),
                // The app's amber, light enough for black text on it.
                Tint::Amber => Color::Rgb(printpdf::Rgb {
                    r: 1.0,
                    g: 0.87,
                    b: 0.6,
                    icc_profile: None,
                }),
            };
            self.ops.push(Op::SetFillColor { col });
            self.fill = Some(t);
        }
    }

    fn stroke(&mut self, width: f32, g: f32) {
        if self.stroke != Some((width, g)) {
            self.ops.push(Op::SetOutlineColor { col: grey(g) });
            self.ops.push(Op::SetOutlineThickness {
                pt: Pt(round(width)),
            });
            self.stroke = Some((width, g));
        }
    }

    fn bold(&mut self, on: bool, width: f32, g: f32) {
        if on {
            self.stroke(width, g);
        }
        if on != self.bold {
            self.ops.push(Op::SetTextRenderingMode {
                mode: if on {
                    TextRenderingMode::FillStroke
                } else {
                    TextRenderingMode::Fill
                },
            });
            self.bold = on;
        }
    }

    /// Moves to (`x`, `y`), opening a text object when none is open.
    fn text_at(&mut self, x: f32, y: f32) {
        let (ox, oy) = match self.text {
            Some(o) => o,
            None => {
                self.ops.push(Op::StartTextSection);
                (0.0, 0.0)
            }
        };
        let (dx, dy) = (round(round(x) - ox), round(round(y) - oy));
        self.ops.push(Op::SetTextCursor {
            pos: Point {
                x: Pt(dx),
                y: Pt(dy),
            },
        });
        self.text = Some((ox + dx, oy + dy));
    }

    fn end_text(&mut self) {
        if self.text.take().is_some() {
            self.ops.push(Op::EndTextSection);
        }
    }
}

/// Turns the draw lists into PDF pages and serializes the document.
pub(super) fn emit(
    doc: &Doc,
    fonts: &Fonts,
    pages: Vec<Vec<Item>>,
    bookmarks: &[(String, usize)],
    w: f32,
    h: f32,
) -> Result<Rendered> {
    let mut pdf = PdfDocument::new(&doc.title);
    let mut ids: Vec<Option<FontId>> = vec![None; fonts.faces.len()];
    let mut missing: Vec<char> = Vec::new();
    let mut out_pages = Vec::with_capacity(pages.len());
    for items in pages {
        let mut pen = Pen::default();
        for item in items {
            match item {
                Item::Fill { x, y, w, h, tint } => {
                    pen.end_text();
                    pen.fill(tint);
                    pen.ops.push(Op::DrawRectangle {
                        rectangle: Rect {
                            x: Pt(round(x)),
                            y: Pt(round(y)),
                            width: Pt(round(w)),
                            height: Pt(round(h)),
                            mode: Some(PaintMode::Fill),
                            winding_order: None,
                        },
                    });
                }
                Item::Rule {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    grey: g,
                } => {
                    pen.end_text();
                    pen.stroke(width, g);
                    pen.ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![point(x1, y1), point(x2, y2)],
                            is_closed: false,
                        },
                    });
                }
                Item::Text {
                    x,
                    y,
                    size,
                    bold,
                    grey: g,
                    text,
                } => {
                    pen.fill(Tint::Grey(g));
                    // Bold: a light stroke around the fill, without a second font.
                    pen.bold(bold, size * 0.035, g);
                    let mut x = x;
                    for run in runs(fonts, &text, size) {
                        match run.face {
                            Some(f) => {
                                let id = ids[f]
                                    .get_or_insert_with(|| pdf.add_font(&fonts.faces[f].parsed))
                                    .clone();
                                pen.text_at(x, y);
                                if pen.font != Some((f, size)) {
                                    pen.ops.push(Op::SetFont {
                                        font: PdfFontHandle::External(id),
                                        size: Pt(size),
                                    });
                                    pen.font = Some((f, size));
                                }
                                // Glyph ids from our own cache (printpdf would look each
                                // character up in the cmap again), with the character for
                                // the ToUnicode map that makes the text extractable.
                                let glyphs = run
                                    .text
                                    .chars()
                                    .zip(run.gids)
                                    .map(|(c, gid)| Codepoint {
                                        gid,
                                        offset: 0.0,
                                        cid: Some(c.to_string()),
                                    })
                                    .collect();
                                pen.ops.push(Op::ShowText {
                                    items: vec![TextItem::GlyphIds(glyphs)],
                                });
                            }
                            None => {
                                // No font has these: a visible box each, and a report.
                                pen.end_text();
                                pen.stroke(0.5, g);
                                let bw = 0.6 * size;
                                for (k, c) in run.text.chars().enumerate() {
                                    if !missing.contains(&c) {
                                        missing.push(c);
                                    }
                                    pen.ops.push(Op::DrawRectangle {
                                        rectangle: Rect {
                                            x: Pt(round(x + k as f32 * bw + 0.08 * size)),
                                            y: Pt(round(y - 0.05 * size)),
                                            width: Pt(round(bw - 0.16 * size)),
                                            height: Pt(round(0.75 * size)),
                                            mode: Some(PaintMode::Stroke),
                                            winding_order: None,
                                        },
                                    });
                                }
                            }
                        }
                        x += run.width;
                    }
                }
            }
        }
        pen.end_text();
        let ops = pen.ops;
        out_pages.push(PdfPage::new(Mm::from(Pt(w)), Mm::from(Pt(h)), ops));
    }
    let count = out_pages.len();
    pdf.with_pages(out_pages);
    for (name, page) in bookmarks {
        pdf.add_bookmark(name, *page);
    }
    let info = &mut pdf.metadata.info;
    info.author = doc.author.clone();
    info.creator = "Liaison 协作台".into();
    info.producer = format!("Liaison {}", env!("CARGO_PKG_VERSION"));
    info.subject = doc.subject.clone();
    info.identifier = doc.identifier.clone();
    info.keywords = doc.keywords.clone();
    let now = chrono::Utc::now().timestamp();
    if let Ok(t) = printpdf::OffsetDateTime::from_unix_timestamp(now) {
        info.creation_date = t;
        info.modification_date = t;
        info.metadata_date = t;
    }
    let mut warnings = Vec::new();
    let bytes = pdf.save(
        &PdfSaveOptions {
            optimize: true,
            subset_fonts: true,
            ..Default::default()
        },
        &mut warnings,
    );
    if bytes.is_empty() {
        return Err(Error::refused("pdf.write_failed", &[]));
    }
    Ok(Rendered {
        bytes,
        pages: count,
        missing,
    })
}

/// A piece of a line set in one face (`None`: no face has its characters).
pub(super) struct Run {
    face: Option<usize>,
    text: String,
    gids: Vec<u16>,
    /// Its width at the size used.
    width: f32,
}

/// Splits a line into runs set in one face each, looking each character up once.
pub(super) fn runs(fonts: &Fonts, s: &str, size: f32) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for c in s.chars() {
        let (face, gid, w) = match fonts.glyph(c) {
            Glyph::In { face, gid, em } => (Some(face), gid, em * size),
            Glyph::Missing if c == ' ' => (Some(0), 0, 0.6 * size),
            Glyph::Missing => (None, 0, 0.6 * size),
        };
        match out.last_mut() {
            Some(r) if r.face == face => {
                r.text.push(c);
                r.gids.push(gid);
                r.width += w;
            }
            _ => out.push(Run {
                face,
                text: c.to_string(),
                gids: vec![gid],
                width: w,
            }),
        }
    }
    out
}
