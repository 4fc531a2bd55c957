//! The plan on a real schema: scheduling on the calendar, dependencies and cycles, the tree, and
//! publication with its baseline.

use super::schedule::LinkKind;
use super::*;
use crate::org;
use crate::people::{self, Person};
use crate::signoff::{Decision, Sign, State};
use crate::storage::migrations::{migrate_to, LATEST};
use serde_json::json;

const ME: &str = "张伟";

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

/// A project with the worked example's four departments, a head each, and no tasks.
fn setup() -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    migrate_to(&mut conn, LATEST).unwrap();
    crate::storage::init(&conn, "x").unwrap();
    crate::registration::save(&mut conn, ME, &crate::demo::worked_example()).unwrap();
    org::import_from_registration(&mut conn, ME).unwrap();
    for (name, dept) in [
        ("李娜", "产品部"),
        ("王强", "研发部"),
        ("陈静", "市场部"),
        ("刘洋", "销售部"),
    ] {
        people::add(
            &mut conn,
            ME,
            &Person {
                name: name.into(),
                department: dept.into(),
                role: "head".into(),
                ..Default::default()
            },
        )
        .unwrap();
    }
    conn
}

fn dept(conn: &Connection, name: &str) -> i64 {
    org::list(conn)
        .unwrap()
        .into_iter()
        .find(|x| x.name == name)
        .unwrap()
        .id
}

/// Adds a top-level task with a start and a duration, led by `lead`.
fn task(conn: &mut Connection, name: &str, start: &str, days: i64, lead: &str) -> Task {
    let t = add_task(
        conn,
        ME,
        &NewTask {
            name: name.into(),
            ..Default::default()
        },
    )
    .unwrap();
    let lead = dept(conn, lead);
    update_task(
        conn,
        ME,
        &Task {
            start_date: Some(start.into()),
            duration: days,
            lead_department: Some(lead),
            ..t
        },
    )
    .unwrap()
    .task
}

#[test]
fn finishes_follow_the_calendar_with_holidays_make_up_days_and_buffer() {
    let mut conn = setup();
    let t = task(&mut conn, "销售培训材料制作", "2023-09-27", 5, "销售部");
    let row = load(&conn).unwrap().row(t.id).unwrap().clone();
    // Wed 9-27 … Tue 10-03 without holidays.
    assert_eq!(row.work_finish, Some(d("2023-10-03")));
    // National Day: 9-29 and 10-2…10-6 off, Saturday 10-7 worked.
    for day in [
        "2023-09-29",
        "2023-10-02",
        "2023-10-03",
        "2023-10-04",
        "2023-10-05",
        "2023-10-06",
    ] {
        set_calendar_day(&mut conn, ME, day, Some("holiday"), "国庆").unwrap();
    }
    set_calendar_day(&mut conn, ME, "2023-10-07", Some("workday"), "调休").unwrap();
    let plan = load(&conn).unwrap();
    // 9-27, 9-28, 10-7, 10-9, 10-10: the holiday moved the finish a week.
    assert_eq!(plan.row(t.id).unwrap().work_finish, Some(d("2023-10-10")));
    // A 7-day task is scheduled as 8 with one day of buffer; the list suggests it.
    let t2 = task(&mut conn, "售后响应手册制定", "2023-08-07", 7, "产品部");
    let plan = load(&conn).unwrap();
    let rows = view::rows(
        &plan,
        &view::Names::default(),
        None,
        &[],
        &view::Query::default(),
        d("2023-08-01"),
    );
    let r = rows.iter().find(|r| r.id == t2.id).unwrap();
    assert_eq!(r.suggested_buffer, Some(1));
    update_task(
        &mut conn,
        ME,
        &Task {
            buffer: 1,
            ..t2.clone()
        },
    )
    .unwrap();
    let plan = load(&conn).unwrap();
    let row = plan.row(t2.id).unwrap();
    assert_eq!(row.work_finish, Some(d("2023-08-15")));
    assert_eq!(row.finish, Some(d("2023-08-16")));
    assert_eq!(
        plan.calendar
            .working_days(row.start.unwrap(), row.finish.unwrap()),
        8
    );
    // Removing the exception restores the normal week.
    set_calendar_day(&mut conn, ME, "2023-10-07", None, "").unwrap();
    assert!(!load_calendar(&conn).unwrap().is_working(d("2023-10-07")));
}

