//! The screens on the worked example, at moments the tests choose (never the system clock).

use super::*;
use crate::demo;
use crate::storage::Project;
use crate::{Error, Lang};
use chrono::NaiveDateTime;

/// The worked example in a temporary folder (kept alive by the returned guard).
fn example() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let p = demo::write_example(&dir.path().join("p.liaison")).unwrap();
    (dir, p)
}

fn at(s: &str) -> NaiveDateTime {
    crate::clock::parse_time(s).unwrap()
}

/// The top-level keys of `value`'s JSON, sorted: what the UI reads must not move.
fn keys(value: &impl serde::Serialize) -> Vec<String> {
    let mut k: Vec<String> = serde_json::to_value(value)
        .unwrap()
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect();
    k.sort();
    k
}

fn sorted(list: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn the_tracking_screen_runs_the_issue_clocks_at_the_moment_given() {
    let (_dir, p) = example();
    let early = tracking::view(p.conn(), at("2023-10-26T11:00:00")).unwrap();
    let late = tracking::view(p.conn(), at("2023-11-30T11:00:00")).unwrap();
    assert_eq!(
        keys(&early),
        sorted(&[
            "dashboard",
            "risks",
            "issues",
            "changes",
            "settings",
            "people",
            "departments",
            "tasks",
            "published"
        ])
    );
    let cross = |v: &tracking::TrackingView| {
        v.issues
            .iter()
            .find(|i| i.issue.scope == "cross" && i.issue.open())
            .map(|i| i.clock.clone())
            .expect("the example has an open cross-department issue")
    };
    assert!(!cross(&early).solution_late, "{:?}", cross(&early));
    assert!(cross(&late).solution_late, "{:?}", cross(&late));
    // The issue's own fields sit beside its clock (flattened), as the UI reads them.
    let json = serde_json::to_value(&early.issues[0]).unwrap();
    assert!(json.get("description").is_some() && json.get("clock").is_some());
    assert_eq!(
        early.tasks.len(),
        crate::plan::load(p.conn()).unwrap().rows.len()
    );
}

#[test]
fn the_meetings_screen_describes_the_plan_in_the_language_asked() {
    let (_dir, p) = example();
    let zh = meetings::view(p.conn(), Lang::Zh).unwrap();
    let en = meetings::view(p.conn(), Lang::En).unwrap();
    assert_eq!(
        keys(&zh),
        sorted(&[
            "meetings",
            "people",
            "departments",
            "plan",
            "tasks",
            "published"
        ])
    );
    assert!(!zh.meetings.is_empty());
    assert_eq!(
        zh.meetings.len(),
        crate::meetings::meetings(p.conn()).unwrap().len()
    );
    let all = crate::comms::list(p.conn()).unwrap();
    assert!(zh.plan.len() < all.len(), "as-needed entries are left out");
    assert_ne!(
        zh.plan[0].1, en.plan[0].1,
        "{:?} / {:?}",
        zh.plan[0], en.plan[0]
    );
    let row = serde_json::to_value(&zh.meetings[0]).unwrap();
    assert!(
        row.get("title").is_some() && row.get("state").is_some() && row.get("actions").is_some()
    );
}

#[test]
fn a_meeting_that_does_not_exist_is_an_error_not_an_empty_screen() {
    let (_dir, p) = example();
    let id = crate::meetings::meetings(p.conn()).unwrap()[0].id;
    let d = meetings::detail(p.conn(), id, at("2023-10-26T11:00:00")).unwrap();
    assert_eq!(d.meeting.id, id);
    assert!(keys(&d).contains(&"overLimit".to_string()));
    assert!(meetings::detail(p.conn(), 999_999, at("2023-10-26T11:00:00")).is_err());
}

#[test]
fn the_ledger_page_is_cut_but_counts_everything() {
    let (_dir, p) = example();
    let now = at("2023-10-27T09:00:00");
    let all = meetings::ledger(p.conn(), &Default::default(), 1000, now).unwrap();
    assert!(all.total >= 2, "{}", all.total);
    let page = meetings::ledger(p.conn(), &Default::default(), 1, now).unwrap();
    assert_eq!((page.rows.len(), page.total), (1, all.total));
}

#[test]
fn the_reports_week_falls_back_to_the_moments_week_and_a_bad_week_is_refused() {
    let (_dir, mut p) = example();
    let now = at("2023-10-26T11:00:00");
    let typed = meetings::reports(p.conn(), Some("2023-10-18"), now).unwrap();
    assert_eq!(typed.week, "2023-10-16");
    let garbage = meetings::reports(p.conn(), Some("soon"), now).unwrap();
    assert_eq!(garbage.week, "2023-10-23");
    assert_eq!(
        meetings::reports(p.conn(), None, now).unwrap().week,
        "2023-10-23"
    );
    match meetings::submit_report(p.conn_mut(), "测试", 1, "2023-02-30", &[]) {
        Err(Error::Invalid { field, detail }) => {
            assert_eq!(
                (field.as_str(), detail.as_str()),
                ("field.report.problems", "validation.date")
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_communication_plan_shows_the_next_time_after_the_moment_given() {
    let (_dir, p) = example();
    let now = at("2023-10-26T11:00:00");
    let list = org::comms(p.conn(), now, Lang::En).unwrap();
    assert!(!list.is_empty());
    let stamped: Vec<_> = list.iter().filter_map(|v| v.next.clone()).collect();
    assert!(!stamped.is_empty());
    for next in &stamped {
        assert!(next.as_str() > "2023-10-26 11:00", "{next}");
    }
    let later = org::comms(p.conn(), at("2024-03-01T00:00:00"), Lang::En).unwrap();
    let first_later = later.iter().find_map(|v| v.next.clone()).unwrap();
    assert!(first_later.as_str() > "2024-03-01", "{first_later}");
    let json = serde_json::to_value(&list[0]).unwrap();
    for k in ["described", "next", "overLimit", "recurrence"] {
        assert!(json.get(k).is_some(), "{k} in {json}");
    }
}

#[test]
fn a_task_that_does_not_exist_is_refused_with_its_key() {
    let (_dir, p) = example();
    let now = at("2023-10-26T11:00:00");
    let plan = crate::plan::load(p.conn()).unwrap();
    let id = plan.tasks.last().unwrap().id;
    let t = org::task(p.conn(), id, now).unwrap();
    assert_eq!(t.outline, plan.row(id).unwrap().outline);
    match org::task(p.conn(), 987_654, now) {
        Err(Error::Refused { key, .. }) => assert_eq!(key, "plan.no_task"),
        Err(e) => panic!("{e:?}"),
        Ok(_) => panic!("a task that does not exist"),
    }
}

#[test]
fn the_closing_screens_carry_their_state_and_folders() {
    let (dir, p) = example();
    let a = closing::acceptance(p.conn()).unwrap();
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["state"], "draft");
    assert!(json["closedAt"].is_null());
    assert!(
        json.get("items").is_some(),
        "the acceptance is flattened: {json}"
    );
    let r = closing::retro(p.conn()).unwrap();
    assert_eq!(
        keys(&r),
        sorted(&["entries", "people", "state", "closedAt"])
    );
    let folders = closing::Folders {
        archive_dir: dir.path().join("归档"),
        library_dir: dir.path().join("lib"),
    };
    let v = closing::archive(p.conn(), Lang::Zh, folders).unwrap();
    assert_eq!(v.archive_dir, dir.path().join("归档"));
    assert_eq!(
        keys(&v),
        sorted(&["status", "entries", "archiveDir", "libraryDir"])
    );
}

#[test]
fn the_library_summary_counts_the_project_read_through_its_own_connection() {
    let (dir, p) = example();
    let mut lib = crate::library::Library::open(&dir.path().join("index.sqlite")).unwrap();
    let open = Some((p.path(), p.conn()));
    let v = closing::library(&mut lib, dir.path(), open, Lang::Zh).unwrap();
    assert_eq!(v.refreshed.projects, 1, "{:?}", v.refreshed.failed);
    assert!(v.index_bytes > 0);
    assert_eq!(keys(&v), sorted(&["folder", "refreshed", "indexBytes"]));
}
