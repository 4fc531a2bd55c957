//! Project files: one SQLite file per project, opened strictly, written durably, copied consistently.
//!
//! The file uses a rollback journal with `synchronous=FULL` and SQLite's normal locking: every
//! committed edit is in the file itself, and readers (the command line's reports, `check`) see the
//! last commit while the app has the file open. One writer at a time: `lock::WriterLock` on a
//! sidecar file beside the project keeps every other opener for writing out.
//!
//! Invariant: a file that is refused is never written to. Everything that can refuse a file runs
//! before the first statement that could write (journal mode, migrations).

pub mod header;
mod journal;
pub mod lock;
mod migrate;
pub mod migrations;
mod schema;

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// `PRAGMA application_id` of every Liaison project file ("LIAS").
pub const APPLICATION_ID: u32 = 0x4C49_4153;

/// The file extension of project files.
pub const EXTENSION: &str = "liaison";

/// An open project file. While it lives, no other connection or process can open the same file.
pub struct Project {
    conn: Connection,
    path: PathBuf,
    migrated: Option<Migrated>,
    _lock: lock::WriterLock,
    _claim: Claim,
}

/// How long a reader or the writer waits for the other's transaction to end before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Whether a Liaison (this process or another) holds `path` open for writing. Never creates,
/// locks for long or writes anything.
pub fn is_held(path: &Path) -> bool {
    Claim::held(path) || lock::held_elsewhere(path)
}

/// The files open in this process. SQLite's locks keep other processes out; this keeps a second
/// connection of our own out, because closing it would release the process's locks on the file.
static OPEN_FILES: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

/// This process's claim on a file, released when the project closes.
struct Claim(PathBuf);

impl Claim {
    fn take(path: &Path) -> Result<Claim> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut open = OPEN_FILES.lock().unwrap_or_else(|p| p.into_inner());
        if !open.insert(key.clone()) {
            return Err(Error::AlreadyOpen(path.to_path_buf()));
        }
        Ok(Claim(key))
    }

    fn held(path: &Path) -> bool {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        OPEN_FILES
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&key)
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        OPEN_FILES
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.0);
    }
}

/// What happened when an older file was brought up to date on open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    pub from: i64,
    pub to: i64,
    pub backup: PathBuf,
}

impl Project {
    /// Opens an existing project file, refusing anything that is not a sound Liaison file of this
    /// version or older. An older file is first copied to a backup beside it, then migrated.
    pub fn open(path: &Path) -> Result<Project> {
        // Claim first: even reading the header through another descriptor would drop our SQLite
        // locks on a file this process already has open (POSIX closes all of them).
        let claim = Claim::take(path)?;
        // What is not a project is refused as such, also while another Liaison holds it.
        check_header(path, &header::sniff(path)?)?;
        // Once the writer lock is held, a journal beside the file is nobody's live transaction,
        // and the header is read again with nobody writing.
        let writer = lock::WriterLock::take(path)?;
        let header = header::sniff(path)?;
        check_header(path, &header)?;
        check_wal(path)?;
        if header::has_hot_journal(path) {
            journal::recover(path, header.page_size)?;
        }
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| classify(path, e))?;
        let version = verify(&conn, path, false)?;
        let mut migrated = None;
        if version < migrations::LATEST {
            let backup = backup_path(path, version);
            copy_consistent(&conn, &backup)?;
            migrations::migrate_to(&mut conn, migrations::LATEST)?;
            migrated = Some(Migrated {
                from: version,
                to: migrations::LATEST,
                backup,
            });
        }
        configure(&conn).map_err(|e| classify(path, e))?;
        Ok(Project {
            conn,
            path: path.to_path_buf(),
            migrated,
            _lock: writer,
            _claim: claim,
        })
    }

    /// Creates a new project file at `path` (replacing any file there that no Liaison holds) with an
    /// empty registration named `name`. The file is built beside the target and put in place by
    /// `output` when complete.
    pub fn create(path: &Path, name: &str) -> Result<Project> {
        if path.extension().and_then(|e| e.to_str()) != Some(EXTENSION) {
            return Err(Error::BadExtension(path.to_path_buf()));
        }
        if is_held(path) {
            return Err(Error::AlreadyOpen(path.to_path_buf()));
        }
        crate::fsio::write_with(path, true, &not_held, |tmp| {
            let mut conn = Connection::open(tmp)?;
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
            migrations::migrate_to(&mut conn, migrations::LATEST)?;
            init(&conn, name)?;
            conn.close().map_err(|(_, e)| e)?;
            Ok(())
        })
        .map_err(|e| match e {
            Error::Refused { key, .. } if key == "output.held" => {
                Error::AlreadyOpen(path.to_path_buf())
            }
            other => other,
        })?;
        Project::open(path)
    }

    /// Opens a sound project file read-only (for the command line's reports): the same checks as
    /// on open, nothing written. Another process may hold the file open for writing meanwhile: the
    /// reader sees its last commit. Returns the connection and the file's schema version.
    pub fn read_only(path: &Path) -> Result<(Connection, i64)> {
        let (conn, version) = open_reader(path, false)?;
        conn.execute_batch("COMMIT")?;
        Ok((conn, version))
    }

    /// The file this project lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Set when opening brought an older file up to date.
    pub fn migrated(&self) -> Option<&Migrated> {
        self.migrated.as_ref()
    }

    /// The connection, for the record modules of the core.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The connection for writes that need a transaction.
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Writes a consistent copy of the project to `dest` (a backup); the open file is unchanged.
    pub fn back_up_to(&self, dest: &Path) -> Result<()> {
        if same_file(dest, &self.path) || is_held(dest) {
            return Err(Error::AlreadyOpen(dest.to_path_buf()));
        }
        copy_consistent(&self.conn, dest)
    }

    /// Copies the project to `dest` and continues there ("Save As"); the old file stays as it was.
    pub fn save_as(self, dest: &Path) -> Result<Project> {
        if dest.extension().and_then(|e| e.to_str()) != Some(EXTENSION) {
            return Err(Error::BadExtension(dest.to_path_buf()));
        }
        if same_file(dest, &self.path) {
            return Ok(self);
        }
        if is_held(dest) {
            return Err(Error::AlreadyOpen(dest.to_path_buf()));
        }
        copy_consistent(&self.conn, dest)?;
        drop(self);
        Project::open(dest)
    }
}