#[test]
fn a_cycle_is_refused_with_the_tasks_along_it() {
    let mut conn = setup();
    let a = task(&mut conn, "销售培训材料制作", "2023-08-01", 5, "销售部");
    let b = task(&mut conn, "渠道铺货执行", "2023-08-10", 9, "销售部");
    let c = task(&mut conn, "售后响应手册制定", "2023-08-23", 5, "产品部");
    add_link(&mut conn, ME, a.id, b.id, LinkKind::Fs, 0).unwrap();
    add_link(&mut conn, ME, b.id, c.id, LinkKind::Fs, 0).unwrap();
    let err = add_link(&mut conn, ME, c.id, a.id, LinkKind::Fs, 0).unwrap_err();
    assert_eq!(err.code(), "refused");
    let msg = err.message(crate::Lang::Zh);
    assert!(
        msg.contains(
            "3 售后响应手册制定 → 1 销售培训材料制作 → 2 渠道铺货执行 → 3 售后响应手册制定"
        ),
        "{msg}"
    );
    assert!(
        err.message(crate::Lang::En).contains("loop"),
        "{}",
        err.message(crate::Lang::En)
    );
    assert_eq!(load_links(&conn).unwrap().len(), 2, "nothing was added");
    assert_eq!(
        add_link(&mut conn, ME, a.id, b.id, LinkKind::Ss, 0)
            .unwrap_err()
            .code(),
        "refused"
    );
}

#[test]
fn moving_a_predecessor_names_the_successors_it_now_blocks() {
    let mut conn = setup();
    let a = task(&mut conn, "销售培训材料制作", "2023-08-01", 5, "销售部");
    let b = task(&mut conn, "渠道铺货执行", "2023-08-10", 9, "销售部");
    let c = task(&mut conn, "售后响应手册制定", "2023-08-05", 5, "产品部");
    add_link(&mut conn, ME, a.id, b.id, LinkKind::Fs, 2).unwrap();
    add_link(&mut conn, ME, a.id, c.id, LinkKind::Ss, 0).unwrap();
    assert!(load(&conn).unwrap().violations().is_empty());
    // Two days later: finish Thu 8-09 + 2 working days of lag → b may start Mon 8-14.
    let saved = update_task(
        &mut conn,
        ME,
        &Task {
            start_date: Some("2023-08-03".into()),
            ..a.clone()
        },
    )
    .unwrap();
    assert_eq!(saved.broken.len(), 1);
    assert_eq!(saved.broken[0].link.successor, b.id);
    assert_eq!(saved.broken[0].earliest, d("2023-08-14"));
    // The suggested fix moves b to its earliest start and keeps its length.
    let fixed = fix_start(&mut conn, ME, b.id).unwrap();
    assert_eq!(fixed.task.start_date.as_deref(), Some("2023-08-14"));
    assert!(fixed.broken.is_empty());
}

