//! Tests of the sign-off mechanism on the registration.

use super::*;
use crate::kinds;

const REG: &dyn Document = &crate::registration::DOCUMENT;
use crate::registration;

/// A project in memory with a complete registration and three heads; returns their ids.
fn setup() -> (Connection, Vec<i64>) {
    let mut conn = Connection::open_in_memory().unwrap();
    crate::storage::migrations::migrate_to(&mut conn, crate::storage::migrations::LATEST).unwrap();
    crate::storage::init(&conn, "x").unwrap();
    registration::save(&mut conn, "张伟", &crate::demo::worked_example()).unwrap();
    let ids = ["李娜", "王强", "陈静"]
        .iter()
        .map(|n| {
            people::add(
                &mut conn,
                "张伟",
                &Person {
                    id: 0,
                    name: n.to_string(),
                    department: "产品部".into(),
                    role: "head".into(),
                    ..Default::default()
                },
            )
            .unwrap()
            .id
        })
        .collect();
    (conn, ids)
}

fn sign_as(
    conn: &mut Connection,
    panel: &Panel,
    person: i64,
    decision: Decision,
    comment: &str,
) -> Result<Panel> {
    let r = &panel.rounds[0];
    sign(
        conn,
        "张伟",
        kinds::document,
        &Sign {
            round_id: r.id,
            revision: r.revision,
            person_id: person,
            decision,
            comment: comment.into(),
        },
    )
}

fn code(r: Result<Panel>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(Error::SignOff(k)) => k,
        Err(e) => e.code().into(),
    }
}

#[test]
fn countersign_locks_the_document_only_when_everyone_approved() {
    let (mut conn, ids) = setup();
    let p = start(&mut conn, "张伟", REG, 1, &ids[..2]).unwrap();
    assert_eq!(p.state, State::InSignoff);
    // Frozen while being signed: the core and the storage triggers refuse edits.
    let mut reg = crate::demo::worked_example();
    reg.owner = "别人".into();
    assert_eq!(
        registration::save(&mut conn, "张伟", &reg)
            .unwrap_err()
            .code(),
        "locked"
    );
    let p = sign_as(&mut conn, &p, ids[0], Decision::Approve, "").unwrap();
    assert_eq!(p.state, State::InSignoff);
    let p = sign_as(&mut conn, &p, ids[1], Decision::Approve, "同意").unwrap();
    assert_eq!(p.state, State::Signed);
    assert_eq!(p.rounds[0].status, "approved");
    let err = registration::save(&mut conn, "张伟", &reg).unwrap_err();
    assert_eq!(err.code(), "locked");
    let raw = conn
        .execute("UPDATE registration SET owner = '别人'", [])
        .unwrap_err();
    assert_eq!(
        Error::from(raw).code(),
        "locked",
        "the trigger refuses raw edits too"
    );
    let raw = conn.execute("DELETE FROM milestone", []).unwrap_err();
    assert_eq!(Error::from(raw).code(), "locked");
    assert_eq!(verify(&conn, kinds::document).unwrap(), None);
}

#[test]
fn bad_signatures_are_refused_and_a_rejection_stops_the_round() {
    let (mut conn, ids) = setup();
    let p = start(&mut conn, "张伟", REG, 1, &ids[..2]).unwrap();
    assert_eq!(
        code(sign_as(&mut conn, &p, ids[2], Decision::Approve, "")),
        "signoff.not_required"
    );
    let r = &p.rounds[0];
    let stale = sign(
        &mut conn,
        "张伟",
        kinds::document,
        &Sign {
            round_id: r.id,
            revision: r.revision + 1,
            person_id: ids[0],
            decision: Decision::Approve,
            comment: String::new(),
        },
    );
    assert_eq!(code(stale), "signoff.stale");
    sign_as(&mut conn, &p, ids[0], Decision::Approve, "").unwrap();
    assert_eq!(
        code(sign_as(&mut conn, &p, ids[0], Decision::Approve, "")),
        "signoff.already_signed"
    );
    assert_eq!(
        code(sign_as(&mut conn, &p, ids[1], Decision::Reject, " ")),
        "signoff.reason_required"
    );
    let p2 = sign_as(&mut conn, &p, ids[1], Decision::Reject, "目标需细化到城市").unwrap();
    assert_eq!(p2.state, State::Draft);
    assert_eq!(p2.rounds[0].status, "rejected");
    let sig = p2.rounds[0].signers[1].signature.clone().unwrap();
    assert_eq!(sig.comment, "目标需细化到城市");
    assert_eq!(
        code(sign_as(&mut conn, &p, ids[0], Decision::Approve, "")),
        "signoff.closed"
    );
    // Editable again; the next round is a new revision.
    registration::save(&mut conn, "张伟", &crate::demo::worked_example()).unwrap();
    let p3 = start(&mut conn, "张伟", REG, 1, &ids[..1]).unwrap();
    assert_eq!(p3.rounds[0].revision, 2);
    assert_eq!(p3.rounds.len(), 2);
    assert_eq!(code(start(&mut conn, "张伟", REG, 1, &ids[..1])), "locked");
    assert_eq!(code(start(&mut conn, "张伟", REG, 1, &[])), "locked");
}

