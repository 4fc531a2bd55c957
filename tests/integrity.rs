//! `check` against a file altered outside the app (issue 16.5 and 17's list), a corrupt index, a
//! foreign journal, write-ahead-log files, and readers while the app holds a project.

use crate::util::{demo_file, forge, liaison, stderr, stdout};
use liaison_core::storage::{self, Project};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// One worked example for the whole module (it takes seconds to build); each test copies it.
fn sample() -> &'static Path {
    static SAMPLE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = SAMPLE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = demo_file(dir.path(), "sample.liaison");
        (dir, path)
    });
    path
}

fn copy_of_sample(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::copy(sample(), &path).unwrap();
    path
}

/// Recomputes every hash of the audit chain and its head, as a forger who knows the scheme can.
fn rechain(path: &Path) {
    let conn = Connection::open(path).unwrap();
    // Each entry's fields as its hash covers them, except the link to the one before.
    let rows: Vec<(i64, serde_json::Value)> = conn
        .prepare("SELECT seq, at, actor, record, field, before, after FROM audit_log ORDER BY seq")
        .unwrap()
        .query_map([], |r| {
            let seq: i64 = r.get(0)?;
            let v = serde_json::json!({
                "seq": seq, "at": r.get::<_, String>(1)?, "actor": r.get::<_, String>(2)?,
                "record": r.get::<_, String>(3)?, "field": r.get::<_, String>(4)?,
                "before": r.get::<_, Option<String>>(5)?, "after": r.get::<_, Option<String>>(6)?,
            });
            Ok((seq, v))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut prev = liaison_core::audit::GENESIS.to_string();
    let mut sql = String::new();
    let mut last = 0;
    for (seq, mut v) in rows {
        v["prev"] = prev.clone().into();
        let hash = liaison_core::fingerprint::sha256_hex(
            liaison_core::fingerprint::canonical(&v).as_bytes(),
        );
        sql.push_str(&format!(
            "UPDATE audit_log SET prev_hash = '{prev}', hash = '{hash}' WHERE seq = {seq};"
        ));
        prev = hash;
        last = seq;
    }
    sql.push_str(&format!(
        "UPDATE project_meta SET value = '{last}:{prev}' WHERE key = 'audit_head';"
    ));
    drop(conn);
    forge(path, &sql);
}

/// `liaison check` refuses `path` with exit code 1 and a message in Chinese containing every one
/// of `words`, free of Rust debug text; the file is left byte for byte as it was.
fn refused(path: &Path, words: &[&str]) -> String {
    let before = std::fs::read(path).unwrap();
    let dir = path.parent().unwrap();
    let out = liaison(dir, &["check", path.to_str().unwrap()]);
    let msg = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{}{msg}", stdout(&out));
    for w in words {
        assert!(msg.contains(w), "expected {w:?} in: {msg}");
    }
    for debug in ["{", "}", "Some(", "kind:", "AuditEntry", "Signed", "Error"] {
        assert!(!msg.contains(debug), "debug text {debug:?} in: {msg}");
    }
    assert_eq!(
        std::fs::read(path).unwrap(),
        before,
        "check wrote to the file"
    );
    msg
}

fn sound(path: &Path) {
    let out = liaison(path.parent().unwrap(), &["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn the_sample_is_sound_and_counts_the_published_plan_among_its_signed_documents() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_sample(dir.path(), "count.liaison");
    sound(&path);
    let conn = Connection::open(&path).unwrap();
    let locked: i64 = conn
        .query_row(
            "SELECT count(*) FROM document_state WHERE state = 'signed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let published: i64 = conn
        .query_row(
            "SELECT count(*) > 0 FROM signoff_round WHERE kind = 'plan' AND status = 'approved'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    assert_eq!(published, 1, "the sample publishes its plan");
    let summary = liaison_core::integrity::check(&path).unwrap();
    assert_eq!(summary.signed_documents, locked + published);
}

#[test]
fn extra_or_altered_schema_objects_are_refused_by_check_and_the_app() {
    let dir = tempfile::tempdir().unwrap();
    // The trigger of the report: run at every open, it rewrites every risk with no audit entry.
    let path = copy_of_sample(dir.path(), "trigger.liaison");
    forge(
        &path,
        "CREATE TRIGGER stamp AFTER UPDATE ON project_meta BEGIN UPDATE risk SET title = '无'; END;",
    );
    refused(&path, &["触发器", "stamp"]);
    let before = std::fs::read(&path).unwrap();
    let e = Project::open(&path).err().expect("the app refuses it too");
    assert_eq!(e.code(), "integrity");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the trigger never ran"
    );

    for (name, sql, words) in [
        (
            "view.liaison",
            "CREATE VIEW everything AS SELECT * FROM person;",
            &["视图", "everything"][..],
        ),
        (
            "index.liaison",
            "CREATE INDEX person_name ON person (name);",
            &["索引", "person_name"][..],
        ),
        (
            "table.liaison",
            "CREATE TABLE notes (x TEXT);",
            &["表", "notes"][..],
        ),
        (
            "altered.liaison",
            "DROP TRIGGER audit_log_no_delete;
             CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log WHEN 0
                 BEGIN SELECT RAISE(ABORT, 'liaison:append_only:audit_log'); END;",
            &["audit_log_no_delete", "不一致"][..],
        ),
        (
            "missing.liaison",
            "DROP INDEX audit_log_record;",
            &["缺少", "audit_log_record"][..],
        ),
    ] {
        let path = copy_of_sample(dir.path(), name);
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(sql).unwrap();
        drop(conn);
        refused(&path, words);
    }
}

#[test]
fn a_deleted_or_altered_lock_that_unlocks_a_signed_document_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_sample(dir.path(), "deleted.liaison");
    forge(
        &path,
        "DELETE FROM document_state WHERE kind = 'registration' AND doc_id = 1;",
    );
    refused(&path, &["登记表", "锁定状态"]);
    let path = copy_of_sample(dir.path(), "unlocked.liaison");
    forge(
        &path,
        "UPDATE document_state SET state = 'draft' WHERE kind = 'minutes' AND doc_id = 1;",
    );
    refused(&path, &["会议纪要", "锁定状态"]);
}

#[test]
fn records_without_any_audit_entry_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_sample(dir.path(), "empty-log.liaison");
    forge(
        &path,
        "DELETE FROM audit_log; DELETE FROM project_meta WHERE key = 'audit_head';",
    );
    refused(&path, &["没有任何审计记录"]);
}

#[test]
fn a_trimmed_chain_and_a_recomputed_chain_are_found_through_the_rows_they_recorded() {
    let dir = tempfile::tempdir().unwrap();
    // The last entries removed and the head moved back: their rows no longer have entries.
    let path = copy_of_sample(dir.path(), "trimmed.liaison");
    forge(
        &path,
        "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 40 FROM audit_log);",
    );
    rechain(&path);
    refused(&path, &["与审计记录不符"]);
    // Every hash recomputed after an entry was rewritten to say "reject": the signature row
    // still says approve.
    let path = copy_of_sample(dir.path(), "rechained.liaison");
    forge(
        &path,
        "UPDATE audit_log SET after = replace(after, ': approve', ': reject')
         WHERE seq = (SELECT min(seq) FROM audit_log WHERE field = 'signoff.signed');",
    );
    rechain(&path);
    refused(&path, &["签名", "与其审计记录不符"]);
}

#[test]
fn every_signature_and_round_field_changed_outside_the_app_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let first_signature = "(SELECT min(id) FROM signature)";
    let cases = [
        ("decision", format!("UPDATE signature SET decision = 'reject' WHERE id = {first_signature}")),
        ("name", format!("UPDATE signature SET name = '别人' WHERE id = {first_signature}")),
        ("department", format!("UPDATE signature SET department = '财务部' WHERE id = {first_signature}")),
        ("role", format!("UPDATE signature SET role = 'member' WHERE id = {first_signature}")),
        ("comment", format!("UPDATE signature SET comment = '有条件同意' WHERE id = {first_signature}")),
        ("time", format!("UPDATE signature SET signed_at = '2020-01-01T00:00:00Z' WHERE id = {first_signature}")),
        ("removed", format!("DELETE FROM signature WHERE id = {first_signature}")),
    ];
    for (what, sql) in &cases {
        let path = copy_of_sample(dir.path(), &format!("signature-{what}.liaison"));
        forge(&path, sql);
        refused(&path, &["签名", "与其审计记录不符"]);
    }
    let round = "(SELECT min(id) FROM signoff_round WHERE status = 'approved')";
    let open = "(SELECT min(id) FROM signoff_round WHERE status = 'open')";
    let cases = [
        ("rejected", format!("UPDATE signoff_round SET status = 'rejected' WHERE id = {round}")),
        ("approved", format!("UPDATE signoff_round SET status = 'approved', closed_at = '2026-01-01' WHERE id = {open}")),
        ("mode", format!("UPDATE signoff_round SET mode = 'any' WHERE id = {round}")),
        (
            "signer",
            format!(
                "UPDATE signoff_signer SET person_id = (SELECT max(id) FROM person
                     WHERE id NOT IN (SELECT person_id FROM signoff_signer WHERE round_id = {round}))
                 WHERE round_id = {round} AND position = 0"
            ),
        ),
        ("order", format!("UPDATE signoff_signer SET position = 99 - position WHERE round_id = {round}")),
    ];
    for (what, sql) in &cases {
        let path = copy_of_sample(dir.path(), &format!("round-{what}.liaison"));
        forge(&path, sql);
        refused(&path, &["签核轮次", "与审计记录不符"]);
    }
}

#[test]
fn a_corrupt_index_that_quick_check_misses_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_sample(dir.path(), "index.liaison");
    // The index is rebuilt on another column, then its definition put back: every page is well
    // formed and it has as many entries as the table, but they are the wrong ones.
    let define = |columns: &str| {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_schema SET sql = 'CREATE INDEX action_item_meeting ON action_item ({columns})'
             WHERE name = 'action_item_meeting';
             PRAGMA writable_schema = OFF;"
        ))
        .unwrap();
    };
    define("id");
    Connection::open(&path)
        .unwrap()
        .execute_batch("REINDEX action_item_meeting")
        .unwrap();
    define("meeting_id");
    let conn = Connection::open(&path).unwrap();
    let quick: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(quick, "ok", "the damage is one quick_check does not see");
    drop(conn);
    refused(&path, &["已损坏", "索引"]);
}

