//! Project files as users meet them: foreign, damaged and newer files refused untouched; older files
//! upgraded after a backup; one opener at a time; consistent copies.

use crate::util::*;
use liaison_core::registration;
use liaison_core::storage::{migrations, APPLICATION_ID};
use liaison_core::{Lang, Project};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// One kind of bad file: how to make it, and the error code it must be refused with.
struct BadFile {
    name: &'static str,
    code: &'static str,
    make: fn(&Path) -> PathBuf,
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn sqlite_with(dir: &Path, name: &str, app_id: u32, setup: &str) -> PathBuf {
    let p = dir.join(name);
    let conn = Connection::open(&p).unwrap();
    conn.pragma_update(None, "application_id", app_id).unwrap();
    conn.execute_batch(setup).unwrap();
    drop(conn);
    p
}

/// A sound project file, rewritten by `edit` with raw SQL (the file must stay SQLite-valid).
fn edited_demo(dir: &Path, name: &str, edit: &str) -> PathBuf {
    let p = demo_file(dir, name);
    let conn = Connection::open(&p).unwrap();
    conn.execute_batch(edit).unwrap();
    drop(conn);
    p
}

fn corpus() -> Vec<BadFile> {
    vec![
        BadFile {
            name: "empty file",
            code: "empty",
            make: |d| write(d, "empty.liaison", b""),
        },
        BadFile {
            name: "plain text",
            code: "not_sqlite",
            make: |d| {
                write(
                    d,
                    "notes.liaison",
                    "项目会议纪要\n这不是数据库。\n".as_bytes(),
                )
            },
        },
        BadFile {
            name: "PNG image renamed",
            code: "not_sqlite",
            make: |d| {
                let mut b = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
                b.extend((0..4000u32).map(|i| (i * 7 % 251) as u8));
                write(d, "image.liaison", &b)
            },
        },
        BadFile {
            name: "header only",
            code: "truncated",
            make: |d| write(d, "stub.liaison", b"SQLite format 3\0\x10\x00\x01\x01"),
        },
        BadFile {
            name: "another application's SQLite file",
            code: "foreign",
            make: |d| {
                sqlite_with(
                    d,
                    "contacts.liaison",
                    0,
                    "CREATE TABLE contact(name TEXT); INSERT INTO contact VALUES ('王芳');",
                )
            },
        },
        BadFile {
            name: "SQLite file with another application id",
            code: "foreign",
            make: |d| sqlite_with(d, "fossil.liaison", 0x0f05_5112, "CREATE TABLE blob(x);"),
        },
        BadFile {
            name: "written by a newer Liaison",
            code: "newer",
            make: |d| {
                edited_demo(
                    d,
                    "newer.liaison",
                    &format!("PRAGMA user_version = {};", migrations::LATEST + 5),
                )
            },
        },
        BadFile {
            name: "our id but no schema",
            code: "damaged",
            make: |d| sqlite_with(d, "noschema.liaison", APPLICATION_ID, "CREATE TABLE x(y);"),
        },
        BadFile {
            name: "a table missing",
            code: "damaged",
            make: |d| edited_demo(d, "missing.liaison", "DROP TABLE milestone;"),
        },
        BadFile {
            name: "truncated mid-page",
            code: "truncated",
            make: |d| {
                let p = demo_file(d, "cut.liaison");
                let bytes = std::fs::read(&p).unwrap();
                std::fs::write(&p, &bytes[..bytes.len() / 2 + 100]).unwrap();
                p
            },
        },
        BadFile {
            name: "truncated at a page boundary",
            code: "truncated",
            make: |d| {
                let p = demo_file(d, "cutpage.liaison");
                let bytes = std::fs::read(&p).unwrap();
                let page = u16::from_be_bytes([bytes[16], bytes[17]]) as usize;
                std::fs::write(&p, &bytes[..page * 2]).unwrap();
                p
            },
        },
        BadFile {
            name: "pages overwritten with garbage",
            code: "damaged",
            make: |d| {
                let p = demo_file(d, "garbage.liaison");
                let mut bytes = std::fs::read(&p).unwrap();
                let page = u16::from_be_bytes([bytes[16], bytes[17]]) as usize;
                for b in &mut bytes[page..] {
                    *b = 0xA5;
                }
                std::fs::write(&p, &bytes).unwrap();
                p
            },
        },
        BadFile {
            name: "impossible page size",
            code: "damaged",
            make: |d| {
                let p = demo_file(d, "pagesize.liaison");
                let mut bytes = std::fs::read(&p).unwrap();
                bytes[16] = 0x03;
                bytes[17] = 0x00;
                std::fs::write(&p, &bytes).unwrap();
                p
            },
        },
        BadFile {
            name: "a folder",
            code: "not_a_file",
            make: |d| {
                let p = d.join("folder.liaison");
                std::fs::create_dir(&p).unwrap();
                p
            },
        },
    ]
}

#[test]
fn bad_files_are_refused_with_their_reason_and_left_byte_identical() {
    for case in corpus() {
        let dir = tempfile::tempdir().unwrap();
        let path = (case.make)(dir.path());
        let before = std::fs::read(&path).ok();
        let files_before = listing(dir.path());

        let err = match Project::open(&path) {
            Ok(_) => panic!("{}: opened", case.name),
            Err(e) => e,
        };
        assert_eq!(err.code(), case.code, "{}: {err}", case.name);
        let zh = err.message(Lang::Zh);
        let en = err.message(Lang::En);
        let shown = path.display().to_string();
        assert!(
            zh.contains(&shown) && en.contains(&shown),
            "{}: message names the file: {zh}",
            case.name
        );
        assert_ne!(zh, en, "{}: both languages", case.name);

        // `check` refuses it the same way and does not write either.
        let check = liaison_core::integrity::check(&path)
            .err()
            .map(|e| e.code());
        assert_eq!(check, Some(case.code), "{}: check", case.name);

        assert_eq!(
            std::fs::read(&path).ok(),
            before,
            "{}: bytes changed",
            case.name
        );
        assert_eq!(
            listing(dir.path()),
            files_before,
            "{}: side files left behind",
            case.name
        );
    }
}

#[test]
fn a_missing_file_is_reported_and_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope.liaison");
    let err = Project::open(&path).err().unwrap();
    assert_eq!(err.code(), "not_found");
    assert!(!path.exists());
}

