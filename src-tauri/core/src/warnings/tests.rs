//! Each rule at its boundaries, on plans built in memory.

use super::*;
use crate::plan::calendar::Calendar;
use crate::plan::schedule::{Link, LinkKind};
use crate::plan::Task;

fn d(s: &str) -> NaiveDate {
    crate::clock::parse_date(s).unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    crate::clock::parse_time(s).unwrap()
}

fn task(id: i64, start: &str, days: i64, percent: i64) -> Task {
    Task {
        id,
        position: id,
        name: format!("任务{id}"),
        start_date: Some(start.into()),
        duration: days,
        percent_done: percent,
        status: if percent == 100 {
            "done"
        } else {
            "in_progress"
        }
        .into(),
        ..Default::default()
    }
}

fn snap(tasks: Vec<Task>, links: Vec<Link>, cal: Calendar) -> Snapshot {
    Snapshot {
        plan: Plan::new(tasks, links, cal),
        owners: HashMap::new(),
        issues: Vec::new(),
        waiting_changes: Vec::new(),
        high_risks: Vec::new(),
        meetings: Vec::new(),
        actions: Vec::new(),
        missing_reports: Vec::new(),
    }
}

fn rules(s: &Snapshot, now: &str) -> Vec<&'static str> {
    evaluate(s, at(now), &Settings::default())
        .iter()
        .map(|w| w.rule)
        .collect()
}

#[test]
fn due_within_48_hours_counts_from_the_end_of_the_last_day() {
    // Mon 10-09 … Fri 10-13: the deadline passes at Sat 10-14 00:00.
    let s = snap(
        vec![task(1, "2023-10-09", 5, 50)],
        vec![],
        Calendar::default(),
    );
    assert!(
        rules(&s, "2023-10-12T00:00:00").contains(&"task_due_soon"),
        "exactly 48 h"
    );
    assert!(
        !rules(&s, "2023-10-11T23:59:59").contains(&"task_due_soon"),
        "48 h and a second"
    );
    assert!(!rules(&s, "2023-10-13T23:59:59").contains(&"task_overdue"));
    let late = rules(&s, "2023-10-14T00:00:00");
    assert!(
        late.contains(&"task_overdue") && !late.contains(&"task_due_soon"),
        "{late:?}"
    );
    // Done tasks never warn.
    let done = snap(
        vec![task(1, "2023-10-09", 5, 100)],
        vec![],
        Calendar::default(),
    );
    assert!(rules(&done, "2023-10-20T00:00:00").is_empty());
}

#[test]
fn deviation_is_strictly_over_twenty_points() {
    let cal = Calendar::default();
    let start = d("2023-01-02");
    let s = snap(vec![task(1, "2023-01-02", 1000, 0)], vec![], cal.clone());
    // Today is the 201st working day: 200 have passed, 20.0 % of 1,000.
    let day200 = cal.add_working_days(start, 200);
    let now = format!("{day200}T09:00:00");
    assert!(
        !rules(&s, &now).contains(&"schedule_deviation"),
        "20.0 points is not over 20"
    );
    let day201 = cal.add_working_days(start, 201);
    let now = format!("{day201}T09:00:00");
    assert!(
        rules(&s, &now).contains(&"schedule_deviation"),
        "20.1 points is"
    );
    // 20.1 % elapsed but 1 % done: 19.1 points, fine.
    let s = snap(vec![task(1, "2023-01-02", 1000, 1)], vec![], cal);
    assert!(!rules(&s, &now).contains(&"schedule_deviation"));
}

#[test]
fn elapsed_days_follow_holidays_make_up_days_and_weekends() {
    // National Day 2023: 10-02…10-06 off, Saturday 10-07 worked.
    let cal = Calendar::new(
        [
            "2023-10-02",
            "2023-10-03",
            "2023-10-04",
            "2023-10-05",
            "2023-10-06",
        ]
        .map(d),
        [d("2023-10-07")],
    );
    // Four days of work from Fri 9-29: 9-29, 10-07, 10-09, 10-10.
    let s = snap(vec![task(1, "2023-09-29", 4, 25)], vec![], cal);
    let row = s.plan.row(1).unwrap().clone();
    assert_eq!(row.finish, Some(d("2023-10-10")));
    // On 10-07 one of four days has passed: 25 % elapsed, 25 % done: no deviation, although
    // nine calendar days have.
    assert!(!rules(&s, "2023-10-07T10:00:00").contains(&"schedule_deviation"));
    // On Monday 10-09 two have (50 %), 25 done: 25 points behind.
    let on_monday = rules(&s, "2023-10-09T10:00:00");
    assert!(on_monday.contains(&"schedule_deviation"), "{on_monday:?}");
    // And 2 working days are left (10-09, 10-10): behind, so the delay must be reported.
    assert!(on_monday.contains(&"delay_report"), "{on_monday:?}");
    // On the Saturday make-up day, three working days are left: not yet.
    assert!(!rules(&s, "2023-10-07T10:00:00").contains(&"delay_report"));
}