/// A project's hot journal, taken from a transaction that spilled pages into the file.
fn hot_journal_of(path: &Path) -> Vec<u8> {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "cache_size", 2).unwrap();
    conn.execute_batch("BEGIN").unwrap();
    for i in 0..200 {
        conn.execute(
            "INSERT INTO project_meta (key, value) VALUES (?1, ?2)",
            rusqlite::params![format!("filler {i}"), "填充".repeat(2000)],
        )
        .unwrap();
    }
    let journal = std::fs::read(storage::header::beside(path, "-journal")).unwrap();
    conn.execute_batch("ROLLBACK").unwrap();
    journal
}

#[test]
fn a_foreign_journal_is_refused_and_both_files_stay_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let ours = copy_of_sample(dir.path(), "ours.liaison");
    let other = dir.path().join("other.liaison");
    drop(liaison_core::demo::write_example(&other).unwrap());
    let foreign = hot_journal_of(&other);
    let journal = storage::header::beside(&ours, "-journal");
    std::fs::write(&journal, &foreign).unwrap();
    let before = std::fs::read(&ours).unwrap();

    let e = Project::open(&ours)
        .err()
        .expect("a foreign journal is refused");
    let msg = e.message(liaison_core::i18n::Lang::Zh);
    assert!(
        msg.contains("不属于它的回滚日志") && msg.contains("未作任何改动"),
        "{msg}"
    );
    assert_eq!(std::fs::read(&ours).unwrap(), before);
    assert_eq!(std::fs::read(&journal).unwrap(), foreign);
    // A reader does not roll it back either.
    let out = liaison(dir.path(), &["check", ours.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stderr(&out).contains("未完成的保存"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&ours).unwrap(), before);
    assert_eq!(std::fs::read(&journal).unwrap(), foreign);
    // Its own journal is rolled back: the file opens as it was before that transaction.
    std::fs::remove_file(&journal).unwrap();
    let own = hot_journal_of(&ours);
    std::fs::write(&journal, &own).unwrap();
    let project = Project::open(&ours).unwrap();
    let fillers: i64 = project
        .conn()
        .query_row(
            "SELECT count(*) FROM project_meta WHERE key LIKE 'filler %'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(fillers, 0);
    assert!(!journal.exists());
    drop(project);
    sound(&ours);
}

#[test]
fn a_write_ahead_log_file_follows_one_rule_in_the_app_and_in_check() {
    let dir = tempfile::tempdir().unwrap();
    // WAL mode with nothing pending: both read it; the app turns it back into a rollback journal.
    let path = copy_of_sample(dir.path(), "wal.liaison");
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(conn);
    assert!(storage::header::sniff(&path).unwrap().wal);
    sound(&path);
    assert!(
        !storage::header::beside(&path, "-shm").exists(),
        "check wrote nothing beside it"
    );
    drop(Project::open(&path).unwrap());
    assert!(!storage::header::sniff(&path).unwrap().wal);
    sound(&path);

    // A pending log from another program: both refuse, and neither file changes.
    let path = copy_of_sample(dir.path(), "pending.liaison");
    let conn = Connection::open(&path).unwrap();
    conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
        .unwrap();
    conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    conn.execute(
        "INSERT INTO project_meta (key, value) VALUES ('elsewhere', 'x')",
        [],
    )
    .unwrap();
    let wal = std::fs::read(storage::header::beside(&path, "-wal")).unwrap();
    let main = std::fs::read(&path).unwrap();
    let pending = dir.path().join("pending-copy.liaison");
    std::fs::write(&pending, &main).unwrap();
    std::fs::write(storage::header::beside(&pending, "-wal"), &wal).unwrap();
    drop(conn);
    let msg = refused(&pending, &["预写日志"]);
    assert!(msg.contains("未作任何改动"), "{msg}");
    let e = Project::open(&pending)
        .err()
        .expect("the app refuses it too");
    assert_eq!(e.code(), "refused");
    assert_eq!(std::fs::read(&pending).unwrap(), main);
    assert_eq!(
        std::fs::read(storage::header::beside(&pending, "-wal")).unwrap(),
        wal
    );
}

#[test]
fn readers_get_in_while_one_writer_holds_the_file_and_a_second_writer_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_sample(dir.path(), "held.liaison");
    assert!(!storage::is_held(&path));
    let project = Project::open(&path).unwrap();
    assert!(storage::is_held(&path));
    let lock = storage::lock::lock_path(&path);
    assert!(lock.exists());
    // A writer in the middle of a transaction: readers see the last commit, at once.
    project
        .conn()
        .execute_batch(
            "BEGIN IMMEDIATE; INSERT INTO project_meta (key, value) VALUES ('pending', 'x');",
        )
        .unwrap();
    for args in [
        vec!["check", path.to_str().unwrap()],
        vec!["warnings", path.to_str().unwrap()],
    ] {
        let started = Instant::now();
        let out = liaison(dir.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{args:?} waited {:?}",
            started.elapsed()
        );
    }
    project.conn().execute_batch("COMMIT").unwrap();
    // Another process that would write is refused with the "already open" message.
    let out = liaison(dir.path(), &["close", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("已在另一个窗口或程序中打开"),
        "{}",
        stderr(&out)
    );
    // An export records itself in the project (what `verify` relies on), so it is a writer too:
    // refused while the app holds the file, and no PDF is left behind.
    let pdf = dir.path().join("registration.pdf");
    let out = liaison(
        dir.path(),
        &[
            "export",
            "registration",
            path.to_str().unwrap(),
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert_ne!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("已在另一个窗口或程序中打开"),
        "{}",
        stderr(&out)
    );
    assert!(!pdf.exists());
    // So is a second opener in this process, and a reader in this process (it would drop the
    // writer's locks when it closes).
    assert_eq!(Project::open(&path).err().unwrap().code(), "already_open");
    assert_eq!(
        Project::read_only(&path).err().unwrap().code(),
        "already_open"
    );
    drop(project);
    assert!(!storage::is_held(&path));
    assert!(!lock.exists(), "the lock file goes with the writer");
    let out = liaison(dir.path(), &["check", path.to_str().unwrap()]);
    assert!(stdout(&out).contains("完好"), "{}", stderr(&out));
}

#[test]
fn the_writer_lock_is_released_when_its_process_dies() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_sample(dir.path(), "killed.liaison");
    // A stale lock file from a process that died: nobody holds it, so it does not keep anyone out.
    std::fs::write(storage::lock::lock_path(&path), b"").unwrap();
    assert!(!storage::is_held(&path));
    drop(Project::open(&path).unwrap());
}
