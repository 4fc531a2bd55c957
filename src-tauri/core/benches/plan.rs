//! The backend figures on the `--large` project (10,000 tasks, 1,000 meetings, 5,000 action items):
//! reading and computing the plan, filtering and sorting the task list, and the follow-up ledger.
//! `cargo bench -p liaison-core --bench plan`.
//! The filter budget is one frame (16 ms); the figures are printed, not asserted.

use liaison_core::plan::{self, view};
use std::time::Duration;

mod common;
use common::median;

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("large.liaison");
    let project = liaison_core::demo::write_large(&path).expect("large demo");
    let conn = project.conn();
    let loaded = plan::load(conn).expect("plan");
    println!(
        "tasks: {}, dependencies: {}",
        loaded.tasks.len(),
        loaded.links.len()
    );
    println!(
        "read and compute the plan (plan::load): median of 20 {}",
        ms(median(20, || {
            plan::load(conn).expect("plan");
        }))
    );
    let names = view::Names {
        departments: liaison_core::org::list(conn)
            .expect("departments")
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect(),
        people: liaison_core::people::list(conn)
            .expect("people")
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect(),
    };
    let violations = loaded.violations();
    let today = chrono::NaiveDate::from_ymd_opt(2024, 6, 3).expect("date");
    let dept = names.departments[1].0;
    let owner = *names.people.keys().min().expect("people");
    let queries = [
        ("no filter", view::Query::default()),
        (
            "department",
            view::Query {
                department: Some(dept),
                ..Default::default()
            },
        ),
        (
            "owner",
            view::Query {
                owner: Some(owner),
                ..Default::default()
            },
        ),
        (
            "status blocked",
            view::Query {
                status: Some("blocked".into()),
                ..Default::default()
            },
        ),
        (
            "overdue, sorted by finish",
            view::Query {
                overdue: true,
                sort: "finish".into(),
                ..Default::default()
            },
        ),
        (
            "text 铺货, grouped by department",
            view::Query {
                text: "第3城市".into(),
                group: true,
                ..Default::default()
            },
        ),
    ];
    for (label, q) in &queries {
        let mut shown = 0;
        let t = median(50, || {
            shown = view::rows(&loaded, &names, None, &violations, q, today).len();
        });
        println!(
            "filter 10,000 tasks — {label}: {shown} rows, median of 50 {}",
            ms(t)
        );
    }
    let prepared = view::prepare(conn).expect("prepared");
    println!(
        "Plan screen filter on the prepared plan (Prepared::view, department): median of 50 {}",
        ms(median(50, || {
            prepared.view(&queries[1].1, today);
        }))
    );
    let now = chrono::NaiveDate::from_ymd_opt(2024, 6, 3)
        .expect("date")
        .and_hms_opt(9, 0, 0)
        .expect("time");
    let mut shown = 0;
    let all = median(10, || {
        shown = liaison_core::meetings::ledger(conn, &Default::default(), now)
            .expect("ledger")
            .len();
    });
    println!(
        "follow-up ledger, all {shown} action items of 1,000 meetings: median of 10 {}",
        ms(all)
    );
    let q = liaison_core::meetings::LedgerQuery {
        status: Some("needs_support".into()),
        ..Default::default()
    };
    let filtered = median(10, || {
        shown = liaison_core::meetings::ledger(conn, &q, now)
            .expect("ledger")
            .len();
    });
    println!(
        "follow-up ledger filtered by status ({shown} rows): median of 10 {}",
        ms(filtered)
    );
    println!(
        "whole Plan screen (plan::view::build, read + compute + filter): median of 10 {}",
        ms(median(10, || {
            view::build(conn, &view::Query::default(), today).expect("view");
        }))
    );
}