#[test]
fn sequence_and_any_modes() {
    let (mut conn, ids) = setup();
    let p = start_round(&mut conn, "张伟", REG, 1, &ids, Mode::Sequence).unwrap();
    assert_eq!(
        code(sign_as(&mut conn, &p, ids[1], Decision::Approve, "")),
        "signoff.not_your_turn"
    );
    let p = sign_as(&mut conn, &p, ids[0], Decision::Approve, "").unwrap();
    assert!(p.rounds[0].signers[1].turn && !p.rounds[0].signers[2].turn);
    let p = sign_as(&mut conn, &p, ids[1], Decision::Approve, "").unwrap();
    let p = sign_as(&mut conn, &p, ids[2], Decision::Approve, "").unwrap();
    assert_eq!(p.state, State::Signed);

    let p = new_revision(&mut conn, "张伟", REG, 1, "延期一周").unwrap();
    assert_eq!(p.state, State::Draft);
    assert_eq!(
        p.rounds[0].signers.len(),
        3,
        "the signed revision stays readable"
    );
    let p = start_round(&mut conn, "张伟", REG, 1, &ids, Mode::Any).unwrap();
    let p = sign_as(&mut conn, &p, ids[2], Decision::Approve, "").unwrap();
    assert_eq!(p.state, State::Signed);
    assert_eq!(
        code(start(&mut conn, "张伟", REG, 1, &[ids[0], ids[0]])),
        "locked"
    );
}

#[test]
fn signers_must_be_distinct_people_of_the_project() {
    let (mut conn, ids) = setup();
    assert_eq!(
        code(start(&mut conn, "张伟", REG, 1, &[ids[0], ids[0]])),
        "signoff.duplicate_signer"
    );
    assert_eq!(code(start(&mut conn, "张伟", REG, 1, &[999])), "invalid");
    assert_eq!(
        code(start(&mut conn, "张伟", REG, 1, &[])),
        "signoff.no_signers"
    );
    assert_eq!(
        code(new_revision(&mut conn, "张伟", REG, 1, "x")),
        "signoff.not_signed"
    );
}

#[test]
fn altered_signed_content_and_audit_entries_are_found() {
    let (mut conn, ids) = setup();
    let p = start(&mut conn, "张伟", REG, 1, &ids[..1]).unwrap();
    sign_as(&mut conn, &p, ids[0], Decision::Approve, "").unwrap();
    assert_eq!(crate::audit::verify_chain(&conn).unwrap(), None);
    conn.execute_batch("DROP TRIGGER registration_locked; UPDATE registration SET owner = '篡改';")
        .unwrap();
    assert_eq!(
        verify(&conn, kinds::document).unwrap(),
        Some(Mismatch {
            kind: "registration".into(),
            doc_id: 1,
            revision: 1
        })
    );

    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after = '改过' WHERE seq = 3;",
    )
    .unwrap();
    assert_eq!(
        crate::audit::verify_chain(&conn).unwrap(),
        Some(crate::audit::Break::Entry(3))
    );
}

#[test]
fn removed_audit_entries_are_found_in_the_middle_and_at_the_end() {
    let (conn, _) = setup();
    let last: i64 = conn
        .query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert!(last > 5);
    conn.execute_batch("DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    conn.execute("DELETE FROM audit_log WHERE seq = ?1", [last])
        .unwrap();
    assert_eq!(
        crate::audit::verify_chain(&conn).unwrap(),
        Some(crate::audit::Break::Head)
    );
    conn.execute("DELETE FROM audit_log WHERE seq = 2", [])
        .unwrap();
    assert_eq!(
        crate::audit::verify_chain(&conn).unwrap(),
        Some(crate::audit::Break::Gap(3))
    );
}

#[test]
fn every_saved_field_change_is_in_the_history() {
    let (mut conn, _) = setup();
    let mut reg = crate::demo::worked_example();
    reg.owner = "王芳".into();
    reg.milestones.pop();
    registration::save(&mut conn, "李四", &reg).unwrap();
    let h = crate::audit::history(&conn, &["registration:1".into()]).unwrap();
    let last: Vec<_> = h.iter().rev().take(2).collect();
    assert!(last.iter().all(|e| e.actor == "李四"));
    let owner = h.iter().rev().find(|e| e.field == "owner").unwrap();
    assert_eq!(
        (owner.before.as_deref(), owner.after.as_deref()),
        (Some("张伟"), Some("王芳"))
    );
    assert!(h
        .iter()
        .any(|e| e.field == "milestones" && e.actor == "李四"));
    // Saving the same content again records nothing.
    let n = h.len();
    registration::save(&mut conn, "李四", &reg).unwrap();
    assert_eq!(
        crate::audit::history(&conn, &["registration:1".into()])
            .unwrap()
            .len(),
        n
    );
}
