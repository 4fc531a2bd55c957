//! The yardstick's input: every minutes of a project as one HTML file, block for block the content
//! of Liaison's all-minutes PDF (headings, paragraphs, label/value forms, tables; page breaks
//! between meetings), for `scripts/bench` to have LibreOffice convert to PDF.
//! `LIAISON_BENCH_PROJECT=FILE LIAISON_BENCH_OUT=FOLDER cargo bench -p liaison-core --bench
//! minutes_html` writes `FOLDER/minutes.html`. Measures nothing itself.

use liaison_core::documents::{self, Target};
use liaison_core::pdf::Block;
use liaison_core::{DocKind, Lang};

/// `text` with `&`, `<`, `>` and `"` escaped.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn table(out: &mut String, t: &liaison_core::pdf::Table) {
    let total: f32 = t.columns.iter().map(|c| c.weight).sum();
    out.push_str("<table><colgroup>");
    for c in &t.columns {
        out.push_str(&format!(
            "<col style=\"width:{:.1}%\">",
            c.weight / total * 100.0
        ));
    }
    out.push_str("</colgroup>");
    // The header as a plain first row: LibreOffice 7.4 lays out a document of many tables with
    // `<thead>` (repeated on each page) so slowly (over 100 s for 300 meetings, 2 s without) that
    // it would measure that quirk rather than the conversion.
    out.push_str("<tbody>");
    if t.columns.iter().any(|c| !c.title.is_empty()) {
        out.push_str("<tr>");
        for c in &t.columns {
            out.push_str(&format!("<th>{}</th>", esc(&c.title)));
        }
        out.push_str("</tr>");
    }
    for row in &t.rows {
        out.push_str("<tr>");
        for cell in row {
            out.push_str(&format!("<td>{}</td>", esc(cell)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

fn main() {
    let project = std::env::var("LIAISON_BENCH_PROJECT").expect("LIAISON_BENCH_PROJECT=FILE");
    let out = std::path::PathBuf::from(
        std::env::var("LIAISON_BENCH_OUT").expect("LIAISON_BENCH_OUT=FOLDER"),
    );
    let project = liaison_core::Project::open(std::path::Path::new(&project)).expect("project");
    let prepared = documents::prepare(
        project.conn(),
        DocKind::Minutes,
        Target::All,
        Lang::Zh,
        "bench",
    )
    .expect("minutes");
    let doc = &prepared.doc;
    let mut html = format!(
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>\n@page {{ size: A4; margin: 18mm 16mm; }}\nbody {{ font-family: 'Noto Sans CJK SC', sans-serif; font-size: 10pt; }}\nh1 {{ font-size: 18pt; }} h2 {{ font-size: 13pt; }}\ntable {{ width: 100%; border-collapse: collapse; margin: 4pt 0; }}\nth, td {{ border: 0.5pt solid #888; padding: 2pt 4pt; vertical-align: top; text-align: left; }}\nth {{ background: #eee; }} .note {{ color: #777; font-size: 8pt; }}\n</style></head><body>\n<h1>{}</h1><p>{}</p>\n",
        esc(&doc.title),
        esc(&doc.title),
        esc(&doc.subtitle)
    );
    for block in &doc.blocks {
        match block {
            Block::Heading(t) => html.push_str(&format!("<h2>{}</h2>\n", esc(t))),
            Block::Para(t) => html.push_str(&format!("<p>{}</p>\n", esc(t))),
            Block::Note(t) => html.push_str(&format!("<p class=\"note\">{}</p>\n", esc(t))),
            Block::Table(t) | Block::MarkedTable(t, _) => table(&mut html, t),
            Block::Fields(pairs) => {
                html.push_str("<table>");
                for (k, v) in pairs {
                    html.push_str(&format!("<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(v)));
                }
                html.push_str("</table>\n");
            }
            Block::PageBreak => html.push_str("<div style=\"page-break-before: always\"></div>\n"),
            Block::Bookmark(_) => {}
        }
    }
    html.push_str("</body></html>\n");
    std::fs::create_dir_all(&out).expect("output folder");
    std::fs::write(out.join("minutes.html"), html).expect("minutes.html");
}
