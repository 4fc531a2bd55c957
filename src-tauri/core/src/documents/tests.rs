//! Documents from the worked example: fingerprints, the export record, verify after a new
//! revision, and bad PDFs refused with a clear message.

use super::*;
use crate::demo;
use crate::signoff::Decision;

fn fonts() -> &'static Fonts {
    Fonts::shared(&[]).expect("the CJK font is installed (scripts/setup)")
}

/// Re-signs the registration with its suggested signers after an edit (a new revision).
fn revise_registration(conn: &mut Connection, goal: &str) {
    crate::kinds::new_revision(conn, "测试", crate::DocKind::Registration, 1, "目标调整").unwrap();
    let mut reg = crate::registration::load(conn).unwrap().registration;
    reg.core_goal = goal.into();
    crate::registration::save(conn, "测试", &reg).unwrap();
    let signers = crate::kinds::panel(conn, crate::DocKind::Registration, 1)
        .unwrap()
        .suggested;
    let panel =
        crate::kinds::start(conn, "测试", crate::DocKind::Registration, 1, &signers).unwrap();
    let round = &panel.rounds[0];
    demo::sign_round(conn, round, round.signers.len(), Decision::Approve, "").unwrap();
}

#[test]
fn the_fingerprint_is_stable_for_the_same_content_and_changes_with_any_edit() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = demo::write_example(&dir.path().join("p.liaison")).unwrap();
    let conn = p.conn_mut();
    for kind in [
        DocKind::Registration,
        DocKind::Plan,
        DocKind::Minutes,
        DocKind::ChangeRequest,
    ] {
        let a = prepare(conn, kind, Target::Latest, Lang::Zh, "甲").unwrap();
        let b = prepare(conn, kind, Target::Latest, Lang::En, "乙").unwrap();
        assert_eq!(
            a.fingerprint, b.fingerprint,
            "{kind:?}: language and author are not content"
        );
        assert_eq!(a.fingerprint.len(), 64);
        assert!(a.doc.identifier.ends_with(&a.fingerprint));
    }
    let before = prepare(conn, DocKind::Registration, Target::Latest, Lang::Zh, "甲").unwrap();
    revise_registration(conn, "首月销量达 2 万件");
    let after = prepare(conn, DocKind::Registration, Target::Latest, Lang::Zh, "甲").unwrap();
    assert_ne!(before.fingerprint, after.fingerprint);

    // A plan edit changes the allocation's fingerprint (progress fields are not in it).
    let plan_before = prepare(conn, DocKind::Plan, Target::Latest, Lang::Zh, "甲").unwrap();
    conn.execute("UPDATE task SET delivery_standard = delivery_standard || '（修订）' WHERE id = (SELECT min(id) FROM task WHERE parent_id IS NOT NULL)", []).unwrap();
    let plan_after = prepare(conn, DocKind::Plan, Target::Latest, Lang::Zh, "甲").unwrap();
    assert_ne!(plan_before.fingerprint, plan_after.fingerprint);
}

#[test]
fn verify_passes_on_a_fresh_export_and_names_the_change_after_a_new_revision() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = demo::write_example(&dir.path().join("p.liaison")).unwrap();
    let pdf = dir.path().join("登记表.pdf");
    let e = export(
        p.conn_mut(),
        DocKind::Registration,
        Target::Latest,
        Lang::Zh,
        "张伟",
        fonts(),
        &pdf,
    )
    .unwrap();
    assert!(e.pages >= 1 && e.bytes > 1000);
    let recorded: (String, String) = p
        .conn()
        .query_row(
            "SELECT fingerprint, exported_by FROM document_export",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(recorded, (e.fingerprint.clone(), "张伟".to_string()));

    let v = verify(p.conn(), &pdf, Lang::Zh).unwrap();
    assert!(v.matches && v.signed, "{v:?}");
    assert!(describe(&v, Lang::Zh).starts_with("一致"));

    revise_registration(p.conn_mut(), "首月销量达 2 万件");
    let v = verify(p.conn(), &pdf, Lang::Zh).unwrap();
    assert!(!v.matches, "{v:?}");
    let d = v
        .differences
        .iter()
        .find(|d| d.after == "首月销量达 2 万件")
        .unwrap_or_else(|| panic!("{:?}", v.differences));
    assert_eq!(d.field, "核心目标");
    assert!(!d.before.is_empty());
    let text = describe(&v, Lang::Zh);
    assert!(
        text.starts_with("不一致") && text.contains("核心目标"),
        "{text}"
    );
}

