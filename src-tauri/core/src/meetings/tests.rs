//! The closed loop on a real schema: notice, minutes, confirmation and lock, ledger and follow-up.

use super::*;
use crate::clock::parse_date;
use crate::clock::parse_time;
use crate::reports::{missing_reports, reports, submit_report, ReportLine};
use crate::signoff::{self, Decision, Sign, State};
use chrono::NaiveDateTime;

const ME: &str = "张伟";

fn at(s: &str) -> NaiveDateTime {
    parse_time(s).unwrap()
}

/// The worked example (people, plan) in a file, and a meeting with three attendees and two items.
fn setup() -> (Connection, Meeting, Vec<ActionItem>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.liaison");
    drop(crate::demo::write_example(&path).unwrap());
    let mut conn = Connection::open(&path).unwrap();
    std::mem::forget(dir);
    let people = crate::people::list(&conn).unwrap();
    let id = |n: &str| people.iter().find(|p| p.name == n).unwrap().id;
    let m = save_meeting(
        &mut conn,
        ME,
        &Meeting {
            title: "渠道铺货协调会".into(),
            starts_at: "2023-10-25T10:00:00".into(),
            duration: 60,
            place: "线上腾讯会议 123-456".into(),
            agenda: vec!["资金审批".into(), "物流排期".into()],
            recorder_id: Some(id("张伟")),
            attendees: vec![id("张伟"), id("刘洋"), id("李娜")],
            ..Default::default()
        },
    )
    .unwrap();
    save_topic(
        &mut conn,
        ME,
        &Topic {
            meeting_id: m.id,
            title: "资金审批".into(),
            discussion: "物流商要求预付 30%".into(),
            result: "财务部特批".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let items = [
        ("刘洋", "落实首批物流车辆", "2023-10-27", true),
        ("李娜", "补充竞品参数", "2023-10-31", false),
    ]
    .iter()
    .map(|(p, d, day, urgent)| {
        save_action(
            &mut conn,
            ME,
            &ActionItem {
                meeting_id: Some(m.id),
                person_id: Some(id(p)),
                description: d.to_string(),
                standard: "书面确认".into(),
                deadline: Some(day.to_string()),
                urgent: *urgent,
                ..Default::default()
            },
        )
        .unwrap()
    })
    .collect();
    (conn, m, items)
}

fn confirm(
    conn: &mut Connection,
    id: i64,
    person: i64,
    decision: Decision,
    comment: &str,
) -> crate::Result<signoff::Panel> {
    let panel = crate::kinds::panel(conn, crate::DocKind::Minutes, id)?;
    let round = panel.rounds[0].clone();
    crate::kinds::sign(
        conn,
        ME,
        &Sign {
            round_id: round.id,
            revision: round.revision,
            person_id: person,
            decision,
            comment: comment.into(),
        },
    )
}

#[test]
fn every_attendee_confirms_then_the_minutes_are_locked() {
    let (mut conn, m, items) = setup();
    let panel = send_minutes(&mut conn, ME, m.id, at("2023-10-25T15:00:00")).unwrap();
    assert_eq!(panel.rounds[0].signers.len(), 3);
    for p in &m.attendees {
        confirm(&mut conn, m.id, *p, Decision::Confirm, "").unwrap();
    }
    assert_eq!(
        crate::doc_state::state(&conn, crate::DocKind::Minutes, m.id).unwrap(),
        State::Signed
    );
    // Locked: topics, items and the notice are refused by the core, and by triggers underneath.
    let mut t = topics(&conn, m.id).unwrap()[0].clone();
    t.result = "改为总经理审批".into();
    assert_eq!(save_topic(&mut conn, ME, &t).unwrap_err().code(), "locked");
    let mut a = items[0].clone();
    a.description = "改写".into();
    assert_eq!(save_action(&mut conn, ME, &a).unwrap_err().code(), "locked");
    assert!(conn
        .execute(
            "UPDATE topic SET result = 'x' WHERE meeting_id = ?1",
            [m.id]
        )
        .is_err());
    assert!(conn
        .execute("UPDATE meeting SET title = 'x' WHERE id = ?1", [m.id])
        .is_err());
    // Follow-up still works: progress and a moved deadline, with its reason.
    let err = follow_up(
        &mut conn,
        ME,
        &FollowUp {
            action_id: a.id,
            ..Default::default()
        },
        &Adjust {
            due: Some("2023-10-30".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid");
    follow_up(
        &mut conn,
        ME,
        &FollowUp {
            action_id: a.id,
            progress: "已联系两家物流商".into(),
            adjustment: "顺延：物流排期".into(),
            ..Default::default()
        },
        &Adjust {
            due: Some("2023-10-30".into()),
            status: Some("in_progress".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let moved = action(&conn, a.id).unwrap();
    assert_eq!(
        (moved.deadline.as_deref(), moved.due.as_deref()),
        (Some("2023-10-27"), Some("2023-10-30"))
    );
    // The confirmed minutes still verify: the agreed deadline is what was signed.
    assert_eq!(crate::kinds::verify(&conn).unwrap(), None);
    // A correction later makes a new revision with a reason; the confirmed one stays on record.
    crate::kinds::new_revision(
        &mut conn,
        ME,
        crate::DocKind::Minutes,
        m.id,
        "补记物流商名称",
    )
    .unwrap();
    save_topic(&mut conn, ME, &t).unwrap();
}

#[test]
fn a_correction_request_keeps_the_minutes_open_with_its_reason() {
    let (mut conn, m, _) = setup();
    send_minutes(&mut conn, ME, m.id, at("2023-10-25T15:00:00")).unwrap();
    confirm(&mut conn, m.id, m.attendees[0], Decision::Confirm, "").unwrap();
    // A correction needs its reason.
    assert_eq!(
        confirm(
            &mut conn,
            m.id,
            m.attendees[1],
            Decision::RequestCorrection,
            ""
        )
        .unwrap_err()
        .code(),
        "signoff"
    );
    let panel = confirm(
        &mut conn,
        m.id,
        m.attendees[1],
        Decision::RequestCorrection,
        "预付比例应为 20%",
    )
    .unwrap();
    assert_eq!(panel.state, State::Draft);
    let sig = panel.rounds[0]
        .signers
        .iter()
        .find_map(|s| {
            s.signature
                .clone()
                .filter(|g| g.person_id == m.attendees[1])
        })
        .unwrap_or_else(|| panic!("{:?}", panel.rounds[0]));
    assert_eq!(sig.comment, "预付比例应为 20%");
    // Not locked: the recorder corrects it and sends it again.
    let mut t = topics(&conn, m.id).unwrap()[0].clone();
    t.discussion = "物流商要求预付 20%".into();
    save_topic(&mut conn, ME, &t).unwrap();
    send_minutes(&mut conn, ME, m.id, at("2023-10-25T17:00:00")).unwrap();
}

#[test]
fn the_ledger_filters_and_flags_follow_up_cadence() {
    let (mut conn, m, items) = setup();
    let all = ledger(&conn, &LedgerQuery::default(), at("2023-10-26T09:00:00")).unwrap();
    let mine: Vec<_> = all
        .iter()
        .filter(|r| r.action.meeting_id == Some(m.id))
        .collect();
    assert_eq!(mine.len(), 2);
    // 10-27 ends within 48 h of 10-26 09:00; the urgent item wants a daily follow-up.
    let urgent = mine.iter().find(|r| r.action.id == items[0].id).unwrap();
    assert!(urgent.due_soon && urgent.cadence == "daily");
    let q = LedgerQuery {
        overdue: true,
        meeting: Some(m.id),
        ..Default::default()
    };
    let late = ledger(&conn, &q, at("2023-10-28T09:00:00")).unwrap();
    assert_eq!(
        late.iter().map(|r| r.action.id).collect::<Vec<_>>(),
        [items[0].id]
    );
    let q = LedgerQuery {
        department: "产品部".into(),
        meeting: Some(m.id),
        ..Default::default()
    };
    assert_eq!(
        ledger(&conn, &q, at("2023-10-26T09:00:00"))
            .unwrap()
            .iter()
            .map(|r| r.action.id)
            .collect::<Vec<_>>(),
        [items[1].id]
    );
    // An item becomes a task only through a change request once the plan is published.
    assert_eq!(
        to_task(&mut conn, ME, items[1].id).unwrap_err().code(),
        "refused"
    );
}

#[test]
fn a_notice_less_than_a_working_day_ahead_is_late() {
    let cal = crate::plan::calendar::Calendar::default();
    let m = Meeting {
        starts_at: "2023-10-30T10:00:00".into(),
        ..Default::default()
    };
    // Friday for Monday: no working day in between.
    assert!(notice_late(&cal, &m, at("2023-10-27T16:00:00")));
    // Thursday for Monday: Friday lies in between.
    assert!(!notice_late(&cal, &m, at("2023-10-26T16:00:00")));
}

#[test]
fn weekly_reports_update_progress_and_name_who_is_missing() {
    let (mut conn, _, _) = setup();
    let plan = crate::plan::load(&conn).unwrap();
    let task = plan
        .tasks
        .iter()
        .find(|t| t.name == "销售培训材料制作")
        .unwrap()
        .clone();
    let owner = task.owner_id.unwrap();
    let day = parse_date("2023-10-20").unwrap();
    assert!(missing_reports(&conn, day).unwrap().contains(&owner));
    submit_report(
        &mut conn,
        ME,
        owner,
        day,
        &[ReportLine {
            task_id: task.id,
            percent: 60,
            problems: "参数未定".into(),
            resources: "研发支持".into(),
        }],
    )
    .unwrap();
    assert!(!missing_reports(&conn, day).unwrap().contains(&owner));
    assert_eq!(
        crate::plan::load(&conn)
            .unwrap()
            .task(task.id)
            .unwrap()
            .percent_done,
        60
    );
    assert_eq!(reports(&conn, day).unwrap().len(), 1);
}

#[test]
fn an_action_item_needs_a_real_date() {
    let (mut conn, m, items) = setup();
    let mut a = items[0].clone();
    a.id = 0;
    a.deadline = Some("尽快".into());
    assert_eq!(
        save_action(&mut conn, ME, &a).unwrap_err().code(),
        "invalid"
    );
    a.deadline = None;
    assert_eq!(
        save_action(&mut conn, ME, &a).unwrap_err().code(),
        "invalid"
    );
    let _ = m;
}

#[test]
fn background_files_are_kept_in_the_project_and_refused_when_too_big() {
    let (mut conn, m, _) = setup();
    let id = attach(
        &mut conn,
        ME,
        m.id,
        "渠道名单.xlsx",
        b"PK\x03\x04 fake workbook",
    )
    .unwrap();
    assert_eq!(
        attachments(&conn, m.id).unwrap(),
        [(id, "渠道名单.xlsx".to_string(), 18)]
    );
    assert_eq!(
        attachment_data(&conn, id).unwrap().1,
        b"PK\x03\x04 fake workbook"
    );
    let big = vec![0u8; MAX_ATTACHMENT + 1];
    assert_eq!(
        attach(&mut conn, ME, m.id, "big.bin", &big)
            .unwrap_err()
            .code(),
        "refused"
    );
}

#[test]
fn a_meeting_comes_from_the_communication_plans_next_occurrence() {
    let (mut conn, _, _) = setup();
    let weekly = crate::comms::list(&conn)
        .unwrap()
        .into_iter()
        .find(|c| c.scenario == "progress_sync")
        .unwrap();
    // After Wednesday 10-25, the next Monday 10:00 is 10-30.
    let m = from_comm_plan(
        &mut conn,
        ME,
        weekly.id,
        at("2023-10-25T12:00:00"),
        crate::Lang::Zh,
    )
    .unwrap();
    assert_eq!(m.starts_at, "2023-10-30T10:00:00");
    assert_eq!(m.duration, weekly.time_limit);
    assert_eq!(m.attendees, weekly.participants);
    assert!(m.title.starts_with("进度同步"), "{}", m.title);
}