#[test]
fn an_older_file_is_backed_up_then_migrated_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = old_file(dir.path(), 1, "旧版项目");
    let original = std::fs::read(&path).unwrap();

    let project = Project::open(&path).unwrap();
    let m = project.migrated().cloned().expect("migrated");
    assert_eq!((m.from, m.to), (1, migrations::LATEST));
    let snap = registration::load(project.conn()).unwrap();
    assert_eq!(snap.registration.name, "旧版项目");
    assert_eq!(snap.registration.milestones.len(), 1);
    assert_eq!(snap.state, liaison_core::signoff::State::Draft);
    drop(project);

    // The backup is the old file, still at the old version, still sound.
    let backup = liaison_core::integrity::check(&m.backup).unwrap();
    assert_eq!(backup.schema_version, 1);
    assert_eq!(backup.name, "旧版项目");
    assert_ne!(std::fs::read(&path).unwrap(), original);
    assert_eq!(
        liaison_core::integrity::check(&path)
            .unwrap()
            .schema_version,
        migrations::LATEST
    );
}

#[test]
fn the_same_file_cannot_be_opened_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_file(dir.path(), "busy.liaison");
    let first = Project::open(&path).unwrap();
    let second = Project::open(&path).err().expect("second open refused");
    assert_eq!(second.code(), "already_open");
    // Another process that would write is refused too, and nothing is harmed; a reader gets in.
    let out = liaison(dir.path(), &["close", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("已在另一个窗口或程序中打开"),
        "{}",
        stderr(&out)
    );
    let out = liaison(dir.path(), &["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    drop(first);
    let again = Project::open(&path).unwrap();
    assert_eq!(
        registration::load(again.conn()).unwrap().registration.name,
        "新品上市项目"
    );
}

#[test]
fn edits_are_saved_without_a_save_step_and_copies_are_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.liaison");
    let mut project = Project::create(&path, "p").unwrap();
    let mut reg = liaison_core::demo::worked_example();
    reg.name = "另存测试".into();
    registration::save(project.conn_mut(), "测试", &reg).unwrap();

    let backup = dir.path().join("backup.liaison");
    project.back_up_to(&backup).unwrap();
    assert_eq!(
        liaison_core::integrity::check(&backup).unwrap().name,
        "另存测试"
    );
    assert!(
        project.back_up_to(&path).is_err(),
        "a backup onto itself is refused"
    );

    let moved = dir.path().join("moved.liaison");
    let mut project = project.save_as(&moved).unwrap();
    assert_eq!(project.path(), moved.as_path());
    reg.name = "只改新文件".into();
    registration::save(project.conn_mut(), "测试", &reg).unwrap();
    drop(project);
    assert_eq!(
        liaison_core::integrity::check(&path).unwrap().name,
        "另存测试"
    );
    assert_eq!(
        liaison_core::integrity::check(&moved).unwrap().name,
        "只改新文件"
    );
    // No temporary files are left beside them.
    assert!(
        listing(dir.path()).iter().all(|f| !f.ends_with(".tmp")),
        "{:?}",
        listing(dir.path())
    );
}

#[test]
fn a_failed_save_as_leaves_everything_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_file(dir.path(), "keep.liaison");
    let project = Project::open(&path).unwrap();
    let bad = dir.path().join("no-such-folder").join("x.liaison");
    assert!(project.back_up_to(&bad).is_err());
    let err = project.save_as(&dir.path().join("x.txt")).err().unwrap();
    assert_eq!(err.code(), "bad_extension");
    assert_eq!(
        liaison_core::integrity::check(&path).unwrap().name,
        "新品上市项目"
    );
}

