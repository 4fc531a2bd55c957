//! An empty Tauri 2 app, the yardstick of `scripts/bench`: the same window and web view as
//! Liaison, a page with one line of text, and the same start-up report (`--measure-startup`).

// The very code Liaison reports with, so both are measured alike.
#[path = "../../../src-tauri/src/startup_report.rs"]
mod startup_report;

use std::collections::HashMap;
use std::time::Instant;
use tauri::{AppHandle, State};

/// When the process started, and whether to report and quit at first paint.
struct Started {
    at: Instant,
    measure: bool,
}

/// Called by the page once it is painted; with `--measure-startup` it reports and quits.
#[tauri::command]
fn ui_ready(app: AppHandle, started: State<'_, Started>, page: Option<HashMap<String, f64>>) {
    if started.measure {
        let ms = started.at.elapsed().as_secs_f64() * 1000.0;
        println!("{}", startup_report::line(ms, &page.unwrap_or_default()));
        app.exit(0);
    }
}

fn main() {
    let started = Started {
        at: Instant::now(),
        measure: std::env::args().any(|a| a == "--measure-startup"),
    };
    tauri::Builder::default()
        .manage(started)
        .invoke_handler(tauri::generate_handler![ui_ready])
        .run(tauri::generate_context!())
        .expect("the empty app runs");
}
