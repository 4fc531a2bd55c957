//! Tests of change requests: edits, signers, approval applying them, rejection, failures.

use super::*;
use crate::signoff::{Decision, Sign, State};

const ME: &str = "张伟";

/// The worked example, published, and a request moving 1.2's finish by three working days.
fn setup() -> (Connection, ChangeRequest, i64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.liaison");
    drop(crate::demo::write_example(&path).unwrap());
    let mut conn = Connection::open(&path).unwrap();
    // The file outlives the test's handle on the folder (the connection keeps using it).
    std::mem::forget(dir);
    let plan = plan::load(&conn).unwrap();
    let t = plan
        .tasks
        .iter()
        .find(|t| t.name == "销售培训材料制作")
        .unwrap()
        .id;
    let rnd = crate::org::list(&conn).unwrap()[1].id;
    let c = save(
        &mut conn,
        ME,
        &ChangeRequest {
            title: "培训材料延期三天".into(),
            aspects: vec!["time".into()],
            reason: "需补充竞品参数".into(),
            impact: "铺货顺延".into(),
            alternatives: "加派一人".into(),
            edits: vec![
                Edit {
                    task: t,
                    field: "finish".into(),
                    value: json!("2023-10-30"),
                },
                Edit {
                    task: t,
                    field: "addDepartment".into(),
                    value: json!(rnd),
                },
            ],
            ..Default::default()
        },
    )
    .unwrap();
    (conn, c, t)
}

fn finish_of(conn: &Connection, task: i64) -> String {
    let plan = plan::load(conn).unwrap();
    plan.row(task).unwrap().finish.unwrap().to_string()
}

fn sign_all(conn: &mut Connection, id: i64, decision: Decision) -> Result<signoff::Panel> {
    let panel = crate::kinds::panel(conn, crate::DocKind::ChangeRequest, id)?;
    let round = panel.rounds[0].clone();
    let mut last = Ok(panel);
    for s in round.signers.iter().filter(|s| s.signature.is_none()) {
        last = crate::kinds::sign(
            conn,
            ME,
            &Sign {
                round_id: round.id,
                revision: round.revision,
                person_id: s.person.id,
                decision,
                comment: "意见".into(),
            },
        );
        if decision != Decision::Approve || last.is_err() {
            break;
        }
    }
    last
}

#[test]
fn approval_by_every_head_applies_the_edits_and_locks_the_request() {
    let (mut conn, c, t) = setup();
    let described = describe(&conn, &c.edits).unwrap();
    assert_eq!(described[0].before, "2023-10-25");
    assert_eq!(described[0].after, "2023-10-30");
    let panel = submit(&mut conn, ME, c.id).unwrap();
    // Heads of 产品部, 研发部, 市场部 and 销售部.
    assert_eq!(panel.rounds[0].signers.len(), 4);
    let before = plan::load(&conn).unwrap();
    assert_eq!(
        before.row(t).unwrap().finish.unwrap().to_string(),
        "2023-10-25"
    );
    sign_all(&mut conn, c.id, Decision::Approve).unwrap();
    let after = plan::load(&conn).unwrap();
    assert_eq!(
        after.row(t).unwrap().finish.unwrap().to_string(),
        "2023-10-30"
    );
    assert_eq!(after.task(t).unwrap().collab_departments.len(), 3);
    assert_eq!(views(&conn).unwrap()[0].state, "applied");
    assert_eq!(
        crate::doc_state::state(&conn, crate::DocKind::ChangeRequest, c.id).unwrap(),
        State::Signed
    );
    // Signed: the request cannot change, and it still verifies though the plan moved on.
    assert_eq!(save(&mut conn, ME, &c).unwrap_err().code(), "locked");
    assert_eq!(crate::kinds::verify(&conn).unwrap(), None);
    // The plan's history names the request.
    let history = crate::audit::history(&conn, &[format!("task:{t}")]).unwrap();
    assert!(history
        .iter()
        .any(|e| e.after.as_deref() == Some(&*format!("change_request:{}", c.id))));
}