#[test]
fn all_minutes_make_one_document_and_verify_names_the_meeting_that_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = demo::write_example(&dir.path().join("p.liaison")).unwrap();
    let pdf = dir.path().join("all.pdf");
    let prepared = prepare(p.conn(), DocKind::Minutes, Target::All, Lang::Zh, "张伟").unwrap();
    let meetings = crate::meetings::meetings(p.conn()).unwrap();
    assert_eq!(prepared.sections.len(), meetings.len());
    assert_eq!(prepared.target, "all");
    write(p.conn_mut(), &prepared, fonts(), &pdf).unwrap();
    assert!(verify(p.conn(), &pdf, Lang::Zh).unwrap().matches);
    // A new meeting (draft minutes), then an edit of it.
    p.conn()
        .execute(
            "INSERT INTO meeting (title, starts_at) VALUES ('临时协调会', '2023-12-01T10:00:00')",
            [],
        )
        .unwrap();
    let id = p.conn().last_insert_rowid();
    let v = verify(p.conn(), &pdf, Lang::Zh).unwrap();
    assert!(!v.matches);
    assert_eq!(v.differences.len(), 1, "{:?}", v.differences);
    assert_eq!(v.differences[0].section, format!("会议纪要 #{id}"));
    assert!(
        v.differences[0].field.contains("新增"),
        "{:?}",
        v.differences
    );

    // Exported again, then the new meeting's place changes: that meeting and field are named.
    let prepared = prepare(p.conn(), DocKind::Minutes, Target::All, Lang::Zh, "张伟").unwrap();
    write(p.conn_mut(), &prepared, fonts(), &pdf).unwrap();
    assert!(verify(p.conn(), &pdf, Lang::Zh).unwrap().matches);
    p.conn()
        .execute(
            "UPDATE meeting SET place = '三楼会议室' WHERE id = ?1",
            [id],
        )
        .unwrap();
    let v = verify(p.conn(), &pdf, Lang::Zh).unwrap();
    assert_eq!(v.differences.len(), 1, "{:?}", v.differences);
    assert_eq!(v.differences[0].section, format!("会议纪要 #{id}"));
    assert_eq!(v.differences[0].field, "地点或会议链接");
    assert_eq!(v.differences[0].after, "三楼会议室");
}

#[test]
fn a_foreign_or_damaged_pdf_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo::write_example(&dir.path().join("p.liaison")).unwrap();
    let not_pdf = dir.path().join("a.pdf");
    std::fs::write(&not_pdf, "hello").unwrap();
    let e = verify(p.conn(), &not_pdf, Lang::Zh).unwrap_err();
    assert!(
        e.message(Lang::Zh).contains("不是 PDF"),
        "{}",
        e.message(Lang::Zh)
    );
    let damaged = dir.path().join("b.pdf");
    std::fs::write(&damaged, "%PDF-1.7\n garbage").unwrap();
    let e = verify(p.conn(), &damaged, Lang::En).unwrap_err();
    assert!(
        e.message(Lang::En).contains("damaged"),
        "{}",
        e.message(Lang::En)
    );

    // A PDF of another project.
    let mut other = demo::write_example(&dir.path().join("q.liaison")).unwrap();
    let pdf = dir.path().join("other.pdf");
    export(
        other.conn_mut(),
        DocKind::Registration,
        Target::Latest,
        Lang::Zh,
        "x",
        fonts(),
        &pdf,
    )
    .unwrap();
    let e = verify(p.conn(), &pdf, Lang::Zh).unwrap_err();
    assert!(
        e.message(Lang::Zh).contains("另一个项目"),
        "{}",
        e.message(Lang::Zh)
    );
}

