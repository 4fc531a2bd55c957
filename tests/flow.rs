//! The flow from meeting to archive on real project files: departments added in follow-ups,
//! back-dated follow-ups covering several items, action items linked to tasks, dates and status
//! checked, and closing refused while work is still open.

use crate::util::*;
use liaison_core::clock::{now, stamp};
use liaison_core::control;
use liaison_core::error::Error;
use liaison_core::interchange::{json, xlsx};
use liaison_core::meetings::{self, Adjust, FollowUp, LedgerQuery};
use liaison_core::{acceptance, archive, closing, demo, org, plan, signoff, warnings, Lang};
use rusqlite::Connection;

fn refusal<T: std::fmt::Debug>(r: liaison_core::Result<T>) -> String {
    match r {
        Err(Error::Refused { key, .. }) => key,
        Err(Error::Invalid { detail, .. }) => detail,
        other => format!("{other:?}"),
    }
}

fn open(dir: &std::path::Path) -> liaison_core::Project {
    liaison_core::Project::open(&demo_file(dir, "flow.liaison")).unwrap()
}

/// Marks every task of the plan done (progress stays editable after publishing).
fn finish_every_task(conn: &mut Connection) {
    for t in plan::load(conn).unwrap().tasks {
        plan::update_task(
            conn,
            "张伟",
            &plan::Task {
                status: "done".into(),
                percent_done: 100,
                ..t
            },
        )
        .unwrap();
    }
}