/// When the project was closed (None: it is open for edits; from then on triggers refuse every
/// edit, see `migrations::closed_guard`).
/// The project's identity (set once when the file is created): carried by its PDFs, signing
/// requests and responses.
pub fn project_id(conn: &Connection) -> Result<String> {
    Ok(conn
        .query_row(
            "SELECT value FROM project_meta WHERE key = 'project_id'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default())
}

/// When the project was archived (read-only from then on), if it was.
pub fn closed_at(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM project_meta WHERE key = 'closed_at'",
            [],
            |r| r.get(0),
        )
        .optional()?)
}

/// Writes the first rows of a new project: its registration with only the name, and when it was
/// created.
pub(crate) fn init(conn: &Connection, name: &str) -> Result<()> {
    let now = crate::clock::now_rfc3339(false);
    conn.execute(
        "INSERT INTO registration (id, name, updated_at) VALUES (1, ?1, ?2)",
        rusqlite::params![name, now],
    )?;
    conn.execute(
        "INSERT INTO project_meta (key, value) VALUES ('created_at', ?1), ('revision', '0')",
        rusqlite::params![now],
    )?;
    Ok(())
}

/// Opens `path` for reading and verifies it (`full`: SQLite's `integrity_check` and every
/// comparison of `check`), inside a read transaction the caller ends.
pub(crate) fn open_reader(path: &Path, full: bool) -> Result<(Connection, i64)> {
    // Another connection of this process holds the file: reading it through a second descriptor
    // would drop that connection's POSIX locks when it closes.
    if Claim::held(path) {
        return Err(Error::AlreadyOpen(path.to_path_buf()));
    }
    let header = header::sniff(path)?;
    check_header(path, &header)?;
    check_wal(path)?;
    // A journal with nobody writing is an interrupted save: only an opener for writing may roll
    // it back (on a copy first); a reader would read the half-written file. (The journal is looked
    // at again after the lock: a writer may have just committed and closed.)
    if header::has_hot_journal(path) && !lock::held_elsewhere(path) && header::has_hot_journal(path)
    {
        return Err(Error::refused(
            "storage.unrecovered_journal",
            &[("path", path.display().to_string())],
        ));
    }
    let conn = if header.wal {
        // A write-ahead-log file without a pending log: all its content is in the file. Reading it
        // as immutable keeps SQLite from creating the log's index file beside it.
        let uri = format!(
            "file:{}?immutable=1",
            path.to_str()
                .ok_or_else(|| Error::NotFound(path.to_path_buf()))?
                .replace('%', "%25")
                .replace('?', "%3f")
                .replace('#', "%23")
        );
        Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
    } else {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    }
    .map_err(|e| classify(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| classify(path, e))?;
    // One read transaction: every query sees the same commit of the writer.
    conn.execute_batch("BEGIN").map_err(|e| classify(path, e))?;
    match verify(&conn, path, full) {
        Ok(version) => Ok((conn, version)),
        Err(e) => {
            let _ = conn.execute_batch("COMMIT");
            Err(e)
        }
    }
}

/// One rule for the app and `check`: a file in write-ahead-log mode is read as it is (the app
/// turns it back into a rollback journal when it opens it), but a non-empty `-wal` beside it holds
/// transactions that are not in the file, and whose they are cannot be told: it is refused, and
/// neither file is touched.
fn check_wal(path: &Path) -> Result<()> {
    if header::has_pending_wal(path) {
        return Err(Error::refused(
            "storage.pending_wal",
            &[
                ("path", path.display().to_string()),
                ("wal", header::beside(path, "-wal").display().to_string()),
            ],
        ));
    }
    Ok(())
}

/// Refuses what the header alone shows to be foreign, newer or not ours.
fn check_header(path: &Path, header: &header::Header) -> Result<()> {
    if header.application_id != APPLICATION_ID {
        return Err(Error::Foreign(path.to_path_buf()));
    }
    if header.user_version > migrations::LATEST {
        return Err(Error::Newer {
            path: path.to_path_buf(),
            found: header.user_version,
            supported: migrations::LATEST,
        });
    }
    if header.user_version < 1 {
        return Err(Error::damaged(path, "no schema"));
    }
    Ok(())
}

/// Checks identity, version, structure and page integrity through SQLite (`full`: every page and
/// index, and the schema against the migrations); returns the schema version.
fn verify(conn: &Connection, path: &Path, full: bool) -> Result<i64> {
    let app_id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if app_id as u32 != APPLICATION_ID {
        return Err(Error::Foreign(path.to_path_buf()));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > migrations::LATEST {
        return Err(Error::Newer {
            path: path.to_path_buf(),
            found: version,
            supported: migrations::LATEST,
        });
    }
    let pages: String = conn
        .query_row(
            if full {
                "PRAGMA integrity_check(1)"
            } else {
                "PRAGMA quick_check(1)"
            },
            [],
            |r| r.get(0),
        )
        .map_err(|e| classify(path, e))?;
    if pages != "ok" {
        return Err(Error::damaged(path, "damage.integrity"));
    }
    for table in migrations::expected_tables(version) {
        let n: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get(0),
        )?;
        if n != 1 {
            return Err(Error::damaged(
                path,
                format!("damage.missing_table {table}"),
            ));
        }
    }
    // Extra or altered tables, indexes, triggers or views would run or hide what the migrations
    // do not: a trigger on `project_meta`, say, that rewrites records at every open.
    if let Some(problem) = schema::schema(conn, version)? {
        return Err(Error::Integrity {
            path: path.to_path_buf(),
            problem,
        });
    }
    Ok(version)
}

/// Durable settings for an accepted file: a rollback journal (the file is whole after every commit,
/// also on network drives and when copied by hand) and a full sync on every commit.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // The open stamp: the first write, so that a file that cannot be written is found at once.
    conn.execute(
        "INSERT INTO project_meta (key, value) VALUES ('opened_at', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [chrono::Local::now().to_rfc3339()],
    )?;
    Ok(())
}

