//! The PDF figures: every minutes of the `--large` project (1,000 meetings, 5,000 action items) as
//! one document (target ≤ 0.5 s, ≤ 1 MB, at least 50 pages) and a one-page registration form
//! (target ≤ 50 ms), split into reading the content, layout and writing.
//! `cargo bench -p liaison-core --bench documents`. The figures are printed, not asserted.

use liaison_core::documents::{self, Target};
use liaison_core::pdf::{self, Fonts};
use liaison_core::DocKind;
use liaison_core::Lang;
use std::time::{Duration, Instant};

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The median of `runs` timings of `f`, and its last result.
fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut last = None;
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            last = Some(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[runs / 2], last.expect("ran"))
}

fn main() {
    let t = Instant::now();
    let fonts = Fonts::load(&[]).expect("fonts");
    println!(
        "load and parse the fonts (once per process): {}",
        ms(t.elapsed())
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let mut project =
        liaison_core::demo::write_large(&dir.path().join("large.liaison")).expect("large demo");
    let conn = project.conn_mut();

    let (prep, prepared) = median(3, || {
        documents::prepare(conn, DocKind::Minutes, Target::All, Lang::Zh, "bench").expect("prepare")
    });
    let (render, rendered) = median(3, || pdf::render(&prepared.doc, &fonts).expect("render"));
    let out = dir.path().join("all-minutes.pdf");
    let (total, exported) = median(3, || {
        documents::export(
            conn,
            DocKind::Minutes,
            Target::All,
            Lang::Zh,
            "bench",
            &fonts,
            &out,
        )
        .expect("export")
    });
    println!(
        "all minutes ({} meetings): {} pages, {} KB; read {} + layout and write {}; export in all {}",
        prepared.sections.len(),
        rendered.pages,
        exported.bytes / 1024,
        ms(prep),
        ms(render),
        ms(total)
    );

    // The worked example's registration: one page, as a user's form is.
    let mut example =
        liaison_core::demo::write_example(&dir.path().join("example.liaison")).expect("example");
    let conn = example.conn_mut();
    let (one, e) = median(20, || {
        documents::export(
            conn,
            DocKind::Registration,
            Target::Latest,
            Lang::Zh,
            "bench",
            &fonts,
            &dir.path().join("registration.pdf"),
        )
        .expect("export")
    });
    println!(
        "registration form: {} page(s), {} KB, export median of 20 {}",
        e.pages,
        e.bytes / 1024,
        ms(one)
    );
}