#[test]
fn a_rejection_changes_nothing() {
    let (mut conn, c, t) = setup();
    submit(&mut conn, ME, c.id).unwrap();
    let before = plan::content(&conn).unwrap();
    sign_all(&mut conn, c.id, Decision::Reject).unwrap();
    assert_eq!(plan::content(&conn).unwrap(), before);
    assert_eq!(views(&conn).unwrap()[0].state, "rejected");
    assert_eq!(finish_of(&conn, t), "2023-10-25");
}

#[test]
fn a_failure_midway_leaves_the_plan_and_the_signatures_as_they_were() {
    let (mut conn, mut c, t) = setup();
    // The second edit names a department that will be gone when the last head signs.
    let extra = crate::org::add(&mut conn, ME, "财务部").unwrap();
    // The department the request touches must sign too.
    crate::people::add(
        &mut conn,
        ME,
        &crate::people::Person {
            name: "周敏".into(),
            department: "财务部".into(),
            role: "head".into(),
            ..Default::default()
        },
    )
    .unwrap();
    c.edits[1].value = json!(extra.id);
    let c = save(&mut conn, ME, &c).unwrap();
    submit(&mut conn, ME, c.id).unwrap();
    conn.execute("DELETE FROM department WHERE id = ?1", [extra.id])
        .unwrap();
    let before_plan = plan::content(&conn).unwrap();
    let signatures = |conn: &Connection| -> i64 {
        conn.query_row("SELECT count(*) FROM signature", [], |r| r.get(0))
            .unwrap()
    };
    let before_signatures = signatures(&conn);
    let err = sign_all(&mut conn, c.id, Decision::Approve).unwrap_err();
    assert_eq!(err.code(), "invalid", "{err:?}");
    // Four heads signed; the fifth signature and the first edit were rolled back together.
    assert_eq!(signatures(&conn), before_signatures + 4);
    assert_eq!(plan::content(&conn).unwrap(), before_plan);
    assert_eq!(finish_of(&conn, t), "2023-10-25");
    assert_eq!(
        crate::doc_state::state(&conn, crate::DocKind::ChangeRequest, c.id).unwrap(),
        State::InSignoff
    );
}

/// Adds 设计部 with its head 赵敏, who is not among the registration's departments.
fn design(conn: &mut Connection) -> (i64, i64) {
    let d = crate::org::add(conn, ME, "设计部").unwrap();
    let head = crate::people::add(
        conn,
        ME,
        &crate::people::Person {
            name: "赵敏".into(),
            department: "设计部".into(),
            role: "head".into(),
            ..Default::default()
        },
    )
    .unwrap();
    (d.id, head.id)
}

#[test]
fn a_request_touching_a_department_needs_its_head_too() {
    let (mut conn, mut c, t) = setup();
    let (d, head) = design(&mut conn);
    let before = signers(&conn, c.id).unwrap();
    assert_eq!(before.len(), 4);
    assert!(!before.contains(&head));
    // Giving the task to 设计部 adds its head to the required signers, shown on the request.
    c.edits = vec![Edit {
        task: t,
        field: "lead".into(),
        value: json!(d),
    }];
    let c = save(&mut conn, ME, &c).unwrap();
    let required = signers(&conn, c.id).unwrap();
    assert_eq!(required.len(), 5);
    assert!(required.contains(&head));
    let view = views(&conn)
        .unwrap()
        .into_iter()
        .find(|v| v.request.id == c.id)
        .unwrap();
    assert!(view
        .required_signers
        .contains(&"赵敏（设计部）".to_string()));
    // A round without that head is refused, naming the head.
    let err = crate::kinds::start(&mut conn, ME, crate::DocKind::ChangeRequest, c.id, &before)
        .unwrap_err();
    assert_eq!(err.code(), "refused");
    assert!(err.to_string().contains("赵敏"), "{err}");
    let panel = submit(&mut conn, ME, c.id).unwrap();
    assert!(panel.rounds[0].signers.iter().any(|s| s.person.id == head));
    assert!(panel.suggested.contains(&head));
}