/// Turns SQLite's errors on open into the user's reasons.
fn classify(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
            Error::AlreadyOpen(path.to_path_buf())
        }
        Some(rusqlite::ErrorCode::NotADatabase) => Error::NotSqlite(path.to_path_buf()),
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => Error::damaged(path, "damage.integrity"),
        Some(rusqlite::ErrorCode::CannotOpen) | Some(rusqlite::ErrorCode::ReadOnly) => {
            Error::Write {
                path: path.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, e.to_string()),
            }
        }
        _ => Error::Sqlite(e),
    }
}

/// A project file is written over only when no Liaison holds it (the rule `output` applies to
/// `Output::Project`, whose other rules storage's writes do not need: they always replace).
fn not_held(path: &Path) -> Result<()> {
    if crate::fsio::check_target(path)?.is_some() && is_held(path) {
        return Err(Error::refused(
            "output.held",
            &[("path", path.display().to_string())],
        ));
    }
    Ok(())
}

/// `VACUUM INTO` a temporary file beside `dest`, verify it, then let `fsio` flush it and put it
/// in place (never over a file a Liaison holds).
fn copy_consistent(conn: &Connection, dest: &Path) -> Result<()> {
    let result = crate::fsio::write_with(dest, true, &not_held, |tmp| {
        let target = tmp
            .to_str()
            .ok_or_else(|| Error::write(dest, std::io::Error::other("path is not UTF-8")))?;
        conn.execute("VACUUM INTO ?1", [target])?;
        let copy = Connection::open_with_flags(tmp, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let check: String = copy.query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))?;
        drop(copy);
        if check != "ok" {
            return Err(Error::damaged(dest, check));
        }
        Ok(())
    });
    result.map_err(|e| match e {
        Error::Sqlite(s) => Error::write(dest, std::io::Error::from(io_kind(&s))),
        other => other,
    })
}

/// The I/O kind closest to an SQLite failure while writing a copy (for the user's reason).
fn io_kind(e: &rusqlite::Error) -> std::io::ErrorKind {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull) => std::io::ErrorKind::StorageFull,
        Some(rusqlite::ErrorCode::ReadOnly) => std::io::ErrorKind::ReadOnlyFilesystem,
        Some(rusqlite::ErrorCode::CannotOpen) | Some(rusqlite::ErrorCode::PermissionDenied) => {
            std::io::ErrorKind::PermissionDenied
        }
        _ => std::io::ErrorKind::Other,
    }
}

/// `name.liaison` → `name.backup-v1-20261121-093000.liaison` beside it.
fn backup_path(path: &Path, version: i64) -> PathBuf {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("project");
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut candidate =
        path.with_file_name(format!("{stem}.backup-v{version}-{stamp}.{EXTENSION}"));
    let mut n = 2;
    while candidate.exists() {
        candidate =
            path.with_file_name(format!("{stem}.backup-v{version}-{stamp}-{n}.{EXTENSION}"));
        n += 1;
    }
    candidate
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}
