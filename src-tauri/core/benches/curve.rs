//! The cost curve: each step's time on the `--large` project at 1,000, 10,000 and 100,000 tasks
//! (1,000 meetings) and at 1,000 and 10,000 meetings (10,000 tasks), to show that every step's cost
//! grows linearly or better. Prints a table, and with `LIAISON_BENCH_OUT=FOLDER` writes
//! `curve.csv` and `curve.svg` (a log–log plot) there.
//! `cargo bench -p liaison-core --bench curve`. The figures are printed, not asserted.

use liaison_core::demo::{write_large_with, LargeSize};
use liaison_core::plan::{self, view};
use std::time::Instant;

mod common;
use common::median;

/// The steps measured at every size, in the table's order.
const STEPS: [&str; 9] = [
    "write (generator)",
    "open (Project::open)",
    "check (integrity::check)",
    "plan::load (read + compute)",
    "view::prepare",
    "filter (Prepared::view)",
    "plan view → JSON",
    "plan screen, all steps",
    "ledger (all action items)",
];

/// Each step's time in ms on a project of `size`.
fn measure(size: LargeSize) -> Vec<f64> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("large.liaison");
    let t = Instant::now();
    drop(write_large_with(&path, size).expect("large demo"));
    let write = t.elapsed();
    // Fewer runs where one run takes long.
    let runs = if size.tasks >= 100_000 || size.meetings >= 10_000 {
        3
    } else {
        9
    };
    let open = median(runs, || {
        drop(liaison_core::Project::open(&path).expect("open"));
    });
    let check = median(runs, || {
        liaison_core::integrity::check(&path).expect("check");
    });
    let project = liaison_core::Project::open(&path).expect("open");
    let conn = project.conn();
    let load = median(runs, || {
        plan::load(conn).expect("plan");
    });
    let prepare = median(runs, || {
        view::prepare(conn).expect("prepared");
    });
    let prepared = view::prepare(conn).expect("prepared");
    let today = chrono::NaiveDate::from_ymd_opt(2024, 6, 3).expect("date");
    let q = view::Query {
        department: Some(liaison_core::org::list(conn).expect("departments")[1].id),
        ..Default::default()
    };
    let filter = median(runs * 3, || {
        prepared.view(&q, today);
    });
    let all = prepared.view(&view::Query::default(), today);
    let json = median(runs, || {
        serde_json::to_vec(&all).expect("json");
    });
    let screen = median(runs, || {
        let v = view::build(conn, &view::Query::default(), today).expect("view");
        serde_json::to_vec(&v).expect("json");
    });
    let at = today.and_hms_opt(9, 0, 0).expect("time");
    let ledger = median(runs, || {
        liaison_core::meetings::ledger(conn, &Default::default(), at).expect("ledger");
    });
    [
        write, open, check, load, prepare, filter, json, screen, ledger,
    ]
    .iter()
    .map(|d| d.as_secs_f64() * 1000.0)
    .collect()
}