#[test]
fn a_waiting_successor_reminds_the_predecessor_three_days_ahead() {
    let cal = Calendar::default();
    let link = Link {
        id: 1,
        predecessor: 1,
        successor: 2,
        kind: LinkKind::Fs,
        lag: 0,
    };
    // Predecessor ends Fri 10-13 (deadline Sat 00:00).
    let s = snap(
        vec![task(1, "2023-10-09", 5, 80), task(2, "2023-10-16", 3, 0)],
        vec![link],
        cal,
    );
    assert!(
        rules(&s, "2023-10-11T00:00:00").contains(&"predecessor_due"),
        "exactly 3 days"
    );
    assert!(!rules(&s, "2023-10-10T23:59:00").contains(&"predecessor_due"));
    let w = evaluate(&s, at("2023-10-12T09:00:00"), &Settings::default());
    let p = w.iter().find(|w| w.rule == "predecessor_due").unwrap();
    assert_eq!(p.object, "task:1");
    assert!(
        p.message.zh.contains("任务2") && p.message.en.contains("任务2"),
        "{p:?}"
    );
}

#[test]
fn issue_clocks_run_24_and_48_hours_from_their_level() {
    let issue = Issue {
        id: 7,
        description: "物流资金未到位".into(),
        raised_at: "2023-10-09T10:00:00".into(),
        ladder_since: "2023-10-09T10:00:00".into(),
        ..Default::default()
    };
    let mut s = snap(vec![], vec![], Calendar::default());
    s.issues = vec![issue.clone()];
    assert!(rules(&s, "2023-10-10T09:59:59").is_empty());
    assert_eq!(rules(&s, "2023-10-10T10:00:00"), ["issue_no_meeting"]);
    assert_eq!(rules(&s, "2023-10-11T10:00:00"), ["issue_unresolved"]);
    // A meeting silences the first clock, not the second.
    s.issues[0].meeting_at = Some("2023-10-09T16:00:00".into());
    assert!(rules(&s, "2023-10-10T12:00:00").is_empty());
    assert_eq!(rules(&s, "2023-10-11T10:00:00"), ["issue_unresolved"]);
    // At the decision layer, the warning asks for the final decision instead.
    s.issues[0].ladder = 3;
    assert_eq!(rules(&s, "2023-10-11T10:00:00"), ["issue_unresolved_top"]);
    // Minor issues run no clock; solved ones neither.
    s.issues[0].scope = "minor".into();
    assert!(rules(&s, "2023-10-20T10:00:00").is_empty());
    let clock = issue.clock(at("2023-10-11T10:00:00"), 24, 48);
    assert!(clock.suggest_escalation);
}

#[test]
fn the_numbers_are_the_projects_own() {
    let s = snap(
        vec![task(1, "2023-10-09", 5, 50)],
        vec![],
        Calendar::default(),
    );
    let tight = Settings {
        due_soon_hours: 24,
        ..Default::default()
    };
    let now = at("2023-10-12T12:00:00");
    assert!(evaluate(&s, now, &Settings::default())
        .iter()
        .any(|w| w.rule == "task_due_soon"));
    assert!(!evaluate(&s, now, &tight)
        .iter()
        .any(|w| w.rule == "task_due_soon"));
}

#[test]
fn unconfirmed_minutes_and_action_items_at_their_boundaries() {
    let mut s = snap(vec![], vec![], Calendar::default());
    let m = crate::meetings::Meeting {
        id: 3,
        title: "周例会".into(),
        starts_at: "2023-10-09T10:00:00".into(),
        notice_sent_at: Some("2023-10-05T09:00:00".into()),
        minutes_sent_at: Some("2023-10-13T16:00:00".into()),
        ..Default::default()
    };
    s.meetings = vec![(m, true)];
    // Sent Friday 16:00: one working day later is Monday 16:00, not Saturday.
    assert!(rules(&s, "2023-10-16T15:59:59").is_empty());
    assert_eq!(rules(&s, "2023-10-16T16:00:00"), ["minutes_unconfirmed"]);
    s.meetings[0].1 = false;
    assert!(
        rules(&s, "2023-10-20T16:00:00").is_empty(),
        "confirmed minutes raise nothing"
    );
    s.actions = vec![crate::meetings::ActionItem {
        id: 9,
        description: "落实物流车辆".into(),
        due: Some("2023-10-27".into()),
        ..Default::default()
    }];
    assert_eq!(rules(&s, "2023-10-26T00:00:00"), ["action_due_soon"]);
    assert_eq!(rules(&s, "2023-10-28T00:00:00"), ["action_overdue"]);
}