#[test]
fn a_task_of_a_department_moved_needs_that_head_and_a_new_owner_brings_theirs() {
    let (mut conn, mut c, t) = setup();
    let (d, head) = design(&mut conn);
    let mut collab = plan::load(&conn)
        .unwrap()
        .task(t)
        .unwrap()
        .collab_departments
        .clone();
    collab.push(d);
    conn.execute(
        "UPDATE task SET collab_departments = ?1 WHERE id = ?2",
        params![serde_json::to_string(&collab).unwrap(), t],
    )
    .unwrap();
    let plan = plan::load(&conn).unwrap();
    assert!(plan.task(t).unwrap().collab_departments.contains(&d));
    c.edits.truncate(1);
    let c = save(&mut conn, ME, &c).unwrap();
    assert!(signers(&conn, c.id).unwrap().contains(&head));
    // A new task owned by someone of 设计部 brings that department in as well.
    let other = plan
        .tasks
        .iter()
        .find(|x| !x.collab_departments.contains(&d) && x.id != t && x.lead_department.is_some())
        .unwrap()
        .id;
    let mut c2 = c.clone();
    c2.id = 0;
    c2.edits = vec![Edit {
        task: other,
        field: "owner".into(),
        value: json!(head),
    }];
    let c2 = save(&mut conn, ME, &c2).unwrap();
    assert!(signers(&conn, c2.id).unwrap().contains(&head));
}

#[test]
fn a_new_task_carries_owner_and_standard_into_the_signed_words_and_the_plan() {
    let (mut conn, mut c, _) = setup();
    let (d, head) = design(&mut conn);
    let mut value = json!({"name": "包装设计", "start": "2023-10-23", "duration": 3,
                           "lead": d});
    c.edits = vec![Edit {
        task: 0,
        field: "addTask".into(),
        value: value.clone(),
    }];
    // Without owner and delivery standard the new task is refused.
    let err = save(&mut conn, ME, &c).unwrap_err();
    assert_eq!(err.code(), "invalid");
    value["owner"] = json!(head);
    value["deliveryStandard"] = json!("三套包装方案经产品部确认");
    c.edits[0].value = value;
    let c = save(&mut conn, ME, &c).unwrap();
    let described = describe(&conn, &c.edits).unwrap();
    let details: std::collections::HashMap<_, _> = described[0].details.iter().cloned().collect();
    assert_eq!(details["owner"], "赵敏");
    assert_eq!(details["lead"], "设计部");
    assert_eq!(details["deliveryStandard"], "三套包装方案经产品部确认");
    submit(&mut conn, ME, c.id).unwrap();
    let content = content(&conn, c.id).unwrap();
    let frozen = content["edits"][0]["details"].to_string();
    assert!(
        frozen.contains("赵敏") && frozen.contains("三套包装方案经产品部确认"),
        "{frozen}"
    );
    sign_all(&mut conn, c.id, Decision::Approve).unwrap();
    let plan = plan::load(&conn).unwrap();
    let new = plan.tasks.iter().find(|t| t.name == "包装设计").unwrap();
    assert_eq!(new.owner_id, Some(head));
    assert_eq!(new.lead_department, Some(d));
    assert_eq!(new.delivery_standard, "三套包装方案经产品部确认");
    assert_eq!(new.start_date.as_deref(), Some("2023-10-23"));
    assert_eq!(new.duration, 3);
}

#[test]
fn a_draft_request_is_checked_against_the_plan() {
    let (mut conn, mut c, t) = setup();
    c.edits = vec![Edit {
        task: t,
        field: "finish".into(),
        value: json!("2023-10-01"),
    }];
    assert_eq!(save(&mut conn, ME, &c).unwrap_err().code(), "invalid");
    c.edits = vec![];
    let c = save(&mut conn, ME, &c).unwrap();
    assert_eq!(submit(&mut conn, ME, c.id).unwrap_err().code(), "refused");
}
