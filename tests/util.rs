//! Helpers shared by the integration tests: temporary folders, fixture files, the app binary.

use liaison_core::storage::{migrations, APPLICATION_ID};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `liaison` binary cargo built for these tests.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_liaison"))
}

/// Runs `liaison` with `args` in Chinese, with its config kept in `home`.
pub fn liaison(home: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env("LIAISON_LANG", "zh-CN")
        // The sample on its own 2023 timeline, so that what the tests read stays the same.
        .env("LIAISON_DEMO_TODAY", "2023-10-27")
        .env("LIAISON_CONFIG_DIR", home.join("config"))
        .env("LIAISON_DOCUMENTS_DIR", home.join("docs"))
        .output()
        .expect("run liaison")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Writes the worked example to `dir/name` and returns its path (the file is closed).
pub fn demo_file(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    drop(liaison_core::demo::write_example(&path).expect("write demo"));
    path
}

/// A project file at an older schema `version`, with a registration named `name`, built through the
/// real migrations.
pub fn old_file(dir: &Path, version: i64, name: &str) -> PathBuf {
    let path = dir.join(format!("old-v{version}.liaison"));
    let mut conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    migrations::migrate_to(&mut conn, version).unwrap();
    conn.execute(
        "INSERT INTO registration (id, name, updated_at) VALUES (1, ?1, '2023-09-01T00:00:00+08:00')",
        [name],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO milestone (position, due_date, node) VALUES (0, '2023-10-15', '参数定稿')",
        [],
    )
    .unwrap();
    drop(conn);
    path
}

/// The names of the files in `dir`, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Runs `sql` on `path` as a forger with a plain SQLite tool would: every trigger dropped first and
/// put back afterwards, so that the schema is what the app creates.
pub fn forge(path: &Path, sql: &str) {
    let conn = Connection::open(path).unwrap();
    let triggers: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))
            .unwrap();
    }
    conn.execute_batch(sql).unwrap();
    for (_, create) in &triggers {
        conn.execute_batch(create).unwrap();
    }
}
