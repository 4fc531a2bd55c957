//! Durability: a child process edits and commits; we kill it with SIGKILL at random moments; every
//! edit it reported as saved must be in the file, and the file must pass `integrity_check`.

use liaison_core::{registration, Project};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const ROUNDS: usize = 50;
const CHILD_ENV: &str = "LIAISON_CRASH_CHILD_FILE";

/// A small deterministic generator for the kill delays (no dependency needed for this).
struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// The child: edits the registration in a loop through the same code the app uses, and prints
/// each revision after its commit returned. Only runs when the parent starts it.
#[test]
#[ignore = "run by crash_loop_loses_no_acknowledged_edit as its child process"]
fn crash_child_writer() {
    let Some(file) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let mut project = Project::open(std::path::Path::new(&file)).unwrap();
    let mut reg = liaison_core::demo::worked_example();
    let mut out = std::io::stdout().lock();
    writeln!(out, "ready").unwrap();
    out.flush().unwrap();
    loop {
        let next = registration::revision(project.conn()).unwrap() + 1;
        reg.name = format!("edit {next}");
        reg.current_progress = "进度".repeat((next % 50) as usize);
        let snap = registration::save(project.conn_mut(), "测试", &reg).unwrap();
        assert_eq!(snap.registration.name, reg.name);
        writeln!(out, "{next}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn crash_loop_loses_no_acknowledged_edit() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("crash.liaison");
    drop(Project::create(&file, "crash").unwrap());
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = XorShift(seed);
    let mut total_acked = 0;
    for round in 0..ROUNDS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash::crash_child_writer",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &file)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Wait until the child holds the file, then let it edit for a random while.
        loop {
            match lines.next() {
                Some(Ok(l)) if l.ends_with("ready") => break,
                Some(Ok(_)) => continue,
                other => panic!("round {round}: child did not start: {other:?}"),
            }
        }
        std::thread::sleep(Duration::from_micros(rng.next() % 60_000));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let acked = lines
            .map_while(Result::ok)
            .filter_map(|l| l.trim().parse::<i64>().ok())
            .max()
            .unwrap_or(0);

        let project = Project::open(&file).unwrap_or_else(|e| panic!("round {round}: {e}"));
        let check: String = project
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "round {round} (seed {seed})");
        let chain = liaison_core::audit::verify_chain(project.conn()).unwrap();
        assert_eq!(
            chain, None,
            "round {round} (seed {seed}): the audit chain is whole"
        );
        let stored = registration::revision(project.conn()).unwrap();
        assert!(
            stored >= acked,
            "round {round} (seed {seed}): acknowledged {acked}, stored {stored}"
        );
        let name = registration::load(project.conn())
            .unwrap()
            .registration
            .name;
        if stored > 0 {
            assert_eq!(
                name,
                format!("edit {stored}"),
                "round {round}: a half-written edit"
            );
        }
        total_acked = stored;
    }
    assert!(total_acked > 0, "the child never committed an edit");
}

const SPILL_ENV: &str = "LIAISON_SPILL_CHILD_FILE";

/// The child: opens the project as the app does, then starts a large transaction whose pages spill
/// into the file before commit (a tiny page cache), reports it, and waits to be killed.
#[test]
#[ignore = "run by a_commit_interrupted_after_spilling_is_rolled_back_on_open as its child process"]
fn spill_child_writer() {
    let Some(file) = std::env::var_os(SPILL_ENV) else {
        return;
    };
    let mut project = Project::open(std::path::Path::new(&file)).unwrap();
    let conn = project.conn_mut();
    conn.pragma_update(None, "cache_size", 2).unwrap();
    conn.execute_batch("BEGIN").unwrap();
    for i in 0..400 {
        conn.execute(
            "INSERT INTO project_meta (key, value) VALUES (?1, ?2)",
            rusqlite::params![format!("filler {i}"), "填充".repeat(2000)],
        )
        .unwrap();
    }
    println!("spilled");
    std::io::stdout().flush().unwrap();
    std::thread::sleep(Duration::from_secs(60));
}

/// A crash in the middle of a commit leaves the file out of step with its header and a hot journal
/// beside it: opening must roll it back, not refuse the file as truncated.
#[test]
fn a_commit_interrupted_after_spilling_is_rolled_back_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("spill.liaison");
    drop(liaison_core::demo::write_example(&file).unwrap());
    let before = registration::load(Project::open(&file).unwrap().conn())
        .unwrap()
        .registration;

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "crash::spill_child_writer",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(SPILL_ENV, &file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(
        lines.any(|l| l.map(|l| l.ends_with("spilled")).unwrap_or(false)),
        "the child did not reach its transaction"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        liaison_core::storage::header::has_hot_journal(&file),
        "the crash left a hot journal"
    );
    // A write that was extending the file when the process died leaves a torn, partial page past
    // the original end; the journal records the original size, and rolling back restores it.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap();
    f.write_all(&[0x5a; 1000]).unwrap();
    drop(f);

    let project = Project::open(&file).unwrap_or_else(|e| panic!("refused after a crash: {e}"));
    let fillers: i64 = project
        .conn()
        .query_row(
            "SELECT count(*) FROM project_meta WHERE key LIKE 'filler %'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(fillers, 0, "the uncommitted transaction was rolled back");
    assert_eq!(
        registration::load(project.conn()).unwrap().registration,
        before
    );
    drop(project);
    assert!(liaison_core::integrity::check(&file).is_ok());
}