fn main() {
    let sizes = [
        (1_000, 1_000),
        (10_000, 1_000),
        (100_000, 1_000),
        (10_000, 10_000),
    ]
    .map(|(tasks, meetings)| LargeSize { tasks, meetings });
    let results: Vec<Vec<f64>> = sizes.iter().map(|&s| measure(s)).collect();
    let heads: Vec<String> = sizes
        .iter()
        .map(|s| format!("{}k t/{}k m", s.tasks / 1000, s.meetings / 1000))
        .collect();
    println!("cost curve, median ms (t = tasks, m = meetings; growth = ratio per 10× size)");
    print!("{:<30}", "step");
    for h in &heads {
        print!("{h:>14}");
    }
    println!(
        "{:>14}{:>14}{:>14}",
        "×(10k/1k t)", "×(100k/10k t)", "×(10k/1k m)"
    );
    for (i, step) in STEPS.iter().enumerate() {
        print!("{step:<30}");
        for r in &results {
            print!("{:>14.2}", r[i]);
        }
        let ratio = |a: usize, b: usize| results[b][i] / results[a][i].max(0.001);
        println!(
            "{:>14.1}{:>14.1}{:>14.1}",
            ratio(0, 1),
            ratio(1, 2),
            ratio(1, 3)
        );
    }
    if let Ok(out) = std::env::var("LIAISON_BENCH_OUT") {
        let out = std::path::Path::new(&out);
        std::fs::create_dir_all(out).expect("bench output folder");
        let mut csv = format!("step,{}\n", heads.join(","));
        for (i, step) in STEPS.iter().enumerate() {
            let row: Vec<String> = results.iter().map(|r| format!("{:.3}", r[i])).collect();
            csv += &format!("\"{step}\",{}\n", row.join(","));
        }
        std::fs::write(out.join("curve.csv"), csv).expect("curve.csv");
        let tasks: Vec<f64> = sizes[..3].iter().map(|s| s.tasks as f64).collect();
        let series: Vec<(&str, Vec<f64>)> = STEPS
            .iter()
            .enumerate()
            .map(|(i, s)| (*s, results[..3].iter().map(|r| r[i]).collect()))
            .collect();
        std::fs::write(out.join("curve.svg"), svg(&tasks, &series)).expect("curve.svg");
        println!("written: {}/curve.csv, curve.svg", out.display());
    }
}

/// A log–log plot of each step's time against the number of tasks, with a dashed line of linear
/// growth for comparison.
fn svg(xs: &[f64], series: &[(&str, Vec<f64>)]) -> String {
    let (w, h, left, top, plot_w, plot_h) = (760.0, 420.0, 60.0, 20.0, 420.0, 360.0);
    let (x0, x1) = (xs[0].log10(), xs[xs.len() - 1].log10());
    let (y0, y1) = (-2.0f64, 5.0f64); // 0.01 ms to 100 s
    let px = |x: f64| left + (x.log10() - x0) / (x1 - x0) * plot_w;
    let py = |y: f64| top + plot_h - (y.max(0.01).log10() - y0) / (y1 - y0) * plot_h;
    let colours = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
        "#bcbd22",
    ];
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"{w}\" height=\"{h}\" fill=\"white\"/>\n"
    );
    for e in -2..=5 {
        let y = py(10f64.powi(e));
        s += &format!(
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{} ms</text>\n",
            left + plot_w,
            left - 4.0,
            y + 4.0,
            10f64.powi(e)
        );
    }
    for &x in xs {
        s += &format!(
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{top}\" y2=\"{1}\" stroke=\"#ddd\"/><text x=\"{0}\" y=\"{2}\" text-anchor=\"middle\">{3} tasks</text>\n",
            px(x),
            top + plot_h,
            top + plot_h + 14.0,
            x
        );
    }
    // Linear growth from the first point of the slowest step, for the eye.
    let base = series.iter().map(|(_, v)| v[0]).fold(0.0f64, f64::max);
    s += &format!(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#000\" stroke-dasharray=\"4 4\"/>\n",
        px(xs[0]),
        py(base),
        px(xs[xs.len() - 1]),
        py(base * xs[xs.len() - 1] / xs[0])
    );
    for (i, (name, ys)) in series.iter().enumerate() {
        let c = colours[i % colours.len()];
        let points: Vec<String> = xs
            .iter()
            .zip(ys)
            .map(|(&x, &y)| format!("{:.1},{:.1}", px(x), py(y)))
            .collect();
        s += &format!(
            "<polyline fill=\"none\" stroke=\"{c}\" stroke-width=\"2\" points=\"{}\"/>\n<text x=\"{}\" y=\"{}\" fill=\"{c}\">{name}</text>\n",
            points.join(" "),
            left + plot_w + 16.0,
            top + 14.0 + i as f64 * 16.0
        );
    }
    s += &format!(
        "<text x=\"{}\" y=\"{}\">dashed: linear growth</text>\n</svg>\n",
        left + plot_w + 16.0,
        top + 14.0 + series.len() as f64 * 16.0 + 8.0
    );
    s
}