#[test]
fn a_failed_write_leaves_no_record_and_the_old_file_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = demo::write_example(&dir.path().join("p.liaison")).unwrap();
    let missing = dir.path().join("no-such-folder").join("x.pdf");
    let e = export(
        p.conn_mut(),
        DocKind::Registration,
        Target::Latest,
        Lang::Zh,
        "x",
        fonts(),
        &missing,
    )
    .unwrap_err();
    assert!(
        e.message(Lang::Zh).contains("无法写入"),
        "{}",
        e.message(Lang::Zh)
    );
    let n: i64 = p
        .conn()
        .query_row("SELECT count(*) FROM document_export", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn absent_records_are_refused_clearly_and_a_draft_acceptance_shows_what_is_pending() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo::write_example(&dir.path().join("p.liaison")).unwrap();
    // The published plan has version 1 only.
    let e = prepare(p.conn(), DocKind::Plan, Target::Version(9), Lang::Zh, "x")
        .err()
        .unwrap();
    assert!(
        e.message(Lang::Zh).contains("任务分配表"),
        "{}",
        e.message(Lang::Zh)
    );
    assert!(prepare(p.conn(), DocKind::Plan, Target::Version(1), Lang::Zh, "x").is_ok());
    // Nothing judged yet: every task is listed as pending, the heads as not yet signed.
    let draft = prepare(p.conn(), DocKind::Acceptance, Target::Latest, Lang::Zh, "x").unwrap();
    let r = pdf::render(&draft.doc, fonts()).unwrap();
    let text = String::from_utf8(
        std::process::Command::new("pdftotext")
            .args(["-", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write as _;
                c.stdin.take().unwrap().write_all(&r.bytes)?;
                c.wait_with_output()
            })
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(text.contains("待验收 6"), "{text}");
    assert!(text.contains("待签"), "{text}");
    let e = prepare(
        p.conn(),
        DocKind::Minutes,
        Target::One(99_999),
        Lang::Zh,
        "x",
    )
    .err()
    .unwrap();
    assert!(
        e.message(Lang::Zh).contains("会议纪要"),
        "{}",
        e.message(Lang::Zh)
    );
}

#[test]
fn an_average_under_80_is_shaded_amber_in_the_acceptance_report() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = demo::write_example(&dir.path().join("p.liaison")).unwrap();
    let conn = p.conn_mut();
    let depts = crate::org::list(conn).unwrap();
    for (d, score) in depts.iter().zip([92, 71]) {
        crate::acceptance::save_evaluation(
            conn,
            "测试",
            &crate::acceptance::Evaluation {
                department_id: d.id,
                goal: Some(score),
                efficiency: Some(score),
                communication: Some(score),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let doc = prepare(conn, DocKind::Acceptance, Target::Latest, Lang::Zh, "x").unwrap();
    let (table, marked) = doc
        .doc
        .blocks
        .iter()
        .find_map(|b| match b {
            pdf::Block::MarkedTable(t, m) if t.columns[4].title == "平均" => Some((t, m)),
            _ => None,
        })
        .expect("the evaluation table");
    // Only the department at 71 is marked, in the average column; the mean of 92 and 71 is 81.5.
    let row_of = |name: &str| table.rows.iter().position(|r| r[0] == name).unwrap();
    assert_eq!(marked, &vec![(row_of(&depts[1].name), 4)]);
    assert!(doc
        .doc
        .blocks
        .iter()
        .any(|b| matches!(b, pdf::Block::Note(n) if n.contains("琥珀色"))));
    // The amber is drawn: the rendered page fills with an RGB colour.
    let r = pdf::render(&doc.doc, fonts()).unwrap();
    if let Some(out) = std::env::var_os("LIAISON_PDF_OUT") {
        std::fs::write(out, &r.bytes).unwrap();
    }
    assert!(r.pages >= 1);
}

#[test]
fn the_acceptance_report_shows_planned_and_actual_dates_and_marks_a_late_finish() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = demo::write_example(&dir.path().join("p.liaison")).unwrap();
    let conn = p.conn_mut();
    // Variant 4: every task done on its deadline but the last, two working days late.
    demo::close_example(conn, 4).unwrap();
    let base = crate::plan::baseline(conn).unwrap().unwrap();
    let content = crate::kinds::content(conn, crate::DocKind::Acceptance, 1).unwrap();
    let items = content["items"].as_array().unwrap();
    for i in items {
        let id = i["taskId"].as_i64().unwrap();
        let (start, finish) = base.spans[&id];
        assert_eq!(
            i["planned"][0].as_str(),
            start.map(|d| d.to_string()).as_deref()
        );
        assert_eq!(
            i["planned"][1].as_str(),
            finish.map(|d| d.to_string()).as_deref()
        );
        assert!(i["actual"][1].is_string(), "every task is done: {i}");
    }
    let doc = prepare(conn, DocKind::Acceptance, Target::Latest, Lang::Zh, "x").unwrap();
    let (table, marked) = doc
        .doc
        .blocks
        .iter()
        .find_map(|b| match b {
            pdf::Block::MarkedTable(t, m) if t.columns.len() == 8 => Some((t, m)),
            _ => None,
        })
        .expect("the items table with dates");
    assert_eq!(table.columns[2].title, "计划起止");
    assert_eq!(table.columns[3].title, "实际起止");
    let late: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| i["actual"][1].as_str() > i["planned"][1].as_str())
        .map(|(r, _)| r)
        .collect();
    assert!(!late.is_empty(), "the last task finished late");
    assert_eq!(marked, &late.iter().map(|r| (*r, 3)).collect::<Vec<_>>());
    assert!(table.rows[late[0]][3].contains(items[late[0]]["actual"][1].as_str().unwrap()));
    if let Some(out) = std::env::var_os("LIAISON_PDF_OUT2") {
        std::fs::write(out, pdf::render(&doc.doc, fonts()).unwrap().bytes).unwrap();
    }
    // The report signed with its dates verifies.
    assert!(crate::kinds::verify(conn).unwrap().is_none());
}