#[test]
fn the_tree_numbers_and_rolls_up() {
    let mut conn = setup();
    let phase = add_task(
        &mut conn,
        ME,
        &NewTask {
            name: "上市准备".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let a = task(&mut conn, "销售培训材料制作", "2023-08-01", 5, "销售部");
    let b = task(&mut conn, "渠道铺货执行", "2023-08-10", 9, "销售部");
    move_task(&mut conn, ME, a.id, Move::Indent).unwrap();
    move_task(&mut conn, ME, b.id, Move::Indent).unwrap();
    update_task(
        &mut conn,
        ME,
        &Task {
            percent_done: 100,
            ..a.clone()
        },
    )
    .unwrap();
    let plan = load(&conn).unwrap();
    let outline: Vec<&str> = plan.rows.iter().map(|r| r.outline.as_str()).collect();
    assert_eq!(outline, ["1", "1.1", "1.2"]);
    let p = plan.row(phase.id).unwrap();
    assert!(p.summary);
    assert_eq!(
        (p.start, p.finish),
        (Some(d("2023-08-01")), Some(d("2023-08-22")))
    );
    // 5 of 14 working days are done.
    assert_eq!(p.percent, 35);
    assert_eq!(plan.task(a.id).unwrap().status, "done");
    move_task(&mut conn, ME, b.id, Move::Up).unwrap();
    move_task(&mut conn, ME, a.id, Move::Outdent).unwrap();
    let plan = load(&conn).unwrap();
    assert_eq!(plan.label(b.id), "1.1 渠道铺货执行");
    assert_eq!(plan.label(a.id), "2 销售培训材料制作");
    // A task cannot depend on its own parent.
    assert_eq!(
        add_link(&mut conn, ME, phase.id, b.id, LinkKind::Fs, 0)
            .unwrap_err()
            .code(),
        "refused"
    );
    delete_task(&mut conn, ME, phase.id).unwrap();
    assert_eq!(load(&conn).unwrap().tasks.len(), 1);
}

#[test]
fn publishing_needs_every_head_freezes_a_baseline_and_later_edits_compare_with_it() {
    let mut conn = setup();
    let a = task(&mut conn, "销售培训材料制作", "2023-08-01", 5, "销售部");
    let b = task(&mut conn, "渠道铺货执行", "2023-08-10", 9, "销售部");
    add_link(&mut conn, ME, a.id, b.id, LinkKind::Fs, 0).unwrap();
    let heads = countersigners(&conn).unwrap();
    assert_eq!(heads.len(), 4);
    // Leaving a head out is refused, naming them.
    let err = crate::kinds::start(&mut conn, ME, crate::DocKind::Plan, 1, &heads[..3]).unwrap_err();
    assert!(
        err.message(crate::Lang::Zh).contains("刘洋"),
        "{}",
        err.message(crate::Lang::Zh)
    );
    let panel = publish(&mut conn, ME).unwrap();
    assert_eq!(panel.state, State::InSignoff);
    // The schedule is locked while signing; progress is not.
    let moved = Task {
        start_date: Some("2023-08-02".into()),
        ..a.clone()
    };
    assert_eq!(
        update_task(&mut conn, ME, &moved).unwrap_err().code(),
        "locked"
    );
    update_task(
        &mut conn,
        ME,
        &Task {
            percent_done: 20,
            status: "in_progress".into(),
            ..a.clone()
        },
    )
    .unwrap();
    assert_eq!(
        add_link(&mut conn, ME, b.id, a.id, LinkKind::Ff, 0)
            .unwrap_err()
            .code(),
        "locked"
    );
    let round = panel.rounds[0].clone();
    for h in &heads {
        crate::kinds::sign(
            &mut conn,
            "张伟",
            &Sign {
                round_id: round.id,
                revision: round.revision,
                person_id: *h,
                decision: Decision::Approve,
                comment: String::new(),
            },
        )
        .unwrap();
    }
    // Published: version 1 frozen, the plan editable again, nothing moved yet.
    let base = baseline(&conn).unwrap().expect("published");
    assert_eq!(base.version, 1);
    assert_eq!(
        crate::doc_state::state(&conn, crate::DocKind::Plan, 1).unwrap(),
        State::Draft
    );
    assert_eq!(compare(&load(&conn).unwrap(), &base), Comparison::default());
    // A published plan's schedule changes only by an approved change request; progress still
    // changes directly.
    let a_now = load(&conn).unwrap().task(a.id).unwrap().clone();
    let direct = update_task(
        &mut conn,
        ME,
        &Task {
            duration: 8,
            ..a_now.clone()
        },
    )
    .unwrap_err();
    assert!(
        direct.message(crate::Lang::Zh).contains("变更申请"),
        "{}",
        direct.message(crate::Lang::Zh)
    );
    update_task(
        &mut conn,
        ME,
        &Task {
            percent_done: 30,
            ..a_now
        },
    )
    .unwrap();
    let sales = dept(&conn, "产品部");
    let someone = crate::people::list(&conn).unwrap()[0].id;
    let cr = crate::changes::save(
        &mut conn,
        ME,
        &crate::changes::ChangeRequest {
            title: "培训材料延长".into(),
            aspects: vec!["time".into()],
            reason: "竞品参数需补充".into(),
            edits: vec![
                crate::changes::Edit { task: a.id, field: "duration".into(), value: json!(8) },
                crate::changes::Edit {
                    task: 0,
                    field: "addTask".into(),
                    value: json!({"name": "售后响应手册制定", "start": "2023-08-05", "duration": 5, "lead": sales,
                                  "owner": someone,
                                  "deliveryStandard": "客诉 48 小时内解决"}),
                },
            ],
            ..Default::default()
        },
    )
    .unwrap();
    let panel = crate::changes::submit(&mut conn, ME, cr.id).unwrap();
    let round = panel.rounds[0].clone();
    for s in &round.signers {
        crate::kinds::sign(
            &mut conn,
            ME,
            &Sign {
                round_id: round.id,
                revision: round.revision,
                person_id: s.person.id,
                decision: Decision::Approve,
                comment: String::new(),
            },
        )
        .unwrap();
    }
    let extra = load(&conn)
        .unwrap()
        .tasks
        .iter()
        .find(|t| t.name == "售后响应手册制定")
        .unwrap()
        .clone();
    let cmp = compare(&load(&conn).unwrap(), &base);
    assert_eq!(cmp.moved, [(a.id, "1 销售培训材料制作".to_string(), 0, 3)]);
    assert_eq!(cmp.added, [(extra.id, "3 售后响应手册制定".to_string())]);
    // The frozen round still verifies: the baseline is not the live plan.
    assert_eq!(crate::kinds::verify(&conn).unwrap(), None);
    let rows = view::rows(
        &load(&conn).unwrap(),
        &view::Names::default(),
        Some(&base),
        &load(&conn).unwrap().violations(),
        &view::Query::default(),
        d("2023-08-01"),
    );
    let ra = rows.iter().find(|r| r.id == a.id).unwrap();
    assert_eq!(ra.baseline_finish, Some(d("2023-08-07")));
    assert_eq!(ra.finish_slip, 3);
    // b now starts too early: flagged on the row.
    assert!(rows.iter().find(|r| r.id == b.id).unwrap().violated);
}

#[test]
fn a_department_without_a_head_blocks_publication() {
    let mut conn = setup();
    task(&mut conn, "销售培训材料制作", "2023-08-01", 5, "销售部");
    org::add(&mut conn, ME, "财务部").unwrap();
    let err = publish(&mut conn, ME).unwrap_err();
    assert!(err.message(crate::Lang::Zh).contains("财务部"));
    assert_eq!(
        crate::doc_state::state(&conn, crate::DocKind::Plan, 1).unwrap(),
        State::Draft
    );
}

#[test]
fn the_list_filters_sorts_and_groups() {
    let mut conn = setup();
    let a = task(&mut conn, "销售培训材料制作", "2023-08-01", 5, "销售部");
    let b = task(&mut conn, "渠道铺货执行", "2023-08-10", 9, "销售部");
    let c = task(&mut conn, "售后响应手册制定", "2023-08-05", 5, "产品部");
    update_task(
        &mut conn,
        ME,
        &Task {
            status: "done".into(),
            ..a.clone()
        },
    )
    .unwrap();
    let plan = load(&conn).unwrap();
    let names = view::Names {
        departments: org::list(&conn)
            .unwrap()
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect(),
        people: HashMap::new(),
    };
    let ids = |q: view::Query| -> Vec<i64> {
        view::rows(&plan, &names, None, &[], &q, d("2023-08-15"))
            .iter()
            .map(|r| r.id)
            .collect()
    };
    let sales = dept(&conn, "销售部");
    assert_eq!(
        ids(view::Query {
            department: Some(sales),
            ..Default::default()
        }),
        [a.id, b.id]
    );
    // Overdue on 8-15: c (finished 8-11) but not a (done).
    assert_eq!(
        ids(view::Query {
            overdue: true,
            ..Default::default()
        }),
        [c.id]
    );
    assert_eq!(
        ids(view::Query {
            sort: "start".into(),
            ..Default::default()
        }),
        [a.id, c.id, b.id]
    );
    assert_eq!(
        ids(view::Query {
            text: "手册".into(),
            ..Default::default()
        }),
        [c.id]
    );
    let grouped = view::rows(
        &plan,
        &names,
        None,
        &[],
        &view::Query {
            group: true,
            ..Default::default()
        },
        d("2023-08-15"),
    );
    let kinds: Vec<(&str, String)> = grouped.iter().map(|r| (r.kind, r.label.clone())).collect();
    assert_eq!(kinds[0], ("group", "产品部".to_string()));
    assert_eq!(grouped[2].label, "销售部");
    assert_eq!(grouped[2].count, 2);
}

#[test]
fn the_tree_stops_at_its_maximum_depth_when_adding_and_indenting() {
    let mut conn = setup();
    let mut parent = None;
    for level in 0..MAX_DEPTH {
        let t = add_task(
            &mut conn,
            ME,
            &NewTask {
                parent_id: parent,
                name: format!("第 {level} 级"),
                ..Default::default()
            },
        )
        .unwrap();
        parent = Some(t.id);
    }
    let deeper = NewTask {
        parent_id: parent,
        name: "太深".into(),
        ..Default::default()
    };
    let e = add_task(&mut conn, ME, &deeper).unwrap_err();
    assert!(
        matches!(&e, Error::Refused { key, .. } if key == "plan.too_deep"),
        "{e:?}"
    );
    // A sibling of the deepest task cannot be indented under it either.
    let grand = load(&conn)
        .unwrap()
        .task(parent.unwrap())
        .unwrap()
        .parent_id;
    let sibling = add_task(
        &mut conn,
        ME,
        &NewTask {
            parent_id: grand,
            name: "同级".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let e = move_task(&mut conn, ME, sibling.id, Move::Indent).unwrap_err();
    assert!(
        matches!(&e, Error::Refused { key, .. } if key == "plan.too_deep"),
        "{e:?}"
    );
    assert_eq!(load(&conn).unwrap().tasks.len(), MAX_DEPTH + 1);
}

#[test]
fn extreme_days_never_overflow_the_calendar_or_the_rules() {
    let cal = Calendar::default();
    let day = d("2023-10-09");
    for n in [i64::MAX, i64::MIN, i64::MIN + 1] {
        let _ = cal.add_working_days(day, n);
        let _ = cal.finish(day, n);
    }
    let span = Span {
        start: day,
        finish: day,
    };
    for lag in [i64::MAX, i64::MIN] {
        for kind in [LinkKind::Fs, LinkKind::Ss, LinkKind::Ff] {
            let link = Link {
                id: 1,
                predecessor: 1,
                successor: 2,
                kind,
                lag,
            };
            let _ = schedule::earliest(&cal, &link, span);
        }
    }
    let (low, high) = schedule::suggested_buffer(i64::MAX).unwrap();
    assert!(low > 0 && high >= low);
    // A plan holding such values (only a damaged file can) still computes.
    let plan = Plan::new(
        vec![Task {
            id: 1,
            start_date: Some("2023-10-09".into()),
            duration: i64::MAX,
            buffer: i64::MAX,
            percent_done: i64::MAX,
            ..Default::default()
        }],
        vec![],
        cal,
    );
    assert_eq!(plan.rows.len(), 1);
}