#[test]
fn a_department_added_in_a_follow_up_is_kept_in_the_ledger_its_filter_the_excel_and_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = open(dir.path());
    let conn = p.conn_mut();
    let item = meetings::actions(conn).unwrap().remove(0);
    let added = org::list(conn)
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .find(|d| *d != item.department)
        .unwrap();
    meetings::follow_up(
        conn,
        "张伟",
        &FollowUp {
            action_id: item.id,
            progress: "需要协助".into(),
            adjustment: "物流排期需要协助".into(),
            ..Default::default()
        },
        &Adjust {
            add_department: Some(added.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let a = meetings::action(conn, item.id).unwrap();
    assert_eq!(
        a.departments(),
        vec![item.department.clone(), added.clone()]
    );
    // The ledger filtered by either department finds the item.
    for d in [&item.department, &added] {
        let rows = meetings::ledger(
            conn,
            &LedgerQuery {
                department: d.clone(),
                ..Default::default()
            },
            now(),
        )
        .unwrap();
        assert!(rows.iter().any(|r| r.action.id == item.id), "filter {d}");
    }
    // The Excel ledger names both departments on the item's row.
    let sheet = xlsx::sheet(conn, "ledger", Lang::Zh).unwrap();
    let col = sheet.headers.iter().position(|h| h == "责任部门").unwrap();
    let desc = sheet.headers.iter().position(|h| h == "行动项").unwrap();
    let row = sheet
        .rows
        .iter()
        .find(|r| matches!(&r[desc], xlsx::Cell::Text(t) if *t == item.description))
        .unwrap();
    match &row[col] {
        xlsx::Cell::Text(t) => {
            assert!(t.contains(&item.department) && t.contains(&added), "{t}")
        }
        other => panic!("{other:?}"),
    }
    // The project JSON keeps it, and so does a project imported from that JSON.
    let text = json::export_text(conn).unwrap();
    let copy = dir.path().join("copy.liaison");
    json::import(&text, &copy).unwrap();
    let back = liaison_core::Project::open(&copy).unwrap();
    let a2 = meetings::action(back.conn(), item.id).unwrap();
    assert_eq!(a2.departments(), a.departments());
}

#[test]
fn a_follow_up_is_back_dated_covers_several_items_and_keeps_when_it_was_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = open(dir.path());
    let conn = p.conn_mut();
    let items = meetings::actions(conn).unwrap();
    let ids = [items[0].id, items[1].id];
    let latest_start = ids
        .iter()
        .map(|id| {
            let a = meetings::action(conn, *id).unwrap();
            let created = liaison_core::clock::parse_time(&a.created_at).unwrap();
            match a.meeting_id {
                Some(m) => created.min(
                    liaison_core::clock::parse_time(&meetings::meeting(conn, m).unwrap().starts_at)
                        .unwrap(),
                ),
                None => created,
            }
        })
        .max()
        .unwrap();
    let entry = |at: String| FollowUp {
        at,
        progress: "两项一起跟进".into(),
        ..Default::default()
    };
    // In the future, or before an item existed: refused.
    let tomorrow = (now() + chrono::Duration::days(1)).date().to_string();
    assert_eq!(
        refusal(meetings::follow_up_many(
            conn,
            "张伟",
            &ids,
            &entry(tomorrow),
            &Adjust::default()
        )),
        "meeting.follow_future"
    );
    let before = (latest_start - chrono::Duration::days(1))
        .date()
        .to_string();
    assert_eq!(
        refusal(meetings::follow_up_many(
            conn,
            "张伟",
            &ids,
            &entry(before),
            &Adjust::default()
        )),
        "meeting.follow_before_item"
    );
    // Back-dated to the day the later item appeared: one entry, two lines, the audit time kept.
    let day = latest_start.date();
    let lines = meetings::follow_up_many(
        conn,
        "张伟",
        &ids,
        &entry(format!("{day}T18:00")),
        &Adjust {
            status: Some("in_progress".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(lines.len(), 2);
    for (id, line) in ids.iter().zip(&lines) {
        let logged = meetings::follow_ups(conn, *id).unwrap();
        let last = logged.iter().find(|f| f.id == line.id).unwrap();
        assert_eq!(last.at, stamp(day.and_hms_opt(18, 0, 0).unwrap()));
        let recorded =
            liaison_core::clock::parse_time(last.recorded_at.as_deref().unwrap()).unwrap();
        assert!(now() - recorded < chrono::Duration::minutes(5));
        assert_eq!(last.entry, Some(lines[0].id));
        assert_eq!(meetings::action(conn, *id).unwrap().status, "in_progress");
    }
}

#[test]
fn an_action_item_links_to_a_task_after_publishing_and_is_done_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = open(dir.path());
    let conn = p.conn_mut();
    assert!(
        plan::baseline(conn).unwrap().is_some(),
        "the example is published"
    );
    let item = meetings::actions(conn)
        .unwrap()
        .into_iter()
        .find(|a| a.status != "done" && a.task_id.is_none())
        .unwrap();
    // Creating a task from it is refused with the way out, not a failed save.
    assert_eq!(
        refusal(meetings::to_task(conn, "张伟", item.id)),
        "meeting.task_published"
    );
    let loaded = plan::load(conn).unwrap();
    let task = loaded
        .tasks
        .iter()
        .zip(&loaded.rows)
        .find(|(t, r)| !r.summary && t.status != "done")
        .map(|(t, _)| t.clone())
        .unwrap();
    meetings::link_task(conn, "张伟", item.id, Some(task.id)).unwrap();
    let row = |conn: &Connection| {
        meetings::ledger(conn, &LedgerQuery::default(), now())
            .unwrap()
            .into_iter()
            .find(|r| r.action.id == item.id)
            .unwrap()
    };
    assert_eq!(row(conn).task.as_deref(), Some(task.name.as_str()));
    assert_ne!(row(conn).action.status, "done");
    plan::update_task(
        conn,
        "李娜",
        &plan::Task {
            status: "done".into(),
            percent_done: 100,
            ..task.clone()
        },
    )
    .unwrap();
    let r = row(conn);
    assert_eq!(r.action.status, "done");
    assert_eq!(r.task_status.as_deref(), Some("done"));
    let history = liaison_core::audit::history(conn, &[format!("action:{}", item.id)]).unwrap();
    let fields: Vec<&str> = history.iter().map(|e| e.field.as_str()).collect();
    assert!(
        fields.contains(&"task") && fields.contains(&"status"),
        "{fields:?}"
    );
}

#[test]
fn minutes_before_the_meeting_late_deliveries_and_unfinished_or_unstandardized_passes_are_refused()
{
    let dir = tempfile::tempdir().unwrap();
    let mut p = open(dir.path());
    let conn = p.conn_mut();
    // Minutes sent before the meeting ended.
    let m = meetings::meetings(conn)
        .unwrap()
        .into_iter()
        .find(|m| {
            liaison_core::doc_state::state(conn, liaison_core::DocKind::Minutes, m.id).unwrap()
                == signoff::State::Draft
        })
        .unwrap_or_else(|| {
            let people = liaison_core::people::list(conn).unwrap();
            meetings::save_meeting(
                conn,
                "张伟",
                &meetings::Meeting {
                    title: "复盘准备会".into(),
                    starts_at: stamp(now() + chrono::Duration::days(2)),
                    attendees: vec![people[0].id, people[1].id],
                    recorder_id: Some(people[0].id),
                    ..Default::default()
                },
            )
            .unwrap()
        });
    let mut m = m;
    m.recorder_id = m.recorder_id.or(m.attendees.first().copied());
    m.starts_at = stamp(now() + chrono::Duration::hours(3));
    let m = meetings::save_meeting(conn, "张伟", &m).unwrap();
    assert_eq!(
        refusal(meetings::send_minutes(conn, "张伟", m.id, now())),
        "meeting.minutes_before_meeting"
    );
    // A department's delivery date after the project's end.
    let end = liaison_core::registration::load(conn)
        .unwrap()
        .registration
        .end_date;
    let end = liaison_core::clock::parse_date(&end).unwrap();
    let mut d = org::list(conn).unwrap().remove(0);
    d.delivery_date = Some((end + chrono::Duration::days(1)).to_string());
    assert_eq!(
        refusal(org::update(conn, "张伟", &d)),
        "org.delivery_after_end"
    );
    d.delivery_date = Some(end.to_string());
    org::update(conn, "张伟", &d).unwrap();
    // A task not done, or without a delivery standard, cannot pass acceptance.
    let a = acceptance::load(conn).unwrap();
    let undone = a.items.iter().find(|i| i.status != "done").unwrap();
    assert_eq!(
        refusal(acceptance::save_item(
            conn,
            "张伟",
            undone.task_id,
            "已交付",
            "pass"
        )),
        "acceptance.pass_not_done"
    );
    finish_every_task(conn);
    conn.execute(
        "UPDATE task SET delivery_standard = '' WHERE id = ?1",
        [undone.task_id],
    )
    .unwrap();
    assert_eq!(
        refusal(acceptance::save_item(
            conn,
            "张伟",
            undone.task_id,
            "已交付",
            "pass"
        )),
        "acceptance.pass_no_standard"
    );
    acceptance::save_item(conn, "张伟", undone.task_id, "没有交付标准", "fail").unwrap();
}

#[test]
fn closing_lists_the_work_still_open_and_needs_each_settled_then_warns_of_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = open(dir.path());
    let conn = p.conn_mut();
    finish_every_task(conn);
    let open = closing::unresolved(conn).unwrap();
    assert!(open.iter().any(|i| i.kind == "action"), "{open:?}");
    // The acceptance round is refused, naming what is open.
    let err = demo::accept_example(conn, 1).unwrap_err();
    assert!(matches!(&err, Error::Refused { key, .. } if key == "closing.open_work"));
    let message = err.message(Lang::Zh);
    let named = open.iter().find(|i| !i.title.is_empty()).unwrap();
    assert!(message.contains(&named.title), "{message}");
    // A disposition needs a reason; with one it is recorded and audited.
    let first = &open[0];
    assert_eq!(
        refusal(closing::dispose(
            conn,
            "张伟",
            &first.kind,
            first.id,
            "withdrawn",
            " "
        )),
        "closing.reason_required"
    );
    let object = format!("{}:{}", first.kind, first.id);
    let far = now() + chrono::Duration::days(365);
    let warned = |conn: &Connection| {
        warnings::for_project(conn, far)
            .unwrap()
            .iter()
            .any(|w| w.object == object)
    };
    assert_eq!(first.kind, "action");
    assert!(warned(conn), "an open item a year late is warned of");
    closing::dispose(
        conn,
        "张伟",
        &first.kind,
        first.id,
        "withdrawn",
        "目标已调整",
    )
    .unwrap();
    assert!(!warned(conn), "a withdrawn item is not");
    let history =
        liaison_core::audit::history(conn, &[format!("closing:{}:{}", first.kind, first.id)])
            .unwrap();
    assert_eq!(history.len(), 1);
    demo::settle_example(conn).unwrap();
    assert!(closing::unresolved(conn).unwrap().is_empty());
    demo::accept_example(conn, 1).unwrap();
    demo::review_example(conn, 1).unwrap();
    // A risk opened after the acceptance stops the closing until it is settled.
    let risk = control::save_risk(
        conn,
        "张伟",
        &control::Risk {
            description: "售后备件不足".into(),
            level: "medium".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let err = archive::close(conn, "张伟").unwrap_err();
    assert!(err.message(Lang::Zh).contains("售后备件不足"));
    closing::dispose(
        conn,
        "张伟",
        "risk",
        risk.id,
        "carried_over",
        "转入售后项目",
    )
    .unwrap();
    archive::close(conn, "张伟").unwrap();
    let settled = closing::open_work(conn).unwrap();
    let r = settled
        .iter()
        .find(|i| i.kind == "risk" && i.id == risk.id)
        .unwrap();
    assert_eq!(r.disposition.as_ref().unwrap().reason, "转入售后项目");
    // The read-only archive warns of nothing it could never clear.
    let later = now() + chrono::Duration::days(60);
    assert!(warnings::for_project(conn, later).unwrap().is_empty());
}

#[test]
fn a_meeting_longer_than_its_communication_plan_allows_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = open(dir.path());
    let conn = p.conn_mut();
    let entry = liaison_core::comms::list(conn)
        .unwrap()
        .into_iter()
        .find(|c| c.time_limit > 0)
        .unwrap();
    let mut m = meetings::from_comm_plan(conn, "张伟", entry.id, now(), Lang::Zh).unwrap();
    assert_eq!(meetings::over_time_limit(conn, &m).unwrap(), None);
    m.duration = entry.time_limit * 2;
    let m = meetings::save_meeting(conn, "张伟", &m).unwrap();
    assert_eq!(
        meetings::over_time_limit(conn, &m).unwrap(),
        Some(entry.time_limit)
    );
}