#[test]
fn a_review_from_schema_2_moves_onto_sign_off_as_a_person() {
    let dir = tempfile::tempdir().unwrap();
    let path = old_file(dir.path(), 2, "带审批的旧项目");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "UPDATE registration SET initiating_department = '产品部';
         INSERT INTO registration_review (id, reviewer, decision, review_date, comment, updated_at)
         VALUES (1, '李娜', 'approved', '2023-09-28', '同意', '2023-09-28');",
    )
    .unwrap();
    drop(conn);
    let project = Project::open(&path).unwrap();
    assert_eq!(project.migrated().unwrap().from, 2);
    let people = liaison_core::people::list(project.conn()).unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(
        (
            people[0].name.as_str(),
            people[0].department.as_str(),
            people[0].role.as_str()
        ),
        ("李娜", "产品部", "head")
    );
    let panel =
        liaison_core::kinds::panel(project.conn(), liaison_core::DocKind::Registration, 1).unwrap();
    assert_eq!(panel.suggested, vec![people[0].id]);
}

#[test]
fn check_finds_a_signed_record_altered_outside_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_file(dir.path(), "signed.liaison");
    let out = liaison(dir.path(), &["check", path.to_str().unwrap()]);
    assert!(out.status.success(), "the demo is sound: {}", stderr(&out));

    forge(
        &path,
        "UPDATE registration SET core_goal = '首月销量达2万件';",
    );
    let out = liaison(dir.path(), &["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let msg = stderr(&out);
    assert!(
        msg.contains("已签核的登记表（第 1 版）在签核后被改动"),
        "{msg}"
    );
    assert_eq!(
        liaison_core::integrity::check(&path).unwrap_err().code(),
        "integrity"
    );
}

#[test]
fn check_finds_an_altered_or_deleted_audit_entry() {
    let dir = tempfile::tempdir().unwrap();
    let altered = demo_file(dir.path(), "altered.liaison");
    forge(
        &altered,
        "UPDATE audit_log SET actor = '别人' WHERE seq = 4;",
    );
    let out = liaison(dir.path(), &["check", altered.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("审计日志第 4 条被改动"),
        "{}",
        stderr(&out)
    );

    let deleted = demo_file(dir.path(), "deleted.liaison");
    forge(&deleted, "DELETE FROM audit_log WHERE seq = 6;");
    let out = liaison(dir.path(), &["check", deleted.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("审计日志第 7 条之前有记录被删除"),
        "{}",
        stderr(&out)
    );

    // The triggers refuse the same edits while they are in place.
    let intact = demo_file(dir.path(), "intact.liaison");
    let conn = Connection::open(&intact).unwrap();
    assert!(conn
        .execute("DELETE FROM audit_log WHERE seq = 1", [])
        .is_err());
    assert!(conn
        .execute("UPDATE signature SET comment = 'x'", [])
        .is_err());
}

#[test]
fn a_schema_3_file_gains_its_departments_from_its_people_and_an_empty_plan() {
    let dir = tempfile::tempdir().unwrap();
    let path = old_file(dir.path(), 3, "有人员的旧项目");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "INSERT INTO person (name, department, role) VALUES ('李娜', '产品部', 'head');
         INSERT INTO person (name, department, role) VALUES ('周杰', '销售部', 'interface');
         INSERT INTO person (name, department, role) VALUES ('吴建国', '', 'decision');",
    )
    .unwrap();
    drop(conn);
    let project = Project::open(&path).unwrap();
    assert_eq!(project.migrated().unwrap().from, 3);
    let mut names: Vec<String> = liaison_core::org::list(project.conn())
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    names.sort();
    assert_eq!(names, ["产品部", "销售部"]);
    let matrix = liaison_core::org::matrix(project.conn()).unwrap();
    let keys: Vec<&str> = matrix.findings.iter().map(|f| f.key.as_str()).collect();
    assert!(keys.contains(&"org.check.no_interface"), "{keys:?}");
    assert!(keys.contains(&"org.check.no_head"), "{keys:?}");
    let plan = liaison_core::plan::load(project.conn()).unwrap();
    assert!(plan.tasks.is_empty());
    assert_eq!(
        liaison_core::doc_state::state(project.conn(), liaison_core::DocKind::Plan, 1).unwrap(),
        liaison_core::signoff::State::Draft
    );
    // The original was kept beside it before migrating.
    assert!(listing(dir.path())
        .iter()
        .any(|f| f.contains(".backup-v3-")));
}

#[test]
fn check_finds_a_published_baseline_altered_outside_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_file(dir.path(), "plan.liaison");
    forge(
        &path,
        "UPDATE signoff_round SET content = replace(content, '2023-10-16', '2023-10-17') WHERE kind = 'plan';",
    );
    let out = liaison(dir.path(), &["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stderr(&out).contains("执行计划"), "{}", stderr(&out));
}
